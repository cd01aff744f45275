"""Published outcomes: immutable snapshots of a district's count, with the hash of the ballots behind it."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.db import str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.processes.models import District


class ResultStatus(enum.StrEnum):
    PREVIEW = "preview"  # counted, seen by administrators only
    PUBLISHED = "published"  # the official outcome
    SUPERSEDED = "superseded"  # once published, replaced by a later count (kept, with the reason)


class ResultSnapshot(db.Model):
    """The outcome of one district of a process, as counted from one exact ballot file.

    Once published, nothing in it changes (a flush that tries raises): a later count is a new snapshot,
    and publishing it marks this one superseded, with a public reason.
    """

    __tablename__ = "result_snapshots"
    __table_args__ = (
        sa.Index(
            "uq_result_snapshots_published",
            "process_id",
            "district_id",
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"))
    status: Mapped[ResultStatus] = mapped_column(str_enum(ResultStatus), default=ResultStatus.PREVIEW)
    rule: Mapped[str] = mapped_column(sa.String(30))
    options: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    pb_text: Mapped[str] = mapped_column(sa.Text)  # the anonymised ballots exactly as published
    pb_sha256: Mapped[str] = mapped_column(sa.String(64))
    outcome: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # the rule's full output, exact numbers
    figures: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)  # per project, for pages and exports
    winner_ids: Mapped[list[int]] = mapped_column(sa.JSON)  # project ids in selection order
    voters: Mapped[int]
    budget_cents: Mapped[int] = mapped_column(sa.BigInteger)
    spent_cents: Mapped[int] = mapped_column(sa.BigInteger)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    computed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None]
    supersede_reason: Mapped[str] = mapped_column(sa.Text, default="")

    district: Mapped["District"] = relationship(lazy="joined")

    def __str__(self) -> str:
        return f"result of {self.district.name if self.district else self.district_id} ({self.status.value})"


FROZEN = (
    "process_id",
    "district_id",
    "rule",
    "options",
    "pb_text",
    "pb_sha256",
    "outcome",
    "figures",
    "winner_ids",
    "voters",
    "budget_cents",
    "spent_cents",
    "computed_at",
    "published_at",
)


class ImmutableResultError(RuntimeError):
    """Code tried to change a published result."""


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_published(session: Session, flush_context, instances) -> None:
    for obj in session.dirty:
        if isinstance(obj, ResultSnapshot) and _was_published(obj):
            changed = [name for name in FROZEN if sa.inspect(obj).attrs[name].history.has_changes()]
            if changed:
                raise ImmutableResultError(f"a published result cannot change ({', '.join(changed)})")
    for obj in session.deleted:
        if isinstance(obj, ResultSnapshot) and _was_published(obj):
            raise ImmutableResultError("a published result cannot be deleted")


def _was_published(obj: ResultSnapshot) -> bool:
    history = sa.inspect(obj).attrs["status"].history
    before = history.deleted[0] if history.deleted else obj.status
    return before in (ResultStatus.PUBLISHED, ResultStatus.SUPERSEDED)
