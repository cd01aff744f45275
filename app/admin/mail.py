"""Queued e-mail as administrators see it: what is stuck or failed, and trying it again.

A ballot receipt's address says that its owner voted, so these pages never show an address whole
(`mask_address`), nor a payload, nor when a message was queued: enough to see that mail is stuck and
why, not a list of who voted.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import load_only

from app.auth.models import User
from app.core import audit, outbox
from app.core.outbox import MailStatus, OutboxMessage
from app.db import utcnow
from app.extensions import db

#: A message first tried longer ago than this and still not sent needs a look: the first try comes
#: right after the request that queued it, and the next ones (5, 10, 20 minutes...) from cron.
WAITING_TOO_LONG = timedelta(minutes=15)

_ADDRESS = re.compile(r"[\w.!#$%&*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*")


def mask_address(address: str) -> str:
    """An address with all of its local part but the first character hidden: a***@example.org.
    Text that is not an address is hidden whole."""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return "***"
    return f"{local[0]}***@{domain}"


def mask_addresses(text: str) -> str:
    """`text` (an error from the mail server) with every address in it masked."""
    return _ADDRESS.sub(lambda m: mask_address(m.group()), text)


def kind_label(kind: str) -> str:
    """What a kind of message is called ("Vote receipt"); the kind itself when it has no label."""
    return str(outbox.LABELS.get(kind, kind))


@dataclass(frozen=True)
class Attention:
    waiting: int  # pending, and first tried more than WAITING_TOO_LONG ago
    failed: int

    def __bool__(self) -> bool:
        return bool(self.waiting or self.failed)

    @property
    def minutes(self) -> int:
        return WAITING_TOO_LONG // timedelta(minutes=1)


def _waiting(now: datetime):
    return (OutboxMessage.status == MailStatus.PENDING) & (OutboxMessage.created_at <= now - WAITING_TOO_LONG)


def attention(*, now: datetime | None = None) -> Attention:
    """How many messages wait too long and how many failed, in one query (false when none)."""
    now = now or utcnow()
    waiting, failed = db.session.execute(
        select(
            func.count().filter(_waiting(now)),
            func.count().filter(OutboxMessage.status == MailStatus.FAILED),
        ).where(OutboxMessage.status.in_([MailStatus.PENDING, MailStatus.FAILED]))
    ).one()
    return Attention(waiting, failed)


def trouble_query(*, now: datetime | None = None) -> Select:
    """Messages to show, newest first: failed ones, pending ones that failed at least once, and
    pending ones waiting too long (never tried: `flask mail flush` is not running). No payload."""
    now = now or utcnow()
    pending = OutboxMessage.status == MailStatus.PENDING
    return (
        select(OutboxMessage)
        .options(
            load_only(
                OutboxMessage.kind,
                OutboxMessage.recipient,
                OutboxMessage.status,
                OutboxMessage.attempts,
                OutboxMessage.next_attempt_at,
                OutboxMessage.last_error,
            )
        )
        .where(
            or_(
                OutboxMessage.status == MailStatus.FAILED,
                pending & (OutboxMessage.last_error != ""),
                _waiting(now),
            )
        )
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )


def retry_message(actor: User, message: OutboxMessage, *, now: datetime | None = None) -> bool:
    """Have a failed message tried again (see `outbox.retry`), audited; False when it is not failed
    (any more). Flushes; the caller commits."""
    if not outbox.retry(message.id, now=now):
        return False
    audit.record(actor, "mail.retried", message, before={"status": "failed"}, after={"status": "pending"})
    return True


def retry_all_failed(actor: User, *, now: datetime | None = None) -> int:
    """Have every failed message tried again; one audit event with their number. Returns it (0: no
    event). Flushes; the caller commits."""
    count = outbox.retry(now=now)
    if count:
        table = OutboxMessage.__tablename__
        audit.record(actor, "mail.retried_all", table, label="failed e-mail", after={"messages": count})
    return count
