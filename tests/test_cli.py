from sqlalchemy import func, select

from app.auth.models import Role, User
from app.extensions import db
from app.processes.models import District


def test_demo_loads_once_and_prints_the_logins(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "resident@riverside.example" in first.output and "admin@riverside.example" in first.output
    with app.app_context():
        users, districts = (db.session.scalar(select(func.count()).select_from(m)) for m in (User, District))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already loaded" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users
        assert db.session.scalar(select(func.count()).select_from(District)) == districts
        roles = set(db.session.scalars(select(User.role)))
    assert roles == {Role.RESIDENT, Role.OFFICER, Role.ADMIN}


def test_demo_logins_work(app, runner, client):
    runner.invoke(args=["demo"])
    resp = client.post("/login", data={"email": "admin@riverside.example", "password": "demo-admin-1"})
    assert resp.status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_demo_processes_read_in_spanish(app, runner, client):
    runner.invoke(args=["demo"])
    client.set_cookie("lang", "es")
    listing = client.get("/processes").text
    assert (
        "Fondo Verde 2026" in listing and "Vote ahora los proyectos que quiere para su distrito." in listing
    )
    page = client.get("/processes/riverside-2027").text
    assert "Comparta su idea para Riverside" in page and "Método de Partes Iguales" in page
    assert "Toda la ciudad" in page and "Whole city" not in page  # the demo districts have Spanish names


def test_create_admin(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "boss@example.org", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
        assert user.role == Role.ADMIN and user.is_verified


def test_tick_moves_processes_whose_phase_ended(app, runner, make_process):
    from datetime import timedelta

    from app.db import utcnow
    from app.processes.models import Phase, Process

    process = make_process(Phase.PROPOSALS)
    with app.app_context():
        db.session.get(Process, process.id).phases[0].ends_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    result = runner.invoke(args=["processes", "tick"])
    assert result.exit_code == 0 and f"{process.slug}: proposals -> review" in result.output
    with app.app_context():
        assert db.session.get(Process, process.id).phase == Phase.REVIEW


def test_mail_flush_sends_queued_mail_that_is_due(app, runner, make_vote, make_user, outbox, monkeypatch):
    from datetime import timedelta

    from app.core import outbox as queue
    from app.core.outbox import MailStatus, OutboxMessage
    from app.db import utcnow

    monkeypatch.setattr(queue, "after_response", lambda job: None)  # the worker died after the answer
    vote = make_vote()
    client = app.test_client(user=make_user())
    assert client.post(vote.url("cast"), data={"p": [vote.ids()[0]]}).status_code == 302
    with app.app_context():
        later = queue.enqueue("note", "k", "x@example.org", {}, now=utcnow() + timedelta(hours=1))
        db.session.commit()
    result = runner.invoke(args=["mail", "flush"])
    assert result.exit_code == 0 and "sent 1, to retry 0, given up 0" in result.output
    assert len(outbox) == 1 and outbox[0]["Subject"].startswith("Your vote is cast")
    with app.app_context():
        assert db.session.get(OutboxMessage, later).status == MailStatus.PENDING
    assert runner.invoke(args=["mail", "flush"]).output == ""  # nothing due: quiet, for cron
