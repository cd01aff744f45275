"""result snapshots

Revision ID: f548d4a43a65
Revises: 72367e6a4e7d
Create Date: 2026-11-28 17:55:09.134169

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = 'f548d4a43a65'
down_revision = '72367e6a4e7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('result_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('preview', 'published', 'superseded', name='resultstatus', native_enum=False, length=20), nullable=False),
    sa.Column('rule', sa.String(length=30), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('pb_text', sa.Text(), nullable=False),
    sa.Column('pb_sha256', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('winner_ids', sa.JSON(), nullable=False),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.Column('budget_cents', sa.BigInteger(), nullable=False),
    sa.Column('spent_cents', sa.BigInteger(), nullable=False),
    sa.Column('computed_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('computed_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('supersede_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['computed_by_id'], ['users.id'], name=op.f('fk_result_snapshots_computed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_result_snapshots_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_result_snapshots_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_result_snapshots_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_snapshots'))
    )
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_snapshots_process_id'), ['process_id'], unique=False)
        batch_op.create_index('uq_result_snapshots_published', ['process_id', 'district_id'], unique=True, sqlite_where=sa.text("status = 'published'"), postgresql_where=sa.text("status = 'published'"))



def downgrade():
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.drop_index('uq_result_snapshots_published', sqlite_where=sa.text("status = 'published'"), postgresql_where=sa.text("status = 'published'"))
        batch_op.drop_index(batch_op.f('ix_result_snapshots_process_id'))

    op.drop_table('result_snapshots')
