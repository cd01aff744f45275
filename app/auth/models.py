"""Accounts and roles."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.processes.models import District


class Role(enum.StrEnum):
    RESIDENT = "resident"
    OFFICER = "officer"
    ADMIN = "admin"


_RANK = {Role.RESIDENT: 0, Role.OFFICER: 1, Role.ADMIN: 2}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.RESIDENT, index=True)
    email_verified_at: Mapped[datetime | None]
    district_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("districts.id", ondelete="SET NULL"), index=True
    )
    birth_date: Mapped[date | None]
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    # Part of the session id: bumping it signs the user out everywhere (password change, deletion).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    district: Mapped["District | None"] = relationship(lazy="joined")

    def __str__(self) -> str:
        return self.display_name

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_role(self, minimum: str) -> bool:
        """True when this user's role is `minimum` or above (resident < officer < admin)."""
        return _RANK[self.role] >= _RANK[Role(minimum)]

    @property
    def is_officer(self) -> bool:
        return self.has_role(Role.OFFICER)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    def is_blocked(self, now: datetime) -> bool:
        return self.blocked_until is not None and now < self.blocked_until
