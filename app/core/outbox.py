"""The outbox: e-mail that must not be lost, queued in the same transaction as what it tells about.

A request adds the message as a row (`enqueue`), so it commits or rolls back with the change itself:
no e-mail about something that was not saved, and nothing saved whose e-mail is not on its way. The
row holds plain values; the message is built from them when it is sent, by the function registered
for its kind (`@builder("ballot_receipt")`), which may also find it is no longer needed.

Who sends: the worker that served the request tries once, right after the answer has gone out
(`mail.after_response`); `flask mail flush`, run from cron, sends whatever is due: a try that failed,
or one a worker never made because it died. A sender first claims the row in a short transaction of
its own, a conditional UPDATE that sets `claimed_until` (on PostgreSQL the row is chosen with
`FOR UPDATE SKIP LOCKED`; SQLite has one writer at a time), so two senders never send the same
message. Delivery is at least once: a sender stalled for longer than LEASE (SMTP gives up after 10 s)
may see its message taken and sent again.

A failed try is retried after `retry_delay`; after MAX_ATTEMPTS tries the row is kept as failed,
with its last error, and logged, until an administrator has it tried again (`retry`, from the admin
pages). A message that was sent or cancelled keeps no payload, and is deleted KEEP_DONE after its
last try.
"""

import enum
import logging
import smtplib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.core.aftercommit import on_commit
from app.core.mail import after_response, deliver
from app.db import str_enum, utcnow
from app.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
LEASE = timedelta(minutes=10)
KEEP_DONE = timedelta(days=7)


class MailStatus(enum.StrEnum):
    PENDING = "pending"  # to send at or after next_attempt_at
    SENT = "sent"
    FAILED = "failed"  # given up after MAX_ATTEMPTS tries; last_error says why
    CANCELLED = "cancelled"  # no longer needed when its turn came (a newer receipt replaced it)


class OutboxMessage(db.Model):
    """One e-mail to send: its kind, recipient and the plain values its builder needs."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.UniqueConstraint("kind", "key"),  # the same message is never queued twice
        sa.Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(64))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # When it is due; once it is sent or cancelled, when that happened.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]  # a sender holds it until then
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def __str__(self) -> str:
        return f"{self.kind} e-mail {self.id}"


@dataclass(frozen=True)
class Claimed:
    """A message a sender holds, as plain values (the claim's transaction is over)."""

    id: int
    kind: str
    key: str
    recipient: str
    payload: dict[str, Any]
    attempts: int  # this try included


Builder = Callable[[Claimed], EmailMessage | None]
_BUILDERS: dict[str, Builder] = {}
#: What each kind of message is called on the admin pages ("Vote receipt"), by kind.
LABELS: dict[str, Any] = {}


def builder(kind: str, *, label: Any = None) -> Callable[[Builder], Builder]:
    """Register the function that builds messages of `kind` when they are sent. It returns the
    message, or None when it is no longer needed (the row is then cancelled). `label` (a lazy
    string) names the kind for administrators."""

    def register(build: Builder) -> Builder:
        _BUILDERS[kind] = build
        if label is not None:
            LABELS[kind] = label
        return build

    return register


def enqueue(
    kind: str, key: str, recipient: str, payload: dict[str, Any], *, now: datetime | None = None
) -> int | None:
    """Queue a message in the current transaction; the caller commits. Returns its id, or None when a
    message of this kind and key is queued already (by this request or any other: the database's
    unique constraint decides). After the commit, the worker tries to send it once the answer is out.

    `payload` is plain JSON values for the kind's builder."""
    now = now or utcnow()
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    message_id = db.session.scalar(
        insert(OutboxMessage)
        .values(kind=kind, key=key, recipient=recipient, payload=payload, next_attempt_at=now, created_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
        .returning(OutboxMessage.id)
    )
    if message_id is not None:
        app = current_app._get_current_object()
        on_commit(lambda: after_response(lambda: _send_soon(app, message_id)))
    return message_id


def _send_soon(app: Flask, message_id: int) -> None:
    with app.app_context():
        try:
            claimed = claim(message_id=message_id)
            if claimed is not None:  # else a flush took it first
                attempt(claimed)
        except Exception:
            # The row is still pending (or claimed until its lease ends): `flask mail flush` sends it.
            log.exception("could not try e-mail %s after the answer", message_id)


def claim(*, now: datetime | None = None, message_id: int | None = None) -> Claimed | None:
    """Take the oldest due message, or the pending message `message_id` whether due or not, for
    LEASE, counting the try. Commits, so that other senders see the claim. None when there is none."""
    now = now or utcnow()
    free = select(OutboxMessage.id).where(
        OutboxMessage.status == MailStatus.PENDING,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
    )
    if message_id is None:
        free = free.where(OutboxMessage.next_attempt_at <= now)
    else:
        free = free.where(OutboxMessage.id == message_id)
    # A row another sender is claiming right now is passed over, not waited for.
    free = free.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1)
    row = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == free.with_for_update(skip_locked=True).scalar_subquery())
        .values(claimed_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .returning(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.key,
            OutboxMessage.recipient,
            OutboxMessage.payload,
            OutboxMessage.attempts,
        )
        .execution_options(synchronize_session=False)
    ).first()
    db.session.commit()
    return Claimed(*row) if row else None


