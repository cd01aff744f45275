"""Several senders at once on PostgreSQL: no message is claimed twice, and each is sent exactly once."""

import threading
from collections import Counter
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from app.core import outbox as queue
from app.core.outbox import MailStatus, OutboxMessage
from app.extensions import db
from tests.conftest import ON_POSTGRES

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL (TEST_DATABASE_URL): in-memory SQLite has one connection, so nothing races",
    ),
]

MESSAGES, SENDERS = 60, 4


@pytest.fixture
def queued(app, monkeypatch) -> list[int]:
    def build(message: queue.Claimed) -> EmailMessage:
        msg = EmailMessage()
        msg["To"], msg["Subject"] = message.recipient, message.key
        msg.set_content("A note.")
        return msg

    monkeypatch.setitem(queue._BUILDERS, "note", build)
    monkeypatch.setattr(queue, "after_response", lambda job: None)  # only the senders below send
    with app.app_context():
        ids = [queue.enqueue("note", f"n{n}", f"p{n}@example.org", {}) for n in range(MESSAGES)]
        db.session.commit()
    return ids


def _in_threads(app, work) -> list:
    start = threading.Barrier(SENDERS)
    results: list = []

    def run() -> None:
        with app.app_context():  # each sender has its own session and connection
            start.wait()
            results.append(work())

    threads = [threading.Thread(target=run) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == SENDERS
    return results


def test_concurrent_claims_never_take_the_same_message(app, queued):
    def claim_all() -> list[int]:
        taken = []
        while (claimed := queue.claim()) is not None:
            taken.append(claimed.id)
        return taken

    taken = [message_id for ids in _in_threads(app, claim_all) for message_id in ids]
    assert sorted(taken) == sorted(queued)  # every message once: none twice, none missed


def test_concurrent_flushes_send_each_message_once(app, queued, outbox):
    reports = _in_threads(app, queue.flush)
    assert sum(reports, Counter()) == {MailStatus.SENT: MESSAGES}
    assert sorted(m["Subject"] for m in outbox) == sorted(f"n{n}" for n in range(MESSAGES))
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage)))
        assert {r.status for r in rows} == {MailStatus.SENT} and {r.attempts for r in rows} == {1}
