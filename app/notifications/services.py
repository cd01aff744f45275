"""Notifications: an in-app list and e-mail, by kind, with per-person choices and one-click unsubscribe.

Features register their kinds (`register_kind`) and call `notify`. E-mail goes out only after the
transaction commits, to people who confirmed their address and did not turn that kind off. Every
e-mail carries a signed unsubscribe link, also as `List-Unsubscribe` with one-click POST (RFC 8058).
"""

from collections.abc import Iterable
from datetime import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from app.auth.models import User
from app.auth.signals import account_deleted
from app.core.aftercommit import on_commit
from app.core.mail import build_message, send_now
from app.core.tokens import TokenError, make_token, read_token
from app.db import utcnow
from app.extensions import db
from app.notifications.models import Notification, NotificationSetting

UNSUBSCRIBE = "unsubscribe"
UNSUBSCRIBE_MAX_AGE = 2 * 365 * 24 * 3600  # links in old e-mails keep working
ALL = "all"

#: kind → what it is, as shown on the settings page. Features add theirs with `register_kind`.
KINDS: dict[str, str] = {}


def register_kind(kind: str, label) -> None:
    KINDS[kind] = label


def path_for(endpoint: str, **values) -> str:
    """A site-relative URL, also outside a request (commands, scheduled phase changes)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(path: str) -> str:
    if has_request_context():
        return url_for("core.home", _external=True).rstrip("/") + path
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def wants_email(user_ids: Iterable[int], kind: str) -> set[int]:
    """The ids among `user_ids` who did not turn e-mail off for `kind`."""
    ids = set(user_ids)
    off = db.session.scalars(
        select(NotificationSetting.user_id).where(
            NotificationSetting.user_id.in_(ids),
            NotificationSetting.kind == kind,
            NotificationSetting.email.is_(False),
        )
    )
    return ids - set(off)


def notify(recipients: Iterable[User], kind: str, message, link: str, *, skip: User | None = None) -> int:
    """Tell each recipient (once, and never `skip`) that something happened; returns how many.

    `message` may be a lazy translation: it is stored and e-mailed in each recipient's language.
    `link` is a site-relative path. Flushes; e-mail is sent after commit.
    """
    people = {
        u.id: u for u in recipients if u is not None and u.is_active and (skip is None or u.id != skip.id)
    }
    if not people:
        return 0
    emailed = wants_email(people, kind)
    for user in people.values():
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            text = str(message)[:300]
        db.session.add(Notification(user_id=user.id, kind=kind, message=text, link=link))
        if user.id in emailed and user.is_verified:
            _queue_email(user, kind, text, link)
    db.session.flush()
    return len(people)


def _queue_email(user: User, kind: str, text: str, link: str) -> None:
    unsubscribe_url = absolute(path_for("notifications.unsubscribe", token=unsubscribe_token(user, kind)))
    msg = build_message(
        user.email,
        text,
        "notification",
        user.locale,
        user=user,
        message=text,
        url=absolute(link),
        kind_label=KINDS.get(kind, kind),
        settings_url=absolute(path_for("notifications.settings")),
        unsubscribe_url=unsubscribe_url,
    )
    msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    app = current_app._get_current_object()
    on_commit(lambda: send_now(app, msg))


def unsubscribe_token(user: User, kind: str) -> str:
    return make_token(UNSUBSCRIBE, {"u": user.id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The person and kind an unsubscribe link is for. Raises TokenError for a bad link."""
    payload = read_token(UNSUBSCRIBE, token, UNSUBSCRIBE_MAX_AGE)
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    kind = payload.get("k") if user else None
    if user is None or not user.is_active or (kind not in KINDS and kind != ALL):
        raise TokenError(_l("This link is not valid."))
    return user, kind


def email_choices(user: User) -> dict[str, bool]:
    """kind → whether `user` gets e-mail for it (on unless turned off)."""
    rows = db.session.scalars(select(NotificationSetting).where(NotificationSetting.user_id == user.id))
    off = {row.kind for row in rows if not row.email}
    return {kind: kind not in off for kind in KINDS}


def set_email_choices(user: User, choices: dict[str, bool]) -> None:
    """Save `user`'s e-mail choice for each kind given (ALL: every kind). Flushes."""
    if ALL in choices:
        choices = dict.fromkeys(KINDS, choices[ALL])
    rows = {
        row.kind: row
        for row in db.session.scalars(
            select(NotificationSetting).where(NotificationSetting.user_id == user.id)
        )
    }
    for kind, email in choices.items():
        if kind not in KINDS:
            continue
        row = rows.get(kind) or NotificationSetting(user_id=user.id, kind=kind)
        row.email = email
        db.session.add(row)
    db.session.flush()


def notifications_for(user: User) -> Select:
    """`user`'s notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_all_read(user: User, now: datetime | None = None) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )


@account_deleted.connect
def _forget_deleted_account(user: User, **extra) -> None:
    """A deleted account keeps no notifications and no e-mail choices."""
    for model in (Notification, NotificationSetting):
        db.session.execute(model.__table__.delete().where(model.user_id == user.id))
