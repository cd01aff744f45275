"""Queries behind the admin pages: user search and the audit log."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select

from app.auth.models import Role, User
from app.core.audit import AuditEvent


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"


def user_query(q: str | None, role: str | None) -> Select:
    """Users matching a name/email fragment and role, newest first."""
    stmt = select(User).where(User.deleted_at.is_(None)).order_by(User.created_at.desc(), User.id.desc())
    if q:
        pattern = _like(q)
        stmt = stmt.where(
            or_(User.email.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\"))
        )
    if role:
        stmt = stmt.where(User.role == Role(role))
    return stmt


def audit_query(
    *,
    action: str | None,
    actor: str | None,
    target_type: str | None,
    since: date | None,
    until: date | None,
    tz: ZoneInfo,
) -> Select:
    """Audit events, newest first, filtered; dates are whole days in the city's time zone."""
    stmt = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action.like(_like(action), escape="\\"))
    if target_type:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    if actor:
        pattern = _like(actor)
        stmt = stmt.join(AuditEvent.actor).where(
            or_(User.email.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\"))
        )
    if since:
        stmt = stmt.where(AuditEvent.created_at >= _start_of_day(since, tz))
    if until:
        stmt = stmt.where(AuditEvent.created_at < _start_of_day(until + timedelta(days=1), tz))
    return stmt


def _start_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def events_about(target_type: str, target_id: int) -> Select:
    """Audit events about one record, newest first."""
    return (
        select(AuditEvent)
        .where(AuditEvent.target_type == target_type, AuditEvent.target_id == target_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
