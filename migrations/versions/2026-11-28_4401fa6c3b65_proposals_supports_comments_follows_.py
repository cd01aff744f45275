"""proposals, supports, comments, follows, flags, notifications; projects.proposal_id

Revision ID: 4401fa6c3b65
Revises: 9a3493eb9b97
Create Date: 2026-11-28 16:15:48.969993

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '4401fa6c3b65'
down_revision = '9a3493eb9b97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_settings')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_settings_user_id_kind'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('read_at', app.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_id_created_at', ['user_id', 'created_at'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'published', 'under_review', 'changes_requested', 'accepted', 'rejected', 'withdrawn', 'merged', name='proposalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('visibility', sa.Enum('visible', 'held', 'hidden', name='visibility', native_enum=False, length=20), nullable=False),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('estimated_cost_cents', sa.BigInteger(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('published_at', app.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('(latitude IS NULL) = (longitude IS NULL)', name=op.f('ck_proposals_point_complete')),
    sa.CheckConstraint('estimated_cost_cents IS NULL OR estimated_cost_cents > 0', name=op.f('ck_proposals_estimated_cost_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proposals_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_proposals_category_id_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_proposals_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['proposals.id'], name=op.f('fk_proposals_merged_into_id_proposals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_proposals_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_proposals_process_id_status', ['process_id', 'status'], unique=False)

    op.create_table('proposal_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_proposal_photos_image_id_images'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_photos_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_photos')),
    sa.UniqueConstraint('image_id', name=op.f('uq_proposal_photos_image_id'))
    )
    with op.batch_alter_table('proposal_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_photos_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('draft', 'published', 'under_review', 'changes_requested', 'accepted', 'rejected', 'withdrawn', 'merged', name='proposalstatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'published', 'under_review', 'changes_requested', 'accepted', 'rejected', 'withdrawn', 'merged', name='proposalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_proposal_status_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_status_changes_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_status_changes'))
    )
    with op.batch_alter_table('proposal_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_status_changes_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_supports_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_supports')),
    sa.UniqueConstraint('proposal_id', 'user_id', name=op.f('uq_proposal_supports_proposal_id_user_id'))
    )
    with op.batch_alter_table('proposal_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_supports_user_id'), ['user_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('visibility', sa.Enum('visible', 'held', 'hidden', name='visibility', native_enum=False, length=20), nullable=False),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('edited_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('deleted_at', app.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('(proposal_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_comments_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_comments_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_comments_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(proposal_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_follows_one_target')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_follows_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_follows_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
    sa.UniqueConstraint('user_id', 'project_id', name=op.f('uq_follows_user_id_project_id')),
    sa.UniqueConstraint('user_id', 'proposal_id', name=op.f('uq_follows_user_id_proposal_id'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follows_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('spam', 'offensive', 'personal_data', 'off_topic', 'other', name='flagreason', native_enum=False, length=20), nullable=False),
    sa.Column('details', sa.String(length=500), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('upheld', sa.Boolean(), nullable=True),
    sa.CheckConstraint('(proposal_id IS NULL) <> (comment_id IS NULL)', name=op.f('ck_flags_one_target')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_flags_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_flags_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_flags_reporter_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('reporter_id', 'comment_id', name=op.f('uq_flags_reporter_id_comment_id')),
    sa.UniqueConstraint('reporter_id', 'proposal_id', name=op.f('uq_flags_reporter_id_proposal_id'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_projects_proposal_id'), ['proposal_id'])
        batch_op.create_foreign_key(batch_op.f('fk_projects_proposal_id_proposals'), 'proposals', ['proposal_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_projects_proposal_id_proposals'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_projects_proposal_id'), type_='unique')
        batch_op.drop_column('proposal_id')

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_flags_comment_id'))

    op.drop_table('flags')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follows_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_follows_project_id'))

    op.drop_table('follows')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_comments_project_id'))
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')
    with op.batch_alter_table('proposal_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_supports_user_id'))

    op.drop_table('proposal_supports')
    with op.batch_alter_table('proposal_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_status_changes_proposal_id'))

    op.drop_table('proposal_status_changes')
    with op.batch_alter_table('proposal_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_photos_proposal_id'))

    op.drop_table('proposal_photos')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_process_id_status')
        batch_op.drop_index(batch_op.f('ix_proposals_author_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id_created_at')

    op.drop_table('notifications')
    op.drop_table('notification_settings')
