"""Officers' review, in the review phase: accept onto the ballot, ask for changes, reject, merge.

Every decision and its reason goes into the proposal's public history and the audit log. Published
proposals enter review when the process enters the review phase (and leave it if the phase goes back).
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core import audit
from app.extensions import db
from app.i18n import system_note
from app.processes import projects
from app.processes.models import Phase, Process, Project
from app.processes.services import ProcessError
from app.processes.signals import phase_changed
from app.proposals.follows import carry_followers
from app.proposals.models import Proposal, ProposalStatus, Support
from app.proposals.rules import REVIEWABLE, ProposalError, check_officer
from app.proposals.services import set_status, stored_text

S = ProposalStatus
#: What a ballot project takes from the proposal it is accepted from (besides location and first photo).
COPIED = ("title", "summary", "description", "district_id", "category_id")


def _check_reviewable(actor: User, proposal: Proposal) -> None:
    check_officer(actor)
    if proposal.process.phase != Phase.REVIEW:
        raise ProposalError(_l("Decisions are taken in the review phase."))
    if proposal.status not in REVIEWABLE:
        raise ProposalError(_l("This proposal is not waiting for a decision."))


def _decide(actor: User, proposal: Proposal, target: ProposalStatus, reason: str, now, **after) -> None:
    before = {"status": proposal.status.value}
    set_status(proposal, target, actor, reason=reason, now=now)
    after = {"status": target.value, **after}
    audit.record(actor, f"proposal.{target.value}", proposal, before=before, after=after, reason=reason)


def accept(
    actor: User, proposal: Proposal, *, cost_cents: int, feasibility_note: str, now: datetime | None = None
) -> Project:
    """Put the proposal on the ballot as a project with the official cost (cents > 0) and a public
    feasibility note. Title, texts, district, category, location and the first photo are copied."""
    _check_reviewable(actor, proposal)
    if not feasibility_note.strip():
        raise ProposalError(_l("Write the feasibility note."), "feasibility_note")
    if cost_cents is None or cost_cents <= 0:
        raise ProposalError(_l("The cost must be more than zero."), "cost")
    copied = {key: getattr(proposal, key) for key in COPIED}
    try:
        project = projects.save_project(
            actor,
            proposal.process,
            None,
            code=None,
            cost_cents=cost_cents,
            feasibility_note=feasibility_note,
            **copied,
        )
    except ProcessError as exc:
        raise ProposalError(str(exc), "cost") from None
    project.proposal_id = proposal.id
    project.address, project.latitude, project.longitude = (
        proposal.address,
        proposal.latitude,
        proposal.longitude,
    )
    project.image_id = proposal.photos[0].image_id if proposal.photos else None
    db.session.flush()
    db.session.expire(proposal, ["project"])
    _decide(actor, proposal, S.ACCEPTED, feasibility_note, now, cost_cents=cost_cents, project=project.code)
    return project


def request_changes(actor: User, proposal: Proposal, reason: str, *, now: datetime | None = None) -> None:
    """Send the proposal back to its author, saying what to change; it returns when they resubmit."""
    _check_reviewable(actor, proposal)
    if proposal.status != S.UNDER_REVIEW:
        raise ProposalError(_l("Changes were already asked for."), "reason")
    _require(reason, _l("Say what the author should change."))
    _decide(actor, proposal, S.CHANGES_REQUESTED, reason, now)


def reject(actor: User, proposal: Proposal, reason: str, *, now: datetime | None = None) -> None:
    """Turn the proposal down, with a public reason."""
    _check_reviewable(actor, proposal)
    _require(reason, _l("Give the public reason for turning it down."))
    _decide(actor, proposal, S.REJECTED, reason, now)


def merge(
    actor: User, source: Proposal, target: Proposal, reason: str = "", *, now: datetime | None = None
) -> int:
    """Merge a duplicate into another proposal of the same process. Its supports and followers move
    over; someone who supports both, or who wrote the target, keeps no double support.
    Returns how many supports moved."""
    _check_reviewable(actor, source)
    if target.id == source.id or target.process_id != source.process_id:
        raise ProposalError(_l("Choose another proposal of the same budget."), "target_id")
    if target.status not in (*REVIEWABLE, S.ACCEPTED):
        raise ProposalError(_l("Proposals can only be merged into one still in the running."), "target_id")
    moved = _carry_supports(source, target)
    carry_followers(source, target)
    source.merged_into = target
    note = stored_text(_l("Merged into “%(title)s”.", title=target.title)) + (f" {reason}" if reason else "")
    _decide(actor, source, S.MERGED, note, now, merged_into=target.id, supports_moved=moved)
    return moved


def _carry_supports(source: Proposal, target: Proposal) -> int:
    keep = select(Support.user_id).where(Support.proposal_id == target.id)
    rows = list(
        db.session.scalars(
            select(Support).where(
                Support.proposal_id == source.id,
                Support.user_id.not_in(keep),
                Support.user_id != (target.author_id or 0),
            )
        )
    )
    for row in rows:
        row.proposal_id = target.id
    db.session.flush()
    db.session.execute(delete(Support).where(Support.proposal_id == source.id))
    db.session.expire(source, ["supports_count"])
    db.session.expire(target, ["supports_count"])
    return len(rows)


def _require(text: str, message) -> None:
    if not (text or "").strip():
        raise ProposalError(message, "reason")


def queue(process: Process) -> dict[ProposalStatus, list[Proposal]]:
    """A process's proposals by review status: waiting for a decision first, then the decided ones."""
    order = [S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.ACCEPTED, S.REJECTED, S.MERGED]
    rows = db.session.scalars(
        select(Proposal)
        .where(Proposal.process_id == process.id, Proposal.status.in_(order))
        .order_by(Proposal.updated_at, Proposal.id)
        .options(selectinload(Proposal.photos), selectinload(Proposal.project))
    )
    grouped: dict[ProposalStatus, list[Proposal]] = {status: [] for status in order}
    for proposal in rows:
        grouped[proposal.status].append(proposal)
    return grouped


def merge_candidates(proposal: Proposal) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(
                Proposal.process_id == proposal.process_id,
                Proposal.id != proposal.id,
                Proposal.status.in_([*REVIEWABLE, S.ACCEPTED]),
            )
            .order_by(Proposal.title)
        )
    )


@phase_changed.connect
def _on_phase_changed(process: Process, previous: Phase, actor: User | None = None, **extra) -> None:
    """Entering review puts every published proposal in the queue; going back to proposals takes the
    ones not yet decided out again."""
    if process.phase == Phase.REVIEW and previous.index < Phase.REVIEW.index:
        moving, target, reason = S.PUBLISHED, S.UNDER_REVIEW, _l("The review phase started.")
    elif process.phase == Phase.PROPOSALS and previous == Phase.REVIEW:
        moving, target, reason = S.UNDER_REVIEW, S.PUBLISHED, _l("The budget is taking proposals again.")
    else:
        return
    for proposal in list(
        db.session.scalars(
            select(Proposal).where(Proposal.process_id == process.id, Proposal.status == moving)
        )
    ):
        # No actor: the phase did it (the audit log says who changed the phase).
        set_status(proposal, target, None, reason=system_note(reason))
