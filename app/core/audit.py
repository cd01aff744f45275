"""The audit log: every officer and admin action, with who, what, target, when, before and after."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(40), index=True)
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(sa.String(200), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    actor: Mapped["User | None"] = relationship(lazy="joined")

    __table_args__ = (sa.Index("ix_audit_events_target", "target_type", "target_id"),)


def record(
    actor: "User | None",
    action: str,
    target: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    label: str | None = None,
) -> AuditEvent:
    """Add an audit event for `action` by `actor` on `target` (any mapped object with an `id`), or on
    a whole table when `target` is its name (then `label` says what was acted on).

    The target's type is its table name; its label is `str(target)` as it reads now. Flushes.
    """
    whole_table = isinstance(target, str)
    table = target if whole_table else getattr(target, "__tablename__", type(target).__name__.lower())
    event = AuditEvent(
        actor=actor,
        action=action,
        target_type=table,
        target_id=None if whole_table else getattr(target, "id", None),
        target_label=(label if label is not None else str(target))[:200],
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v if isinstance(v, (int, float, bool, type(None))) else str(v) for k, v in values.items()}
