"""processes, phases, budgets, ballot projects, images

Revision ID: 9a3493eb9b97
Revises: fca17c36ef07
Create Date: 2026-11-28 15:45:35.250892

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '9a3493eb9b97'
down_revision = 'fca17c36ef07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('processes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('phase', sa.Enum('draft', 'proposals', 'review', 'voting', 'results', 'delivery', 'closed', name='phase', native_enum=False, length=20), nullable=False),
    sa.Column('ballot_type', sa.Enum('approval', 'k_approval', 'knapsack', 'cumulative', name='ballottype', native_enum=False, length=20), nullable=False),
    sa.Column('min_choices', sa.Integer(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('total_points', sa.Integer(), nullable=True),
    sa.Column('max_points_per_project', sa.Integer(), nullable=True),
    sa.Column('min_spend_percent', sa.Integer(), nullable=False),
    sa.Column('rule', sa.Enum('greedy', 'greedy-threshold', 'mes', 'mes-add1', name='outcomerule', native_enum=False, length=20), nullable=False),
    sa.Column('rule_threshold', sa.Integer(), nullable=True),
    sa.Column('residents_only', sa.Boolean(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('allow_accounts', sa.Boolean(), nullable=False),
    sa.Column('allow_census', sa.Boolean(), nullable=False),
    sa.Column('allow_codes', sa.Boolean(), nullable=False),
    sa.Column('allow_paper', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processes')),
    sa.UniqueConstraint('slug', name=op.f('uq_processes_slug'))
    )
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processes_phase'), ['phase'], unique=False)

    op.create_table('process_categories',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_process_categories_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_process_categories_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('process_id', 'category_id', name=op.f('pk_process_categories'))
    )
    op.create_table('process_districts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('budget_cents', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('budget_cents >= 0', name=op.f('ck_process_districts_budget_not_negative')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_process_districts_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_process_districts_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_districts')),
    sa.UniqueConstraint('process_id', 'district_id', name=op.f('uq_process_districts_process_id_district_id'))
    )
    with op.batch_alter_table('process_districts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_districts_process_id'), ['process_id'], unique=False)

    op.create_table('process_phases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Enum('draft', 'proposals', 'review', 'voting', 'results', 'delivery', 'closed', name='phase', native_enum=False, length=20), nullable=False),
    sa.Column('starts_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('ends_at', app.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_process_phases_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_phases')),
    sa.UniqueConstraint('process_id', 'phase', name=op.f('uq_process_phases_process_id_phase'))
    )
    with op.batch_alter_table('process_phases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_phases_process_id'), ['process_id'], unique=False)

    op.create_table('images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('thumb_width', sa.Integer(), nullable=False),
    sa.Column('thumb_height', sa.Integer(), nullable=False),
    sa.Column('alt', sa.String(length=200), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_images_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_images')),
    sa.UniqueConstraint('key', name=op.f('uq_images_key'))
    )
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('image_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cost_cents', sa.BigInteger(), nullable=False),
    sa.Column('feasibility_note', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('cost_cents > 0', name=op.f('ck_projects_cost_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_projects_category_id_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_projects_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_projects_image_id_images'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_projects_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('process_id', 'code', name=op.f('uq_projects_process_id_code'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_process_id'), ['process_id'], unique=False)



def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_process_id'))
        batch_op.drop_index(batch_op.f('ix_projects_district_id'))

    op.drop_table('projects')
    op.drop_table('images')
    with op.batch_alter_table('process_phases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_phases_process_id'))

    op.drop_table('process_phases')
    with op.batch_alter_table('process_districts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_districts_process_id'))

    op.drop_table('process_districts')
    op.drop_table('process_categories')
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processes_phase'))

    op.drop_table('processes')
