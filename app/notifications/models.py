"""In-app notifications and each person's e-mail choices, by kind of notification."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class Notification(db.Model):
    """One message for one person: what happened (`kind`, `message`) and where to see it (`link`)."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    message: Mapped[str] = mapped_column(sa.String(300))
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class NotificationSetting(db.Model):
    """A person's choice for one kind; without a row, e-mail is on."""

    __tablename__ = "notification_settings"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    email: Mapped[bool] = mapped_column(default=True)
