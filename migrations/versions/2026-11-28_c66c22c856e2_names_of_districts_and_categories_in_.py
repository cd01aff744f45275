"""names of districts and categories in several languages

Revision ID: c66c22c856e2
Revises: 8a472f79a63b
Create Date: 2026-11-28 22:52:19.094491

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = 'c66c22c856e2'
down_revision = '8a472f79a63b'
branch_labels = None
depends_on = None


def upgrade():
    # {locale: {"name": ...}}; existing rows start with none. Plain ALTER TABLE, as in 7ac6c0b8cb97.
    for table in ('districts', 'categories'):
        op.add_column(table, sa.Column('translations', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))


def downgrade():
    for table in ('categories', 'districts'):
        op.drop_column(table, 'translations')
