"""texts of processes and projects in several languages

Revision ID: 7ac6c0b8cb97
Revises: f548d4a43a65
Create Date: 2026-11-28 18:57:05.840638

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '7ac6c0b8cb97'
down_revision = 'f548d4a43a65'
branch_labels = None
depends_on = None


def upgrade():
    # {locale: {"title": ..., "summary": ..., "description": ...}}; existing rows start with none.
    # Plain ALTER TABLE (no batch copy): SQLite adds and drops a column in place since 3.35.
    for table in ('processes', 'projects'):
        op.add_column(table, sa.Column('translations', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))


def downgrade():
    for table in ('projects', 'processes'):
        op.drop_column(table, 'translations')
