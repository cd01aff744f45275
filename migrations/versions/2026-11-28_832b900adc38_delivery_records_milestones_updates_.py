"""delivery records, milestones, updates, offers, reports, ratings

Revision ID: 832b900adc38
Revises: 7ac6c0b8cb97
Create Date: 2026-11-28 18:55:15.907353

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '832b900adc38'
down_revision = '7ac6c0b8cb97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'delayed', 'completed', 'cancelled', name='deliverystatus', native_enum=False, length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('progress_percent', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('allocated_cents', sa.BigInteger(), nullable=True),
    sa.Column('spent_cents', sa.BigInteger(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status NOT IN ('delayed', 'cancelled') OR length(status_reason) > 0", name=op.f('ck_delivery_projects_reason_given')),
    sa.CheckConstraint('allocated_cents IS NULL OR allocated_cents >= 0', name=op.f('ck_delivery_projects_allocated_not_negative')),
    sa.CheckConstraint('progress_percent BETWEEN 0 AND 100', name=op.f('ck_delivery_projects_progress_range')),
    sa.CheckConstraint('spent_cents IS NULL OR spent_cents >= 0', name=op.f('ck_delivery_projects_spent_not_negative')),
    sa.CheckConstraint('starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_delivery_projects_ends_after_start')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_delivery_projects_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_delivery_projects_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_projects')),
    sa.UniqueConstraint('project_id', name=op.f('uq_delivery_projects_project_id'))
    )
    with op.batch_alter_table('delivery_projects', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_projects_process_id_status', ['process_id', 'status'], unique=False)

    op.create_table('delivery_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('planned', 'in_progress', 'delayed', 'completed', 'cancelled', name='deliverystatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('planned', 'in_progress', 'delayed', 'completed', 'cancelled', name='deliverystatus', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_delivery_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery_projects.id'], name=op.f('fk_delivery_changes_delivery_id_delivery_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_changes'))
    )
    with op.batch_alter_table('delivery_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_changes_delivery_id'), ['delivery_id'], unique=False)

    op.create_table('delivery_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('evidence_url', sa.String(length=300), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('length(title) > 0', name=op.f('ck_delivery_milestones_title_given')),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery_projects.id'], name=op.f('fk_delivery_milestones_delivery_id_delivery_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_milestones'))
    )
    with op.batch_alter_table('delivery_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_milestones_delivery_id'), ['delivery_id'], unique=False)

    op.create_table('delivery_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('availability', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'coordinating', name='offerstatus', native_enum=False, length=20), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('replied_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery_projects.id'], name=op.f('fk_delivery_offers_delivery_id_delivery_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_delivery_offers_replied_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delivery_offers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_offers'))
    )
    with op.batch_alter_table('delivery_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_offers_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index('ix_delivery_offers_status', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_offers_user_id'), ['user_id'], unique=False)

    op.create_table('delivery_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('serves', sa.Enum('yes', 'partly', 'no', name='serves', native_enum=False, length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_delivery_ratings_stars_range')),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery_projects.id'], name=op.f('fk_delivery_ratings_delivery_id_delivery_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delivery_ratings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_ratings')),
    sa.UniqueConstraint('delivery_id', 'user_id', name=op.f('uq_delivery_ratings_delivery_id_user_id'))
    )
    with op.batch_alter_table('delivery_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_ratings_user_id'), ['user_id'], unique=False)

    op.create_table('delivery_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('started', 'problem', 'finished', 'other', name='reportkind', native_enum=False, length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'answered', name='reportstatus', native_enum=False, length=20), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', app.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(latitude IS NULL) = (longitude IS NULL)', name=op.f('ck_delivery_reports_point_complete')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_delivery_reports_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery_projects.id'], name=op.f('fk_delivery_reports_delivery_id_delivery_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_delivery_reports_image_id_images'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delivery_reports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_reports'))
    )
    with op.batch_alter_table('delivery_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_reports_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index('ix_delivery_reports_status', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_reports_user_id'), ['user_id'], unique=False)

    op.create_table('delivery_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_delivery_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery_projects.id'], name=op.f('fk_delivery_updates_delivery_id_delivery_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_updates'))
    )
    with op.batch_alter_table('delivery_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_updates_delivery_id'), ['delivery_id'], unique=False)

    op.create_table('delivery_update_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_delivery_update_photos_image_id_images'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['delivery_updates.id'], name=op.f('fk_delivery_update_photos_update_id_delivery_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_update_photos')),
    sa.UniqueConstraint('image_id', name=op.f('uq_delivery_update_photos_image_id'))
    )
    with op.batch_alter_table('delivery_update_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_update_photos_update_id'), ['update_id'], unique=False)



def downgrade():
    with op.batch_alter_table('delivery_update_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_update_photos_update_id'))

    op.drop_table('delivery_update_photos')
    with op.batch_alter_table('delivery_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_updates_delivery_id'))

    op.drop_table('delivery_updates')
    with op.batch_alter_table('delivery_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_reports_user_id'))
        batch_op.drop_index('ix_delivery_reports_status')
        batch_op.drop_index(batch_op.f('ix_delivery_reports_delivery_id'))

    op.drop_table('delivery_reports')
    with op.batch_alter_table('delivery_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_ratings_user_id'))

    op.drop_table('delivery_ratings')
    with op.batch_alter_table('delivery_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_offers_user_id'))
        batch_op.drop_index('ix_delivery_offers_status')
        batch_op.drop_index(batch_op.f('ix_delivery_offers_delivery_id'))

    op.drop_table('delivery_offers')
    with op.batch_alter_table('delivery_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_milestones_delivery_id'))

    op.drop_table('delivery_milestones')
    with op.batch_alter_table('delivery_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_changes_delivery_id'))

    op.drop_table('delivery_changes')
    with op.batch_alter_table('delivery_projects', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_projects_process_id_status')

    op.drop_table('delivery_projects')
