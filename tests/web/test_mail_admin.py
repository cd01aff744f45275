"""Queued e-mail on the admin pages: the dashboard panel shows only when mail is stuck or failed, the
list hides addresses and payloads, and failed messages can be tried again, one or all, audited."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.config import TestConfig
from app.core.audit import AuditEvent
from app.core.outbox import MailStatus, OutboxMessage
from app.db import utcnow
from app.extensions import db
from tests.web.query_counter import count_queries

REFUSED = "SMTPRecipientsRefused: {'alice@example.org': (550, b'5.1.1 <alice@example.org>: unknown user')}"


def _status(app, message_id: int) -> tuple[MailStatus, object]:
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        return row.status, row.next_attempt_at


def _actions(app) -> list[tuple[str, dict | None]]:
    with app.app_context():
        return [(e.action, e.after) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_dashboard_shows_the_mail_panel_only_when_something_needs_attention(login, make_outbox_message):
    client, _ = login(Role.ADMIN)
    make_outbox_message(status="sent", age=timedelta(hours=2))
    make_outbox_message()  # just queued
    make_outbox_message(attempts=1, last_error="OSError: down", age=timedelta(minutes=10))  # retried soon
    page = client.get("/admin/").text
    assert "Email needs attention" not in page and "Nothing needs your attention" in page

    make_outbox_message(age=timedelta(minutes=16))  # never tried: the cron job is not running
    page = client.get("/admin/").text
    assert "Email needs attention" in page and 'href="/admin/mail"' in page
    assert "1 message has waited more than 15 minutes to be sent." in page and "failed" not in page

    make_outbox_message(status="failed")
    make_outbox_message(status="failed")
    page = client.get("/admin/").text
    assert "2 messages failed and will not be tried again unless you ask." in page


def test_the_list_masks_addresses_and_shows_no_payload(login, make_outbox_message):
    client, _ = login(Role.ADMIN)
    failed = make_outbox_message(status="failed", recipient="alice@example.org", last_error=REFUSED)
    retried = make_outbox_message(
        recipient="bob@example.net",
        attempts=2,
        last_error="OSError: down",
        next_attempt_at=utcnow() + timedelta(minutes=10),
    )
    make_outbox_message(status="sent", recipient="carol@example.org")
    make_outbox_message(status="cancelled", recipient="dan@example.org")
    make_outbox_message(recipient="erin@example.org")  # queued just now: not in trouble (yet)
    stuck = make_outbox_message(recipient="frank@example.org", age=timedelta(minutes=20))  # never tried
    page = client.get("/admin/mail").text
    assert "a***@example.org" in page and "b***@example.net" in page and "f***@example.org" in page
    for hidden in ("alice", "bob@", "carol", "dan@", "erin", "frank", "Voter 1", "Riverside 2027"):
        assert hidden not in page, hidden
    assert "Vote receipt" in page and "3 messages" in page and "5.1.1 &lt;a***@example.org&gt;" in page
    # Newest first: the stuck one was queued 20 minutes before the others.
    assert page.index(f"#{retried.id}") < page.index(f"#{failed.id}") < page.index(f"#{stuck.id}")
    assert page.count("Due since") == 1  # the stuck one; the retried one is due later
    assert page.count("Try again</button>") == 1 and f"/admin/mail/{failed.id}/retry" in page
    assert "Try all failed again" in page


def test_the_list_is_paged_with_a_fixed_number_of_queries(app, login, make_outbox_message):
    client, _ = login(Role.ADMIN)
    make_outbox_message(status="failed")
    few = count_queries(app, lambda: client.get("/admin/mail"))
    for _ in range(24):
        make_outbox_message(status="failed")
    assert count_queries(app, lambda: client.get("/admin/mail")) == few
    assert "Page 1 of 2" in client.get("/admin/mail").text
    assert client.get("/admin/mail?page=2").text.count("Try again</button>") == 5


def test_an_admin_tries_one_failed_message_again(app, login, make_outbox_message):
    client, _ = login(Role.ADMIN)
    message, other = make_outbox_message(status="failed"), make_outbox_message(status="failed")
    before = utcnow()
    resp = client.post(f"/admin/mail/{message.id}/retry", data={"next": "/admin/mail?page=1"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin/mail?page=1"
    status, due = _status(app, message.id)
    assert status == MailStatus.PENDING and before - timedelta(seconds=1) <= due <= utcnow()
    assert _status(app, other.id)[0] == MailStatus.FAILED
    assert _actions(app) == [("mail.retried", {"status": "pending"})]
    assert "will be tried again shortly" in client.get("/admin/mail").text

    client.post(f"/admin/mail/{message.id}/retry")  # twice (a double tap): nothing more happens
    assert len(_actions(app)) == 1
    assert "has not failed" in client.get("/admin/mail").text
    assert client.post("/admin/mail/999/retry").status_code == 404


def test_an_admin_tries_all_failed_messages_again(app, login, make_outbox_message):
    client, _ = login(Role.ADMIN)
    failed = [make_outbox_message(status="failed") for _ in range(3)]
    waiting = make_outbox_message(attempts=1, last_error="OSError: down")
    with app.app_context():
        later = db.session.get(OutboxMessage, waiting.id).next_attempt_at
    resp = client.post("/admin/mail/retry-failed")
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin/mail"
    assert all(_status(app, m.id)[0] == MailStatus.PENDING for m in failed)
    assert all(_status(app, m.id)[1] <= utcnow() for m in failed)
    assert _status(app, waiting.id) == (MailStatus.PENDING, later)  # left on its own schedule
    assert _actions(app) == [("mail.retried_all", {"messages": 3})]
    page = client.get("/admin/mail").text
    assert "3 messages will be tried again shortly." in page and "Try all failed again" not in page
    assert "Email needs attention" not in client.get("/admin/").text
    log = client.get("/admin/audit").text
    assert "mail.retried_all" in log and "messages: 3" in log and "#None" not in log

    client.post("/admin/mail/retry-failed")
    assert len(_actions(app)) == 1  # nothing failed: nothing to audit


class CsrfConfig(TestConfig):
    WTF_CSRF_ENABLED = True


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, tmp_path):
        return type("Config", (CsrfConfig,), {"UPLOAD_DIR": str(tmp_path / "uploads")})

    def test_trying_again_needs_the_form_token(self, app, login, make_outbox_message):
        client, _ = login(Role.ADMIN)
        message = make_outbox_message(status="failed")
        assert client.post(f"/admin/mail/{message.id}/retry").status_code == 400
        assert client.post("/admin/mail/retry-failed").status_code == 400
        assert _status(app, message.id)[0] == MailStatus.FAILED
        page = client.get("/admin/mail").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        assert client.post(f"/admin/mail/{message.id}/retry", data={"csrf_token": token}).status_code == 302
        assert _status(app, message.id)[0] == MailStatus.PENDING
