"""Proposals with their photos, public status history and supports; comments, follows and flags.

Comments and follows target a proposal OR a ballot project (exactly one, checked by the database), so
that voting and delivery reuse them for ballot and funded projects.
"""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.db import str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.core.images import StoredImage
    from app.processes.models import Category, District, Process, Project


class ProposalStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    UNDER_REVIEW = "under_review"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class Visibility(enum.StrEnum):
    VISIBLE = "visible"
    HELD = "held"  # enough flags: hidden until an officer looks at it
    HIDDEN = "hidden"  # hidden by an officer, with a public reason


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


# Exactly one of the two target columns is set.
_ONE_TARGET = "(proposal_id IS NULL) <> (project_id IS NULL)"


class Proposal(db.Model):
    """A resident's idea for a process's budget, from draft to a decision."""

    __tablename__ = "proposals"
    __table_args__ = (
        sa.CheckConstraint(
            "estimated_cost_cents IS NULL OR estimated_cost_cents > 0", name="estimated_cost_positive"
        ),
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="point_complete"),
        sa.Index("ix_proposals_process_id_status", "process_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"))
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id", ondelete="SET NULL"))
    status: Mapped[ProposalStatus] = mapped_column(str_enum(ProposalStatus), default=ProposalStatus.DRAFT)
    visibility: Mapped[Visibility] = mapped_column(str_enum(Visibility), default=Visibility.VISIBLE)
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="")
    title: Mapped[str] = mapped_column(sa.String(160))
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    estimated_cost_cents: Mapped[int | None] = mapped_column(sa.BigInteger)
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    links: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    process: Mapped["Process"] = relationship()
    author: Mapped["User | None"] = relationship(lazy="joined")
    district: Mapped["District | None"] = relationship(lazy="joined")
    category: Mapped["Category | None"] = relationship(lazy="joined")
    merged_into: Mapped["Proposal | None"] = relationship(remote_side=[id])
    photos: Mapped[list["ProposalPhoto"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalPhoto.position"
    )
    history: Mapped[list["ProposalStatusChange"]] = relationship(
        back_populates="proposal",
        cascade="all, delete-orphan",
        order_by="(ProposalStatusChange.created_at, ProposalStatusChange.id)",
    )
    project: Mapped["Project | None"] = relationship(
        "Project", primaryjoin="Project.proposal_id == Proposal.id", uselist=False, viewonly=True
    )

    # `supports_count` and `comments_count` are added below, once Support and Comment exist: they are
    # counted in the same SELECT as the proposal, so they are never stale and cost no extra query.

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Anyone may open it: published at some point and not hidden."""
        return self.status != ProposalStatus.DRAFT and self.visibility == Visibility.VISIBLE


class ProposalPhoto(db.Model):
    __tablename__ = "proposal_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(sa.ForeignKey("images.id", ondelete="CASCADE"), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    proposal: Mapped[Proposal] = relationship(back_populates="photos")
    image: Mapped["StoredImage"] = relationship(lazy="joined")


class ProposalStatusChange(db.Model):
    """One step of a proposal's public history, with the reason given for it."""

    __tablename__ = "proposal_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[ProposalStatus | None] = mapped_column(str_enum(ProposalStatus))
    to_status: Mapped[ProposalStatus] = mapped_column(str_enum(ProposalStatus))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="history")


class Support(db.Model):
    __tablename__ = "proposal_supports"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Follow(db.Model):
    """Someone follows a proposal or a ballot/funded project, to hear about it."""

    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "proposal_id"),
        sa.UniqueConstraint("user_id", "project_id"),
        sa.CheckConstraint(_ONE_TARGET, name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(db.Model):
    """A comment on a proposal or a project; replies are one level deep. Deleted ones stay as tombstones."""

    __tablename__ = "comments"
    __table_args__ = (sa.CheckConstraint(_ONE_TARGET, name="one_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    visibility: Mapped[Visibility] = mapped_column(str_enum(Visibility), default=Visibility.VISIBLE)
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    author: Mapped["User | None"] = relationship(lazy="joined")
    parent: Mapped["Comment | None"] = relationship(remote_side=[id])
    proposal: Mapped[Proposal | None] = relationship()
    project: Mapped["Project | None"] = relationship()

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Flag(db.Model):
    """A report that a proposal or comment breaks the rules; an officer resolves it."""

    __tablename__ = "flags"
    __table_args__ = (
        sa.UniqueConstraint("reporter_id", "proposal_id"),
        sa.UniqueConstraint("reporter_id", "comment_id"),
        sa.CheckConstraint("(proposal_id IS NULL) <> (comment_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[FlagReason] = mapped_column(str_enum(FlagReason))
    details: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    upheld: Mapped[bool | None]

    reporter: Mapped["User"] = relationship(foreign_keys=[reporter_id], lazy="joined")


Proposal.supports_count = column_property(
    sa.select(sa.func.count(Support.id))
    .where(Support.proposal_id == Proposal.id)
    .correlate_except(Support)
    .scalar_subquery()
)
Proposal.comments_count = column_property(
    sa.select(sa.func.count(Comment.id))
    .where(
        Comment.proposal_id == Proposal.id,
        Comment.deleted_at.is_(None),
        Comment.visibility == Visibility.VISIBLE,
    )
    .correlate_except(Comment)
    .scalar_subquery()
)
