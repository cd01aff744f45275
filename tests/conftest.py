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
from app.extensions import db, limiter

pytest_plugins = [
    "tests.factories",
    "tests.databases",
    "tests.factories_proposals",
    "tests.factories_voting",
    "tests.factories_results",
    "tests.factories_delivery",
]

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


@pytest.fixture
def app_config() -> type[TestConfig] | None:
    """Override in a test module to change settings (a subclass, never a mutated TestConfig).

    None (the default) means the shared test app: built once per run, its rows deleted after each
    test; building an app costs ~0.1 s (Werkzeug compiles every route), so most tests share one.
    """
    return None


_SHARED: dict[str, Flask] = {}


class TestClient(FlaskLoginClient):
    """Reads each answer whole and closes it, as a server does: work queued to run once the answer
    has gone out (the ballot receipt) is done before the test goes on."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


def _build(config: type[TestConfig]) -> Flask:
    app = create_app(config)
    app.test_client_class = TestClient
    if ON_POSTGRES:
        _reset_postgres_schema(app)
    else:
        with app.app_context():
            db.create_all()
    return app


def _shared_app(tmp_path_factory) -> Flask:
    if "app" not in _SHARED:
        uploads = str(tmp_path_factory.mktemp("uploads"))
        _SHARED["app"] = _build(type("SharedTestConfig", (TestConfig,), {"UPLOAD_DIR": uploads}))
    return _SHARED["app"]


def _empty_tables(app: Flask) -> None:
    """Delete every row; ids start again at 1 (SQLite reuses them, PostgreSQL restarts its sequences)."""
    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())  # 30x faster than TRUNCATE on the few rows a test leaves
        if ON_POSTGRES:
            sequences = conn.execute(
                sa.text("SELECT sequence_name FROM information_schema.sequences")
            ).scalars()
            conn.execute(sa.text("; ".join(f'ALTER SEQUENCE "{name}" RESTART' for name in sequences)))


@pytest.fixture
def app(app_config, tmp_path_factory, tmp_path) -> Iterator[Flask]:
    shared = app_config is None
    app = _shared_app(tmp_path_factory) if shared else _build(app_config)
    if shared:
        app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")  # each test sees only its own files
    app.extensions["mail_outbox"] = []
    if "page_cache" in app.extensions:
        app.extensions["page_cache"].clear()  # rows of the last test were deleted behind its back
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        if shared or ON_POSTGRES:
            _empty_tables(app)
        else:
            db.drop_all()
        if not shared:
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
