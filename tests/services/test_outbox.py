"""The outbox on a real session: a receipt commits or rolls back with its ballot and is queued once per
receipt; it is sent after the commit or by a flush, retried with backoff, given up after MAX_ATTEMPTS
tries; a claimed message is not claimed again until its lease ends."""

import json
import logging
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.core import outbox as queue
from app.core.mail import deliver
from app.core.outbox import MailStatus, OutboxMessage
from app.db import utcnow
from app.extensions import db
from app.processes.models import BallotType, Phase, Process
from app.voting import ballots, notify
from app.voting.eligibility import account_voter
from app.voting.models import Ballot


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def worker_dies(monkeypatch):
    """As if the worker died right after the answer: queued messages wait for a flush."""
    monkeypatch.setattr(queue, "after_response", lambda job: None)


@pytest.fixture
def mail_down(monkeypatch):
    def refuse(_app, _msg):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(queue, "deliver", refuse)


@pytest.fixture
def note(monkeypatch):
    """A kind of message for these tests: note(n) queues one, due at `now`."""

    def build(message: queue.Claimed) -> EmailMessage:
        msg = EmailMessage()
        msg["To"], msg["Subject"] = message.recipient, message.payload["subject"]
        msg.set_content("A note.")
        return msg

    monkeypatch.setitem(queue._BUILDERS, "note", build)

    def add(n: int, now=None) -> int:
        message_id = queue.enqueue("note", f"n{n}", f"p{n}@example.org", {"subject": f"Note {n}"}, now=now)
        db.session.commit()
        return message_id

    return add


def _row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def _rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _cast(vote, user: User, choices: dict[int, int]) -> ballots.CastResult:
    """Cast and queue the receipt as the cast view does (the caller commits)."""
    process = db.session.get(Process, vote.id)
    voter = account_voter(process, user, now=process.dates(Phase.VOTING).starts_at + timedelta(hours=1))
    result = ballots.cast_ballot(process, vote.district_id, voter, choices)
    notify.queue_receipt(user, voter, process.budgets[0], result)
    return result


@pytest.fixture
def voter(make_user):
    def _make() -> User:
        return db.session.get(User, make_user().id)

    return _make


def test_the_receipt_is_queued_with_its_ballot_and_names_no_code(ctx, make_vote, voter, worker_dies):
    vote, user = make_vote(BallotType.APPROVAL), voter()
    receipt = _cast(vote, user, {vote.ids()[0]: 1}).ballot.receipt
    db.session.commit()
    (row,) = _rows()
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert row.status == MailStatus.PENDING and row.recipient == user.email and row.attempts == 0
    assert receipt not in json.dumps(row.payload) and receipt not in row.key  # see notify.py


def test_a_rollback_takes_the_ballot_and_its_receipt_together(ctx, make_vote, voter, outbox):
    vote = make_vote(BallotType.APPROVAL)
    _cast(vote, voter(), {vote.ids()[0]: 1})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    assert _rows() == [] and outbox == []


def test_a_message_is_queued_once_per_key(ctx, note, worker_dies):
    first = note(1)
    assert queue.enqueue("note", "n1", "other@example.org", {"subject": "Again"}) is None
    db.session.commit()
    assert [r.id for r in _rows()] == [first]


def test_the_same_ballot_sent_again_keeps_its_receipt_and_queues_nothing(ctx, make_vote, voter, worker_dies):
    vote, user = make_vote(BallotType.APPROVAL), voter()
    a, b, _c = vote.ids()
    first = _cast(vote, user, {a: 1, b: 1}).ballot.receipt
    db.session.commit()
    again = _cast(vote, user, {a: 1, b: 1})
    db.session.commit()
    assert not again.changed and again.ballot.receipt == first and len(_rows()) == 1
    changed = _cast(vote, user, {a: 1})
    db.session.commit()
    assert changed.changed and changed.ballot.receipt != first and len(_rows()) == 2


