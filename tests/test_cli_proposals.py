"""Proposals outside a request: the scheduled phase change, and the demo city."""

from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import Notification
from app.processes.models import Phase, Process, Project
from app.proposals.models import Comment, Proposal, ProposalPhoto, ProposalStatus, Support

S = ProposalStatus


def test_a_scheduled_move_to_review_queues_proposals_and_tells_followers(
    app, runner, make_process, make_proposal, outbox
):
    from datetime import timedelta

    from app.db import utcnow

    process = make_process(Phase.PROPOSALS)
    proposal = make_proposal(process)
    with app.app_context():
        db.session.get(Process, process.id).phases[0].ends_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    result = runner.invoke(args=["processes", "tick"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).status == S.UNDER_REVIEW
        note = db.session.scalar(select(Notification))
        assert note.user_id == proposal.author_id and note.link == f"/proposals/{proposal.id}"
    assert f"http://localhost/proposals/{proposal.id}" in outbox[-1].get_content()


def _counts(app) -> dict:
    with app.app_context():
        models = (Proposal, ProposalPhoto, Support, Comment, Project, Notification)
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def test_the_demo_has_proposals_in_both_stages_and_loads_once(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    counts = _counts(app)
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert _counts(app) == counts
    with app.app_context():
        by_process = {}
        for proposal in db.session.scalars(select(Proposal)):
            by_process.setdefault(proposal.process.slug, []).append(proposal.status)
        riverside, green = by_process["riverside-2027"], by_process["green-fund-2026"]
        assert riverside.count(S.PUBLISHED) >= 5 and S.DRAFT in riverside
        assert green.count(S.ACCEPTED) >= 2 and S.UNDER_REVIEW in green
        assert green.count(S.REJECTED) == 1 and green.count(S.CHANGES_REQUESTED) == 1
        accepted = db.session.scalars(select(Project).where(Project.proposal_id.is_not(None))).all()
        assert len(accepted) == green.count(S.ACCEPTED) and all(p.cost_cents > 0 for p in accepted)
    assert counts["ProposalPhoto"] >= 5 and counts["Support"] >= 50 and counts["Comment"] >= 8
