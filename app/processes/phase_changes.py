"""Moving a budget process from phase to phase: by hand, with the checks each phase needs and a say for
other features, or on schedule when a phase's dates have passed."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.core import audit
from app.db import utcnow
from app.extensions import db
from app.processes.models import Phase, Process
from app.processes.services import ProcessError, count_projects
from app.processes.signals import phase_change_requested, phase_changed


def _entry_problem(process: Process, target: Phase, now: datetime) -> str | None:
    """Why `process` cannot enter `target` now, or None."""
    if target == Phase.PROPOSALS and not process.budgets:
        return _l("Give at least one district a budget first.")
    if target == Phase.VOTING and count_projects(process) == 0:
        return _l("There are no projects on the ballot yet.")
    return None


def change_phase(
    process: Process, target: Phase, actor: User | None, *, now: datetime | None = None, reason: str = ""
) -> None:
    """Move a process to another phase, audited.

    Forward moves may skip phases; each entered phase's requirements are checked (budgets before
    proposals; projects before voting). Closing voting before its end date needs a reason. Backward
    moves go one phase at a time and other features may refuse them (no going back before voting
    once ballots exist; no going back before results once a result is published). Flushes.
    """
    now = now or utcnow()
    current = process.phase
    if target == current:
        raise ProcessError(_l("The process is already in this phase."))
    if target.index < current.index and current.index - target.index > 1:
        raise ProcessError(_l("A process can only go back one phase at a time."))
    for phase in list(Phase)[current.index + 1 : target.index + 1]:
        if problem := _entry_problem(process, phase, now):
            raise ProcessError(problem)
    voting = process.dates(Phase.VOTING)
    early = current == Phase.VOTING and voting and voting.ends_at and now < voting.ends_at
    if early and target.index > current.index and not reason:
        raise ProcessError(_l("Voting is scheduled to close later. Give a reason to close it early."))
    for _receiver, refusal in phase_change_requested.send(process, target=target):
        if refusal:
            raise ProcessError(refusal)
    process.phase = target
    audit.record(
        actor,
        "process.phase_changed",
        process,
        before={"phase": current.value},
        after={"phase": target.value},
        reason=reason,
    )
    phase_changed.send(process, previous=current, actor=actor)


def advance_due(now: datetime | None = None) -> list[tuple[Process, Phase]]:
    """Advance every running process whose current phase has ended and whose next phase has started.

    Drafts are opened by hand only. Returns what moved; refusals are skipped (and retried next time).
    """
    now = now or utcnow()
    moved = []
    for process in db.session.scalars(
        select(Process).where(Process.phase.not_in([Phase.DRAFT, Phase.CLOSED]))
    ):
        dates, following = process.dates(process.phase), list(Phase)[process.phase.index + 1]
        upcoming = process.dates(following)
        if not (dates and dates.ends_at and dates.ends_at <= now):
            continue
        if upcoming and upcoming.starts_at and upcoming.starts_at > now:
            continue
        previous = process.phase
        try:
            change_phase(process, following, None, now=now, reason="scheduled")
        except ProcessError:
            continue
        moved.append((process, previous))
    return moved