def test_after_the_commit_the_receipt_is_sent_and_marked_sent(ctx, make_vote, voter, outbox):
    vote, user = make_vote(BallotType.APPROVAL), voter()
    receipt = _cast(vote, user, {vote.ids()[0]: 1}).ballot.receipt
    db.session.commit()  # outside a request, the try comes at once
    (row,) = _rows()
    assert row.status == MailStatus.SENT and row.sent_at is not None and row.attempts == 1
    assert row.payload == {} and row.claimed_until is None
    assert len(outbox) == 1 and outbox[0]["To"] == user.email and receipt in outbox[0].get_content()


def test_a_mail_server_that_is_down_leaves_it_pending_for_later(ctx, make_vote, voter, outbox, mail_down):
    vote = make_vote(BallotType.APPROVAL)
    before = utcnow()
    _cast(vote, voter(), {vote.ids()[0]: 1})
    db.session.commit()
    (row,) = _rows()
    assert row.status == MailStatus.PENDING and row.attempts == 1 and row.claimed_until is None
    assert row.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert row.next_attempt_at >= before + queue.FIRST_RETRY and outbox == []


def test_a_flush_sends_what_is_due_and_leaves_what_is_not(ctx, note, worker_dies, outbox):
    now = utcnow()
    due, later = note(1, now=now), note(2, now=now + timedelta(minutes=5))
    assert queue.flush(now=now) == {MailStatus.SENT: 1}
    assert _row(due).status == MailStatus.SENT and _row(later).status == MailStatus.PENDING
    assert [m["Subject"] for m in outbox] == ["Note 1"]
    assert queue.flush(now=now + timedelta(minutes=5)) == {MailStatus.SENT: 1}
    assert _row(later).status == MailStatus.SENT and len(outbox) == 2


def test_a_worker_that_died_after_the_answer_loses_no_receipt(ctx, make_vote, voter, worker_dies, outbox):
    vote, user = make_vote(BallotType.APPROVAL), voter()
    receipt = _cast(vote, user, {vote.ids()[0]: 1}).ballot.receipt
    db.session.commit()
    assert outbox == []
    assert queue.flush() == {MailStatus.SENT: 1}
    assert receipt in outbox[0].get_content() and outbox[0]["Subject"].startswith("Your vote is cast")


def test_a_change_before_the_receipt_went_out_cancels_the_older_receipt(
    ctx, make_vote, voter, worker_dies, outbox
):
    vote, user = make_vote(BallotType.APPROVAL), voter()
    a, b, _c = vote.ids()
    _cast(vote, user, {a: 1})
    db.session.commit()
    receipt = _cast(vote, user, {b: 1}).ballot.receipt
    db.session.commit()
    assert queue.flush() == {MailStatus.CANCELLED: 1, MailStatus.SENT: 1}
    assert [r.status for r in _rows()] == [MailStatus.CANCELLED, MailStatus.SENT]
    (mail,) = outbox
    assert receipt in mail.get_content() and mail["Subject"].startswith("Your vote is changed")


def test_failed_tries_back_off_and_the_last_one_gives_up(ctx, note, worker_dies, mail_down, caplog):
    now = utcnow()
    message_id = note(1, now=now)
    waits = []
    for _ in range(queue.MAX_ATTEMPTS - 1):
        assert queue.flush(now=now) == {MailStatus.PENDING: 1}
        assert queue.flush(now=now) == {}  # not due again yet
        waits.append(_row(message_id).next_attempt_at - now)
        now += waits[-1]
    assert waits[:3] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert max(waits) == queue.LONGEST_RETRY
    with caplog.at_level(logging.ERROR, logger="app.core.outbox"):
        assert queue.flush(now=now) == {MailStatus.FAILED: 1}
    row = _row(message_id)
    assert row.status == MailStatus.FAILED and row.attempts == queue.MAX_ATTEMPTS
    assert row.payload == {"subject": "Note 1"} and "Connection refused" in row.last_error
    assert any("gave up" in r.getMessage() and "p1@example.org" in r.getMessage() for r in caplog.records)
    assert queue.flush(now=now + timedelta(days=2)) == {}


