"""Officers' review decisions: accept onto the ballot, ask for changes, reject, merge duplicates."""

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.extensions import db
from app.notifications.models import Notification
from app.processes.models import Category, Phase, Process, Project
from app.proposals import follows, review, services
from app.proposals.models import Follow, Proposal, ProposalStatus, Support
from app.proposals.rules import ProposalError

S = ProposalStatus


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def officer(ctx, make_user):
    return db.session.get(User, make_user(Role.OFFICER).id)


@pytest.fixture
def process(ctx, make_process):
    return db.session.get(Process, make_process(Phase.REVIEW).id)


@pytest.fixture
def queued(process, make_proposal):
    def _make(**fields):
        return db.session.get(Proposal, make_proposal(process, status=S.UNDER_REVIEW, **fields).id)

    return _make


def test_accepting_puts_a_copy_on_the_ballot(officer, process, queued, make_image):
    category = Category(slug="parks", name="Parks")
    db.session.add(category)
    first, second = make_image(), make_image()
    proposal = queued(
        category_id=None, address="Mill Lane", latitude=51.5, longitude=-0.1, photos=[first, second]
    )
    proposal.category = category
    project = review.accept(officer, proposal, cost_cents=1_500_000, feasibility_note="Checked with parks.")
    db.session.commit()
    assert proposal.status == S.ACCEPTED and proposal.project == project
    assert (project.title, project.summary, project.description) == (
        proposal.title,
        proposal.summary,
        proposal.description,
    )
    assert (project.district_id, project.category_id, project.cost_cents) == (
        proposal.district_id,
        category.id,
        1_500_000,
    )
    assert (project.address, project.latitude, project.longitude) == ("Mill Lane", 51.5, -0.1)
    assert project.image_id == first.id and project.proposal_id == proposal.id and project.code == "P1"
    assert proposal.history[-1].reason == "Checked with parks."
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"proposal.accepted", "project.created"} <= actions


def test_accepting_needs_a_positive_cost_and_a_note(officer, queued):
    proposal = queued()
    with pytest.raises(ProposalError) as err:
        review.accept(officer, proposal, cost_cents=0, feasibility_note="ok")
    assert err.value.field == "cost"
    with pytest.raises(ProposalError) as err:
        review.accept(officer, proposal, cost_cents=100, feasibility_note=" ")
    assert err.value.field == "feasibility_note"
    assert db.session.scalar(select(Project)) is None


def test_a_proposal_is_accepted_once(officer, queued):
    proposal = queued()
    review.accept(officer, proposal, cost_cents=100_00, feasibility_note="Fine.")
    with pytest.raises(ProposalError, match="not waiting"):
        review.accept(officer, proposal, cost_cents=100_00, feasibility_note="Again.")


def test_decisions_need_an_officer_and_the_review_phase(ctx, make_user, make_process, make_proposal, queued):
    resident = db.session.get(User, make_user().id)
    with pytest.raises(ProposalError, match="council officers"):
        review.reject(resident, queued(), "No")
    officer = db.session.get(User, make_user(Role.OFFICER).id)
    early = db.session.get(Process, make_process(Phase.PROPOSALS).id)
    with pytest.raises(ProposalError, match="review phase"):
        review.reject(officer, db.session.get(Proposal, make_proposal(early).id), "No")


def test_changes_requested_then_resubmitted_by_the_author(officer, queued, outbox):
    proposal = queued()
    author = proposal.author
    with pytest.raises(ProposalError) as err:
        review.request_changes(officer, proposal, "")
    assert err.value.field == "reason"
    review.request_changes(officer, proposal, "Please say which park.")
    db.session.commit()
    assert proposal.status == S.CHANGES_REQUESTED
    note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert "ask for changes" in note.message and outbox[-1]["To"] == author.email
    values = {k: getattr(proposal, k) for k in services.FIELDS} | {"address": "Riverside Park"}
    services.update_proposal(author, proposal, values, submit=True)
    assert proposal.status == S.UNDER_REVIEW and proposal.address == "Riverside Park"
    assert [h.to_status for h in proposal.history][-2:] == [S.CHANGES_REQUESTED, S.UNDER_REVIEW]


def test_rejection_needs_a_public_reason_and_is_audited(officer, queued):
    proposal = queued()
    with pytest.raises(ProposalError):
        review.reject(officer, proposal, "")
    review.reject(officer, proposal, "The land belongs to the railway.")
    assert proposal.status == S.REJECTED and proposal.history[-1].reason == "The land belongs to the railway."
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.rejected"))
    assert event.reason == "The land belongs to the railway." and event.before == {"status": "under_review"}


def test_merging_carries_supports_and_followers_without_doubles(
    ctx, make_user, officer, queued, add_supports
):
    source, target = queued(), queued()
    both, only_source = add_supports(source, 2)
    db.session.add(Support(proposal_id=target.id, user_id=both.id))
    db.session.add(Support(proposal_id=source.id, user_id=target.author_id))  # target's author
    follower = db.session.get(User, make_user().id)
    follows.follow(follower, source)
    follows.follow(follower, target)
    db.session.commit()
    moved = review.merge(officer, source, target, "Same bridge.")
    db.session.commit()
    assert moved == 1
    supporters = set(db.session.scalars(select(Support.user_id).where(Support.proposal_id == target.id)))
    assert supporters == {both.id, only_source.id}
    assert target.supports_count == 2 and source.supports_count == 0
    assert source.status == S.MERGED and source.merged_into_id == target.id
    assert "Same bridge." in source.history[-1].reason and target.title in source.history[-1].reason
    followers = set(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == target.id)))
    assert followers == {target.author_id, source.author_id, follower.id}
    assert db.session.scalar(select(Follow).where(Follow.proposal_id == source.id)) is None


def test_merging_needs_another_live_proposal_of_the_same_process(
    officer, queued, make_process, make_proposal
):
    source = queued()
    with pytest.raises(ProposalError) as err:
        review.merge(officer, source, source)
    assert err.value.field == "target_id"
    elsewhere = db.session.get(Proposal, make_proposal(make_process(Phase.REVIEW), status=S.UNDER_REVIEW).id)
    with pytest.raises(ProposalError):
        review.merge(officer, source, elsewhere)
    rejected = queued()
    review.reject(officer, rejected, "No")
    with pytest.raises(ProposalError, match="still in the running"):
        review.merge(officer, source, rejected)


def test_the_queue_groups_by_status(officer, process, queued):
    waiting, decided = queued(), queued()
    review.reject(officer, decided, "No")
    groups = review.queue(process)
    assert groups[S.UNDER_REVIEW] == [waiting] and groups[S.REJECTED] == [decided]
    assert review.merge_candidates(decided) == [waiting]
