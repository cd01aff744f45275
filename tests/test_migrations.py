"""The migrations build exactly the models' schema, from empty, with one head, and go back down."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@pytest.fixture
def migration_app(empty_database_url, make_app_on):
    return make_app_on(empty_database_url)


def _differences(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_build_the_models_schema(migration_app):
    with migration_app.app_context():
        upgrade(directory=str(MIGRATIONS))
    assert _differences(migration_app) == []


def test_migrations_go_down_to_empty_and_up_again(migration_app):
    with migration_app.app_context():
        upgrade(directory=str(MIGRATIONS))
        downgrade(directory=str(MIGRATIONS), revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade(directory=str(MIGRATIONS))
    assert _differences(migration_app) == []


def test_there_is_a_single_head():
    config = AlembicConfig(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
