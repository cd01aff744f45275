"""Officers' verbs on a delivery record: open records for funded projects (also when results are
published), change a record's status and figures. Every change is audited and written to the
project's public history. Milestones and updates live in `progress.py`.

Services flush; the caller commits. Refusals raise DeliveryError with a message for people and the
form field it is about.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.core import audit
from app.core.timeutil import to_city
from app.db import utcnow
from app.delivery import notify
from app.delivery.models import DeliveryChange, DeliveryProject, DeliveryStatus
from app.extensions import db
from app.i18n import system_note
from app.processes.models import Process, Project
from app.processes.signals import projects_funded

#: The record's figures an officer sets, in the order the history shows them.
FIGURES = ("progress_percent", "starts_on", "ends_on", "allocated_cents", "spent_cents")


class DeliveryError(Exception):
    """A change the rules do not allow; the message is safe to show. `field` names the form field."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def city_today() -> date:
    """Today's date in the city (deadlines are city dates)."""
    return to_city(utcnow()).date()


def funded_project_ids(process: Process) -> list[int]:
    """The winners of every district's published result, in selection order."""
    from app.results.services import published

    return [pid for snapshot in published(process) for pid in snapshot.winner_ids]


def ensure_records(process: Process, actor: User | None = None) -> list[DeliveryProject]:
    """Open a delivery record for each funded project that has none; returns the new ones. Idempotent.

    A record left over from an earlier, replaced result whose project is no longer funded is cancelled
    (with a public reason) while nothing has happened on it yet. Audited. Flushes.
    """
    funded = funded_project_ids(process)
    existing = {
        r.project_id: r
        for r in db.session.scalars(select(DeliveryProject).where(DeliveryProject.process_id == process.id))
    }
    projects = (
        {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(funded)))} if funded else {}
    )
    created = []
    for project_id in funded:
        if project_id in existing or project_id not in projects:
            continue
        record = DeliveryProject(
            project_id=project_id,
            process_id=process.id,
            status=DeliveryStatus.PLANNED,
            allocated_cents=projects[project_id].cost_cents,
        )
        record.project = projects[project_id]
        db.session.add(record)
        db.session.flush()
        db.session.add(
            DeliveryChange(
                delivery_id=record.id,
                actor_id=actor.id if actor else None,
                from_status=None,
                to_status=DeliveryStatus.PLANNED,
            )
        )
        created.append(record)
    stale = [
        r for pid, r in existing.items() if pid not in set(funded) and r.status == DeliveryStatus.PLANNED
    ]
    for record in stale:
        _set_status(
            actor, record, DeliveryStatus.CANCELLED, system_note(_l("Not funded in the replaced results."))
        )
    if created:
        audit.record(actor, "delivery.opened", process, after={"projects": len(created)})
    db.session.flush()
    return created


@projects_funded.connect
def _open_records(process: Process, project_ids=(), actor: User | None = None, **extra) -> None:
    """When results are published, every winner gets a delivery record (in the same transaction)."""
    ensure_records(process, actor)


def _set_status(actor: User | None, record: DeliveryProject, status: DeliveryStatus, reason: str) -> None:
    before = record.status
    record.status, record.status_reason = status, reason
    db.session.add(
        DeliveryChange(
            delivery_id=record.id,
            actor_id=actor.id if actor else None,
            from_status=before,
            to_status=status,
            reason=reason,
        )
    )
    audit.record(
        actor, "delivery.updated", record, before={"status": before}, after={"status": status}, reason=reason
    )


def check_figures(
    *,
    status: DeliveryStatus,
    status_reason: str,
    progress_percent: int,
    starts_on: date | None,
    ends_on: date | None,
    allocated_cents: int | None,
    spent_cents: int | None,
) -> None:
    """The rules a delivery record's figures follow (the database checks them too)."""
    if status.needs_reason and not status_reason.strip():
        raise DeliveryError(_l("Say why, in a sentence residents will read."), "status_reason")
    if not 0 <= progress_percent <= 100:
        raise DeliveryError(_l("Give a percentage from 0 to 100."), "progress_percent")
    if starts_on and ends_on and ends_on < starts_on:
        raise DeliveryError(_l("The end date cannot be before the start date."), "ends_on")
    if allocated_cents is not None and allocated_cents < 0:
        raise DeliveryError(_l("The amount cannot be negative."), "allocated")
    if spent_cents is not None and spent_cents < 0:
        raise DeliveryError(_l("The amount cannot be negative."), "spent")


def jsonable(value):
    """A value as the audit log and a record's history keep it: dates as ISO text, the rest as is."""
    return value.isoformat() if isinstance(value, date) else value


def update_record(
    actor: User,
    record: DeliveryProject,
    *,
    status: DeliveryStatus,
    status_reason: str = "",
    progress_percent: int,
    starts_on: date | None,
    ends_on: date | None,
    allocated_cents: int | None,
    spent_cents: int | None,
    today: date | None = None,
) -> DeliveryChange | None:
    """Set a record's status and figures; returns the history entry, or None when nothing changed.

    A completed project is 100% done and remembers the day (for "on time"); a reason is kept only
    for a delayed or cancelled project. Audited; followers and supporters hear of a new status. Flushes.
    """
    status_reason = status_reason.strip() if status.needs_reason else ""
    if status == DeliveryStatus.COMPLETED:
        progress_percent = 100
    check_figures(
        status=status,
        status_reason=status_reason,
        progress_percent=progress_percent,
        starts_on=starts_on,
        ends_on=ends_on,
        allocated_cents=allocated_cents,
        spent_cents=spent_cents,
    )
    wanted = {
        "progress_percent": progress_percent,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "allocated_cents": allocated_cents,
        "spent_cents": spent_cents,
    }
    changed = {
        k: [jsonable(getattr(record, k)), jsonable(v)] for k, v in wanted.items() if getattr(record, k) != v
    }
    status_changed = status != record.status
    reason_changed = status_reason != record.status_reason
    if not (changed or status_changed or reason_changed):
        return None
    before_status = record.status
    for key, value in wanted.items():
        setattr(record, key, value)
    if status_changed:
        record.completed_on = (today or city_today()) if status == DeliveryStatus.COMPLETED else None
    record.status, record.status_reason = status, status_reason
    change = DeliveryChange(
        delivery_id=record.id,
        actor_id=actor.id if actor else None,
        from_status=before_status,
        to_status=status,
        reason=status_reason if (status_changed or reason_changed) else "",
        changes=changed,
    )
    db.session.add(change)
    db.session.flush()
    audit.record(
        actor,
        "delivery.updated",
        record,
        before={"status": before_status, **{k: v[0] for k, v in changed.items()}},
        after={"status": status, **{k: v[1] for k, v in changed.items()}},
        reason=status_reason,
    )
    if status_changed:
        notify.status_changed(record, actor)
    return change
