"""Accounts: registration, verification, sign-in, passwords, deletion, roles."""

import hashlib
from datetime import datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import Role, User
from app.auth.signals import account_deleted
from app.core import audit
from app.core.mail import queue_mail
from app.core.tokens import TokenError, make_token, read_token
from app.db import utcnow
from app.extensions import db

VERIFY = "verify-email"
RESET = "reset-password"


class AccountError(Exception):
    """A request about an account that cannot be done; the message is safe to show."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(
    email: str, display_name: str, password: str, district_id: int | None = None
) -> User | None:
    """Create an unverified resident account and e-mail a verification link. Flushes.

    When the email is already registered, nothing is created and the owner gets an e-mail saying
    so (with a password reset link) instead: the page looks the same either way, so registration
    does not reveal who has an account. Returns the new user, or None.
    """
    email = normalise_email(email)
    existing = find_user_by_email(email)
    if existing is None:
        user = User(
            email=email,
            display_name=display_name,
            password_hash=hash_password(password),
            district_id=district_id,
            role=Role.RESIDENT,
        )
        try:
            with db.session.begin_nested():
                db.session.add(user)
        except IntegrityError:  # registered by a concurrent request a moment ago
            existing = find_user_by_email(email)
        else:
            send_verification(user)
            return user
    if existing is not None and existing.is_active:
        queue_mail(
            existing.email,
            _l("You already have an account"),
            "account_exists",
            existing.locale,
            user=existing,
            reset_url=url_for("auth.forgot_password", _external=True),
        )
    return None


def send_verification(user: User) -> None:
    token = make_token(VERIFY, {"id": user.id, "email": user.email})
    queue_mail(
        user.email,
        _l("Confirm your email address"),
        "verify_email",
        user.locale,
        user=user,
        url=url_for("auth.verify_email", token=token, _external=True),
    )


def verify_email(token: str, *, now: datetime | None = None) -> User:
    """Mark the account whose link this is as verified. Raises TokenError for a bad or old link."""
    payload = read_token(VERIFY, token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("id"))
    if user is None or not user.is_active or user.email != payload.get("email"):
        raise TokenError(_l("This link is not valid."))
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
    return user


# A real hash to check against when the email is unknown, so both paths take the same time.
_DUMMY_HASH: dict[str, str] = {}


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User | None:
    """The active user with this email and password, or None. Same work whether or not the email exists."""
    user = find_user_by_email(email)
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if user is None or not user.is_active or not user.password_hash:
        check_password_hash(_DUMMY_HASH.setdefault(method, hash_password("dummy password")), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_sign_in_at = now or utcnow()
    return user


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """E-mail a reset link if an active account has this email; otherwise do nothing, silently."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = make_token(RESET, {"id": user.id, "fp": _password_fingerprint(user)})
    queue_mail(
        user.email,
        _l("Reset your password"),
        "reset_password",
        user.locale,
        user=user,
        url=url_for("auth.reset_password", token=token, _external=True),
    )


def user_for_reset_token(token: str) -> User:
    """The user a reset link belongs to. A link works once: setting a password changes the fingerprint."""
    payload = read_token(RESET, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("id"))
    if user is None or not user.is_active or payload.get("fp") != _password_fingerprint(user):
        raise TokenError(_l("This link is not valid any more. Ask for a new one."))
    return user


def reset_password(token: str, password: str, *, now: datetime | None = None) -> User:
    """Set a new password from a reset link; signs the user out everywhere; proves the email too."""
    user = user_for_reset_token(token)
    _set_password(user, password)
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change the password after checking the current one; other sessions are signed out."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise AccountError(_l("Your current password is not right."))
    _set_password(user, new)
    queue_mail(
        user.email,
        _l("Your password was changed"),
        "password_changed",
        user.locale,
        user=user,
        url=url_for("auth.forgot_password", _external=True),
    )


def end_sessions(user: User) -> None:
    """Sign the user out on every device: session and remember cookies name the old version.

    Sessions are signed cookies the server does not keep, so a copy of one taken before sign-out
    would otherwise still work afterwards; sign-out calls this for that reason.
    """
    user.session_version += 1


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    end_sessions(user)


def update_profile(
    user: User, *, display_name: str, district_id: int | None, birth_date, locale: str
) -> None:
    user.display_name = display_name
    user.district_id = district_id
    user.birth_date = birth_date
    user.locale = locale


def delete_account(user: User, password: str, *, now: datetime | None = None) -> None:
    """Remove the person's data and keep their contributions under "Deleted user". Flushes.

    Ballots are stored under a pseudonymous key, not the account, so they stay counted.
    The last administrator cannot delete their account.
    """
    if not user.password_hash or not check_password_hash(user.password_hash, password):
        raise AccountError(_l("Your password is not right."))
    if user.role == Role.ADMIN and count_admins() <= 1:
        raise AccountError(_l("You are the only administrator. Make someone else an administrator first."))
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = "Deleted user"
    user.password_hash = None
    user.birth_date = None
    user.district_id = None
    user.locale = None
    user.role = Role.RESIDENT
    user.deleted_at = now or utcnow()
    user.session_version += 1
    account_deleted.send(user)
    db.session.flush()


def count_admins() -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.deleted_at.is_(None))
    )


def set_role(actor: User, user: User, role: Role) -> None:
    """Change a user's role, audited. The last administrator cannot be demoted."""
    if role == user.role:
        return
    if not user.is_active:
        raise AccountError(_l("This account was deleted."))
    if user.role == Role.ADMIN and count_admins() <= 1:
        raise AccountError(_l("There must be at least one administrator."))
    before = {"role": user.role.value}
    user.role = role
    audit.record(actor, "user.role_changed", user, before=before, after={"role": role.value})
