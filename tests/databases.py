"""Fixtures that make whole new databases (for migrations and backup round trips)."""

import os
import uuid

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig
from app.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """A new empty database: a file for SQLite, a throw-away database on the PostgreSQL server."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = sa.make_url(TestConfig.SQLALCHEMY_DATABASE_URI)
    name = f"pb_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def make_app_on(tmp_path):
    """An app bound to a given database URL; engines are disposed after the test."""
    apps = []

    def _make(url: str):
        config = type(
            "OtherDatabase", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp_path)}
        )
        apps.append(create_app(config))
        return apps[-1]

    yield _make
    for app in apps:
        with app.app_context():
            db.engine.dispose()
