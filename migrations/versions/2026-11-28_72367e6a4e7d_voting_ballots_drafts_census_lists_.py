"""voting: ballots, drafts, census lists, voter codes, paper ballots

Ballots are keyed by a pseudonymous voter key (no user id); one ballot per voter, process and
district is the unique constraint uq_ballots_process_id_district_id_voter_key.

Revision ID: 72367e6a4e7d
Revises: 4401fa6c3b65
Create Date: 2026-11-28 17:15:43.738240

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '72367e6a4e7d'
down_revision = '4401fa6c3b65'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ballot_drafts',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_ballot_drafts_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_ballot_drafts_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_drafts'))
    )
    with op.batch_alter_table('ballot_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_drafts_created_at'), ['created_at'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('account', 'census', 'code', 'paper', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_ballots_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_ballots_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('process_id', 'district_id', 'voter_key', name=op.f('uq_ballots_process_id_district_id_voter_key')),
    sa.UniqueConstraint('receipt', name=op.f('uq_ballots_receipt'))
    )
    op.create_table('census_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('proof_kind', sa.Enum('birth_date', 'postcode', name='proofkind', native_enum=False, length=20), nullable=False),
    sa.Column('proof_hash', sa.String(length=64), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by_key', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_census_entries_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_census_entries_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_census_entries')),
    sa.UniqueConstraint('process_id', 'id_hash', name=op.f('uq_census_entries_process_id_id_hash'))
    )
    with op.batch_alter_table('census_entries', schema=None) as batch_op:
        batch_op.create_index('ix_census_entries_claimed', ['process_id', 'claimed_by_key'], unique=False)

    op.create_table('paper_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'counted', 'conflict', 'refused', name='sheetstatus', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.String(length=40), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_paper_sheets_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_sheets')),
    sa.UniqueConstraint('process_id', 'number', name=op.f('uq_paper_sheets_process_id_number'))
    )
    op.create_table('voter_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('batch', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('used_at', app.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_voter_codes_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_voter_codes_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voter_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_voter_codes_code_hash'))
    )
    with op.batch_alter_table('voter_codes', schema=None) as batch_op:
        batch_op.create_index('ix_voter_codes_batch', ['process_id', 'batch'], unique=False)

    op.create_table('paper_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_paper_entries_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_paper_entries_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sheet_id'], ['paper_sheets.id'], name=op.f('fk_paper_entries_sheet_id_paper_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_entries')),
    sa.UniqueConstraint('sheet_id', 'entered_by_id', name=op.f('uq_paper_entries_sheet_id_entered_by_id'))
    )
    op.create_table('ballot_choices',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.CheckConstraint('points > 0', name=op.f('ck_ballot_choices_points_positive')),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_choices_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_ballot_choices_project_id_projects'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('ballot_id', 'project_id', name=op.f('pk_ballot_choices'))
    )
    with op.batch_alter_table('ballot_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_choices_project_id'), ['project_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ballot_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_choices_project_id'))

    op.drop_table('ballot_choices')
    op.drop_table('paper_entries')
    with op.batch_alter_table('voter_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_voter_codes_batch')

    op.drop_table('voter_codes')
    op.drop_table('paper_sheets')
    with op.batch_alter_table('census_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_census_entries_claimed')

    op.drop_table('census_entries')
    op.drop_table('ballots')
    with op.batch_alter_table('ballot_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_drafts_created_at'))

    op.drop_table('ballot_drafts')