def test_retry_delay_doubles_up_to_six_hours():
    delays = [queue.retry_delay(n) for n in range(1, queue.MAX_ATTEMPTS)]
    assert [d // timedelta(minutes=1) for d in delays] == [5, 10, 20, 40, 80, 160, 320, 360, 360]
    assert queue.retry_delay(100) == timedelta(hours=6)


def test_a_claimed_message_waits_for_its_lease_to_end(ctx, note, worker_dies, outbox):
    now = utcnow()
    message_id = note(1, now=now)
    claimed = queue.claim(now=now)
    assert claimed.id == message_id and claimed.attempts == 1
    assert queue.claim(now=now) is None and queue.claim(now=now, message_id=message_id) is None
    assert queue.flush(now=now + queue.LEASE - timedelta(seconds=1)) == {}
    # The sender died while holding it: once the lease is over, another sender takes it.
    assert queue.flush(now=now + queue.LEASE) == {MailStatus.SENT: 1}
    assert _row(message_id).attempts == 2 and len(outbox) == 1


def test_a_message_with_no_builder_is_retried_not_lost(ctx, worker_dies):
    message_id = queue.enqueue("unknown", "k", "p@example.org", {})
    db.session.commit()
    assert queue.flush() == {MailStatus.PENDING: 1}
    assert "no builder" in _row(message_id).last_error


def test_done_messages_are_deleted_after_a_week_and_failed_ones_kept(ctx, note, worker_dies):
    now = utcnow()
    sent, failed = note(1, now=now), note(2, now=now)
    queue.flush(now=now, limit=1)
    db.session.get(OutboxMessage, failed).status = MailStatus.FAILED
    db.session.commit()
    assert queue.purge(now=now + queue.KEEP_DONE) == 0
    assert queue.purge(now=now + queue.KEEP_DONE + timedelta(seconds=1)) == 1
    assert [r.id for r in _rows()] == [failed] and sent != failed


def _fail_for_good(message_id: int, now) -> None:
    for _ in range(queue.MAX_ATTEMPTS):
        queue.flush(now=now)
        now = _row(message_id).next_attempt_at
    assert _row(message_id).status == MailStatus.FAILED


def test_a_failed_message_tried_again_gets_one_more_try(
    ctx, note, worker_dies, mail_down, monkeypatch, outbox
):
    now = utcnow()
    message_id = note(1, now=now)
    _fail_for_good(message_id, now)
    later = now + timedelta(days=2)
    assert queue.retry(message_id, now=later) == 1
    db.session.commit()
    row = _row(message_id)
    assert (row.status, row.next_attempt_at, row.claimed_until) == (MailStatus.PENDING, later, None)
    assert "Connection refused" in row.last_error  # kept until the next try says otherwise
    # Still down: one try, and it is failed again at once, its tries all counted.
    assert queue.flush(now=later) == {MailStatus.FAILED: 1}
    assert _row(message_id).attempts == queue.MAX_ATTEMPTS + 1
    queue.retry(message_id, now=later)
    db.session.commit()
    monkeypatch.setattr(queue, "deliver", deliver)  # the mail server is back
    assert queue.flush(now=later) == {MailStatus.SENT: 1} and outbox[0]["Subject"] == "Note 1"


def test_only_failed_messages_are_tried_again(ctx, note, worker_dies, mail_down):
    now = utcnow()
    failed, also_failed, pending = note(1, now=now), note(2, now=now), note(3, now=now + timedelta(days=9))
    _fail_for_good(failed, now)
    _fail_for_good(also_failed, _row(also_failed).next_attempt_at)
    assert queue.retry(pending, now=now) == 0
    assert queue.retry(now=now) == 2  # every failed message
    assert queue.retry(now=now) == 0  # none is failed any more
    db.session.commit()
    assert [r.status for r in _rows()] == [MailStatus.PENDING] * 3
    assert _row(pending).next_attempt_at == now + timedelta(days=9)