def attempt(claimed: Claimed, *, now: datetime | None = None) -> MailStatus:
    """Build and send a claimed message, and record how it went (commits). Returns its status:
    SENT; CANCELLED when its builder found it no longer needed; PENDING when it will be tried again
    after `retry_delay`; FAILED when that was its last try."""
    try:
        build = _BUILDERS.get(claimed.kind)
        if build is None:
            raise LookupError(f"no builder for e-mail of kind {claimed.kind!r}")
        msg = build(claimed)
        if msg is not None:
            deliver(current_app._get_current_object(), msg)
    except Exception as exc:  # whatever went wrong is kept on the row, and the message tried again
        db.session.rollback()
        return _failed(claimed, exc, now or utcnow())
    status = MailStatus.CANCELLED if msg is None else MailStatus.SENT
    now = now or utcnow()
    _record(
        claimed.id,
        status=status,
        sent_at=now if msg is not None else None,
        next_attempt_at=now,
        claimed_until=None,
        payload={},
    )
    return status


def _failed(claimed: Claimed, exc: Exception, now: datetime) -> MailStatus:
    error = f"{type(exc).__name__}: {exc}"[:500]
    what = (claimed.id, claimed.kind, claimed.recipient, claimed.attempts, error)
    if claimed.attempts >= MAX_ATTEMPTS:
        log.error("gave up on e-mail %s (%s) to %s after %d tries: %s", *what, exc_info=exc)
        _record(claimed.id, status=MailStatus.FAILED, claimed_until=None, last_error=error)
        return MailStatus.FAILED
    # A mail server that is down is expected now and then; anything else (a bug) gets its traceback.
    trace = not isinstance(exc, OSError | smtplib.SMTPException)
    log.warning("could not send e-mail %s (%s) to %s, try %d, will retry: %s", *what, exc_info=trace)
    _record(
        claimed.id,
        claimed_until=None,
        last_error=error,
        next_attempt_at=now + retry_delay(claimed.attempts),
    )
    return MailStatus.PENDING


def _record(message_id: int, **values: Any) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed tries: FIRST_RETRY (5 min), doubling, at most
    LONGEST_RETRY (6 h). With MAX_ATTEMPTS = 10 the last try comes 22 h 35 min after the first."""
    return min(FIRST_RETRY * 2 ** min(max(attempts, 1) - 1, 16), LONGEST_RETRY)


def retry(message_id: int | None = None, *, now: datetime | None = None) -> int:
    """Put the failed message `message_id` (None: every failed message) back in the queue, due at
    `now`, and return how many were. A message that is not failed (sent, or retried already) is left
    alone. Its tries so far stay counted, so this is one more try: if that fails too, the message is
    failed again at once. Flushes; the caller commits."""
    stmt = update(OutboxMessage).where(OutboxMessage.status == MailStatus.FAILED)
    if message_id is not None:
        stmt = stmt.where(OutboxMessage.id == message_id)
    values = {"status": MailStatus.PENDING, "next_attempt_at": now or utcnow(), "claimed_until": None}
    return db.session.execute(stmt.values(**values).execution_options(synchronize_session="fetch")).rowcount


def flush(*, now: datetime | None = None, limit: int = 1000) -> Counter[MailStatus]:
    """Send up to `limit` due messages, oldest first, then delete those done more than KEEP_DONE ago.
    Returns how many ended in each status (PENDING: to be tried again). Commits."""
    done: Counter[MailStatus] = Counter()
    for _ in range(limit):
        current = now or utcnow()
        claimed = claim(now=current)
        if claimed is None:
            break
        done[attempt(claimed, now=current)] += 1
    purge(now=now)
    return done


def purge(*, now: datetime | None = None) -> int:
    """Delete sent and cancelled messages done more than KEEP_DONE ago; failed ones stay. Commits.

    A sent receipt says who voted, and when to the second (ballots keep the hour only, see
    app/voting/models.py), so it is not kept for longer than a question about it is likely."""
    deleted = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_([MailStatus.SENT, MailStatus.CANCELLED]),
            OutboxMessage.next_attempt_at < (now or utcnow()) - KEEP_DONE,
        )
    ).rowcount
    db.session.commit()
    return deleted
