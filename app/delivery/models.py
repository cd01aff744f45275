"""Delivery of funded projects, and what residents add to it.

A funded ballot project gets one delivery record (status, progress, dates, money) with its public
history of changes, milestones and officers' updates with photos. Residents offer help, report what
they see on the ground and rate the finished project (once each, editable).
"""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.core.images import StoredImage
    from app.processes.models import Process, Project


class DeliveryStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DELAYED = "delayed"  # with a public reason
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # with a public reason

    @property
    def needs_reason(self) -> bool:
        return self in (DeliveryStatus.DELAYED, DeliveryStatus.CANCELLED)

    @property
    def is_open(self) -> bool:
        """Work is still to be done: residents may offer help."""
        return self in (DeliveryStatus.PLANNED, DeliveryStatus.IN_PROGRESS, DeliveryStatus.DELAYED)


class OfferStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COORDINATING = "coordinating"  # an officer replied to arrange the details


class ReportKind(enum.StrEnum):
    STARTED = "started"
    PROBLEM = "problem"
    FINISHED = "finished"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"  # shown on the public timeline
    ANSWERED = "answered"  # an officer replied; not on the timeline


class Serves(enum.StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


_REASON_GIVEN = "status NOT IN ('delayed', 'cancelled') OR length(status_reason) > 0"


class DeliveryProject(db.Model):
    """How a funded project is being delivered. Money is in cents, like everywhere else."""

    __tablename__ = "delivery_projects"
    __table_args__ = (
        sa.CheckConstraint("progress_percent BETWEEN 0 AND 100", name="progress_range"),
        sa.CheckConstraint("allocated_cents IS NULL OR allocated_cents >= 0", name="allocated_not_negative"),
        sa.CheckConstraint("spent_cents IS NULL OR spent_cents >= 0", name="spent_not_negative"),
        sa.CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"
        ),
        sa.CheckConstraint(_REASON_GIVEN, name="reason_given"),
        sa.Index("ix_delivery_projects_process_id_status", "process_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus), default=DeliveryStatus.PLANNED)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    progress_percent: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    allocated_cents: Mapped[int | None] = mapped_column(sa.BigInteger)
    spent_cents: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    project: Mapped["Project"] = relationship(lazy="joined", innerjoin=True)
    process: Mapped["Process"] = relationship()
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="delivery",
        cascade="all, delete-orphan",
        order_by="(Milestone.due_on.is_(None), Milestone.due_on, Milestone.id)",
    )

    def __str__(self) -> str:
        return self.project.title if self.project else f"delivery {self.id}"

    @property
    def title(self) -> str:
        return self.project.title

    @property
    def on_time(self) -> bool | None:
        """Completed by its planned end date; None when not completed or no end date was planned."""
        if self.status != DeliveryStatus.COMPLETED or self.ends_on is None or self.completed_on is None:
            return None
        return self.completed_on <= self.ends_on

    def next_milestone(self) -> "Milestone | None":
        return next((m for m in self.milestones if m.done_on is None), None)

    def overdue_milestones(self, today: date) -> list["Milestone"]:
        return [m for m in self.milestones if m.is_overdue(today)]


class DeliveryChange(db.Model):
    """One step of a delivery record's public history: a status change or new figures, with a reason."""

    __tablename__ = "delivery_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[DeliveryStatus | None] = mapped_column(str_enum(DeliveryStatus))
    to_status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # field → [before, after]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Milestone(db.Model):
    __tablename__ = "delivery_milestones"
    __table_args__ = (sa.CheckConstraint("length(title) > 0", name="title_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(160))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_url: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    delivery: Mapped[DeliveryProject] = relationship(back_populates="milestones")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < today


class DeliveryUpdate(db.Model):
    """News from the officers about a project's delivery: markdown text and photos."""

    __tablename__ = "delivery_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped["User | None"] = relationship(lazy="joined")
    photos: Mapped[list["DeliveryUpdatePhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="DeliveryUpdatePhoto.position"
    )

    def __str__(self) -> str:
        return self.body[:60]


class DeliveryUpdatePhoto(db.Model):
    __tablename__ = "delivery_update_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery_updates.id", ondelete="CASCADE"), index=True
    )
    image_id: Mapped[int] = mapped_column(sa.ForeignKey("images.id", ondelete="CASCADE"), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    image: Mapped["StoredImage"] = relationship(lazy="joined")


class HelpOffer(db.Model):
    """A resident offers what they can do, and when; an officer accepts, declines or replies."""

    __tablename__ = "delivery_offers"
    __table_args__ = (sa.Index("ix_delivery_offers_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(sa.Text)
    availability: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.PENDING)
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    replied_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User"] = relationship(foreign_keys=[user_id], lazy="joined")
    delivery: Mapped[DeliveryProject] = relationship()

    def __str__(self) -> str:
        return f"offer of help on {self.delivery}"


class GroundReport(db.Model):
    """What a resident saw at the project's site: an officer confirms it (public) or answers it."""

    __tablename__ = "delivery_reports"
    __table_args__ = (
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="point_complete"),
        sa.Index("ix_delivery_reports_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery_projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind))
    body: Mapped[str] = mapped_column(sa.Text)
    image_id: Mapped[int | None] = mapped_column(sa.ForeignKey("images.id", ondelete="SET NULL"))
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus), default=ReportStatus.PENDING)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["User | None"] = relationship(foreign_keys=[user_id], lazy="joined")
    image: Mapped["StoredImage | None"] = relationship(lazy="joined")
    delivery: Mapped[DeliveryProject] = relationship()

    def __str__(self) -> str:
        return f"report on {self.delivery}"


class Rating(db.Model):
    """A resident's rating of a completed project: 1 to 5 stars, and whether it serves them."""

    __tablename__ = "delivery_ratings"
    __table_args__ = (
        sa.UniqueConstraint("delivery_id", "user_id"),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("delivery_projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int]
    serves: Mapped[Serves] = mapped_column(str_enum(Serves))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(lazy="joined")
