"""The proposals panel on the officers' dashboard: what waits for moderation and for review."""

from sqlalchemy import func, select

from app.extensions import db
from app.processes.models import Phase, Process
from app.proposals import moderation
from app.proposals.models import Proposal, ProposalStatus


def panel_data() -> dict:
    """How many items wait in the moderation queue; each process in review with its waiting proposals."""
    waiting = (
        select(Proposal.process_id, func.count().label("n"))
        .where(Proposal.status == ProposalStatus.UNDER_REVIEW)
        .group_by(Proposal.process_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Process, func.coalesce(waiting.c.n, 0))
        .outerjoin(waiting, waiting.c.process_id == Process.id)
        .where(Process.phase == Phase.REVIEW)
        .order_by(Process.created_at.desc())
    ).all()
    return {"moderation_count": len(moderation.queue()), "reviews": [(p, n) for p, n in rows]}
