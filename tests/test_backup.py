"""Backup and restore: a round trip into a new database gives back every row, on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app.auth.models import User
from app.backup import BackupError, dump, restore
from app.core.migrations import MIGRATIONS
from app.extensions import db


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            t.name: db.session.execute(sa.select(sa.func.count()).select_from(t)).scalar()
            for t in db.metadata.sorted_tables
        }


def test_round_trip_into_a_new_database(
    app, runner, make_image, make_project, make_process, empty_database_url, make_app_on, tmp_path
):
    runner.invoke(args=["demo"])
    make_project(make_process())
    make_image()
    path = tmp_path / "city.backup.gz"
    with app.app_context():
        dump(path)
        admin = db.session.scalar(sa.select(User).where(User.email == "admin@riverside.example"))
        expected_admin = (admin.id, admin.role, admin.created_at, admin.password_hash)

    target = make_app_on(empty_database_url)
    with target.app_context():
        upgrade(directory=str(MIGRATIONS))
        restore(path)
        db.session.commit()
        restored = db.session.get(User, expected_admin[0])
        assert (restored.id, restored.role, restored.created_at, restored.password_hash) == expected_admin
        db.session.add(User(email="new@example.org", display_name="New"))  # sequences moved past restored ids
        db.session.commit()
    before = _counts(app)
    after = _counts(target)
    after["users"] -= 1
    assert after == before and before["users"] >= 3 and before["processes"] >= 1

    with target.app_context(), pytest.raises(BackupError, match="not empty"):
        restore(path)


def test_a_file_that_is_not_a_backup_is_refused(app, tmp_path):
    import gzip

    path = tmp_path / "x.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"hello": 1}\n')
    with app.app_context(), pytest.raises(BackupError, match="not a backup"):
        restore(path)


def test_cli_round_trip_messages(app, runner, tmp_path):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["backup", "dump", str(tmp_path / "b.gz")])
    assert result.exit_code == 0 and "Wrote" in result.output
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.gz")])
    assert result.exit_code != 0 and "not empty" in result.output
