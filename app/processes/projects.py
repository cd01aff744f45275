"""The projects on a process's ballot: added by officers' review, by hand, or from a .pb file."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.core import audit
from app.extensions import db
from app.processes.models import Phase, Process, Project
from app.processes.services import ProcessError, checked_translations

FIELDS = ("title", "summary", "description", "district_id", "category_id", "cost_cents", "feasibility_note")


def ballot_projects(process: Process, district_id: int | None = None) -> list[Project]:
    """A process's projects (of one district when given), in ballot order."""
    stmt = select(Project).where(Project.process_id == process.id)
    if district_id is not None:
        stmt = stmt.where(Project.district_id == district_id)
    return list(db.session.scalars(stmt.order_by(Project.position, Project.id)))


def next_code(process: Process) -> str:
    """The next free automatic code: P1, P2, …"""
    count = db.session.scalar(
        select(func.count()).select_from(Project).where(Project.process_id == process.id)
    )
    taken = set(db.session.scalars(select(Project.code).where(Project.process_id == process.id)))
    n = count + 1
    while f"P{n}" in taken:
        n += 1
    return f"P{n}"


def _check_editable(process: Process) -> None:
    if process.phase.index >= Phase.VOTING.index:
        raise ProcessError(_l("The ballot cannot change once voting has begun."))


def _check_district(process: Process, district_id: int) -> None:
    if process.budget_for(district_id) is None:
        raise ProcessError(_l("This district has no budget in this process."), "district_id")


def save_project(
    actor: User | None,
    process: Process,
    project: Project | None,
    *,
    code: str | None,
    translations: dict | None = None,
    **values,
) -> Project:
    """Add or change a ballot project (cost in cents), before voting begins. Audited. Flushes.

    `translations` holds its texts in other languages (None: left as they are).
    """
    _check_editable(process)
    _check_district(process, values["district_id"])
    creating = project is None
    project = project or Project(process_id=process.id, position=len(ballot_projects(process)))
    code = code or project.code or next_code(process)
    clash = db.session.scalar(
        select(Project.id).where(Project.process_id == process.id, Project.code == code)
    )
    if clash is not None and clash != project.id:
        raise ProcessError(_l("Another project already has the code %(code)s.", code=code), "code")
    audited = (*FIELDS, "translations")
    before = {} if creating else {k: getattr(project, k) for k in audited}
    project.code = code
    for key in FIELDS:
        setattr(project, key, values[key])
    if translations is not None:
        project.translations = checked_translations(translations)
    db.session.add(project)
    db.session.flush()
    changed = {k: getattr(project, k) for k in audited if before.get(k) != getattr(project, k)}
    audit.record(
        actor,
        "project.created" if creating else "project.updated",
        project,
        before={k: before[k] for k in changed} if before else None,
        after=changed,
    )
    return project


def delete_project(actor: User, project: Project) -> None:
    _check_editable(project.process)
    audit.record(
        actor, "project.deleted", project, before={"title": project.title, "cost_cents": project.cost_cents}
    )
    db.session.delete(project)
    db.session.flush()
