"""Fixtures: an app per test on a clean database, clients by role, factory fixtures for data.

SQLite (the default) gets a new in-memory database per test. With TEST_DATABASE_URL (PostgreSQL)
the schema is built once per run and every table is emptied after each test.
"""

import os
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask_login import FlaskLoginClient

from app import create_app
from app.auth.models import Role, User
from app.auth.services import hash_password
from app.config import TestConfig
from app.db import utcnow
from app.extensions import db

pytest_plugins = ["tests.factories", "tests.factories_voting"]

PASSWORD = "correct horse battery"
ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
_schema_ready = False


def _reset_postgres_schema(app: Flask) -> None:
    global _schema_ready
    with app.app_context():
        if not _schema_ready:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.create_all()
            _schema_ready = True


def _empty_postgres_tables(app: Flask) -> None:
    with app.app_context():
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app_config(tmp_path) -> type[TestConfig]:
    """Override in a test module to change settings (a subclass, never a mutated TestConfig)."""
    return type("Config", (TestConfig,), {"UPLOAD_DIR": str(tmp_path / "uploads")})


@pytest.fixture
def app(app_config) -> Iterator[Flask]:
    app = create_app(app_config)
    app.test_client_class = FlaskLoginClient
    if ON_POSTGRES:
        _reset_postgres_schema(app)
    else:
        with app.app_context():
            db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if ON_POSTGRES:
            _empty_postgres_tables(app)
        else:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app) -> list:
    """The e-mails the app sent (after commit), newest last."""
    return app.extensions.setdefault("mail_outbox", [])


_HASHES: dict[str, str] = {}


@pytest.fixture
def make_user(app) -> Callable[..., User]:
    """Create a committed user; returns it loaded (safe to hand to `app.test_client(user=...)`)."""
    counter = iter(range(1, 10_000))

    def _make(
        role: Role | str = Role.RESIDENT,
        *,
        email: str | None = None,
        verified: bool = True,
        password: str = PASSWORD,
        **fields,
    ) -> User:
        n = next(counter)
        # Inside a test's own app context, use its session: in-memory SQLite has one connection.
        with nullcontext() if has_app_context() else app.app_context():
            if password not in _HASHES:
                _HASHES[password] = hash_password(password)
            user = User(
                email=email or f"person{n}@example.org",
                display_name=fields.pop("display_name", f"Person {n}"),
                password_hash=_HASHES[password],
                role=Role(role),
                email_verified_at=utcnow() if verified else None,
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            return db.session.get(User, user.id)

    return _make


@pytest.fixture
def login(app, make_user) -> Callable[..., tuple]:
    """A client signed in as a new user of `role`; returns (client, user)."""

    def _login(role: Role | str = Role.RESIDENT, **fields):
        user = make_user(role, **fields)
        return app.test_client(user=user), user

    return _login


def link_in(message, path_prefix: str) -> str:
    """The first URL path in an e-mail body that starts with `path_prefix`."""
    body = message.get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", body)
    assert match, f"no link to {path_prefix} in:\n{body}"
    return match.group(1)
