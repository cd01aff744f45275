"""Proposals: drafts, publishing, editing, photos, withdrawal, supports and the status machine."""

from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.core.images import StoredImage, upload_dir
from app.db import utcnow
from app.extensions import db
from app.processes.models import Category, Phase, Process
from app.processes.phase_changes import change_phase
from app.proposals import rules, services
from app.proposals.models import Follow, Proposal, ProposalStatus, Support
from app.proposals.rules import ProposalError
from tests.factories import jpeg_bytes

S = ProposalStatus


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def resident(ctx, make_user):
    return db.session.get(User, make_user().id)


@pytest.fixture
def process(ctx, make_process):
    return db.session.get(Process, make_process(Phase.PROPOSALS).id)


def values(process, **overrides):
    return {
        "title": "Benches along the river",
        "summary": "Six benches between the bridges",
        "description": "People walk here every day and there is nowhere to sit.",
        "estimated_cost_cents": 1_200_000,
        "district_id": process.budgets[0].district_id,
        "category_id": None,
        "address": "",
        "latitude": None,
        "longitude": None,
        "links": [],
        **overrides,
    }


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_draft_is_saved_without_history_and_followed_by_its_author(resident, process):
    proposal = services.create_proposal(resident, process, values(process, summary="", description=""))
    db.session.commit()
    assert proposal.status == S.DRAFT and proposal.history == [] and proposal.published_at is None
    assert db.session.scalar(select(Follow).where(Follow.proposal_id == proposal.id)).user_id == resident.id


def test_publishing_needs_every_field(resident, process):
    draft = services.create_proposal(resident, process, values(process, description=""))
    with pytest.raises(ProposalError) as err:
        services.submit_proposal(resident, draft)
    assert err.value.field == "description"
    draft.description = "Now described."
    services.submit_proposal(resident, draft)
    assert draft.status == S.PUBLISHED and draft.published_at is not None
    assert [(h.from_status, h.to_status) for h in draft.history] == [(S.DRAFT, S.PUBLISHED)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"estimated_cost_cents": 10_000_000 + 1}, "estimated_cost"),  # more than the district's budget
        ({"estimated_cost_cents": 0}, "estimated_cost"),
        ({"district_id": -1}, "district_id"),
    ],
)
def test_values_are_checked_against_the_process(resident, process, overrides, field):
    with pytest.raises(ProposalError) as err:
        services.create_proposal(resident, process, values(process, **overrides), publish=True)
    assert err.value.field == field


def test_the_category_must_be_one_of_the_process(resident, process):
    mine, other = Category(slug="parks", name="Parks"), Category(slug="roads", name="Roads")
    db.session.add_all([mine, other])
    process.categories = [mine]
    db.session.flush()
    with pytest.raises(ProposalError) as err:
        services.create_proposal(resident, process, values(process, category_id=other.id))
    assert err.value.field == "category_id"
    assert services.create_proposal(resident, process, values(process, category_id=mine.id)).category == mine


def test_proposals_are_taken_only_in_the_proposals_phase_and_dates(resident, make_process):
    review = db.session.get(Process, make_process(Phase.REVIEW).id)
    with pytest.raises(ProposalError, match="not taking proposals"):
        services.create_proposal(resident, review, values(review))
    ended = db.session.get(Process, make_process(Phase.PROPOSALS).id)
    ended.phases[0].ends_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(ProposalError, match="not taking proposals"):
        services.create_proposal(resident, ended, values(ended))


def test_unverified_and_blocked_people_cannot_propose(ctx, make_user, process):
    unverified = db.session.get(User, make_user(verified=False).id)
    with pytest.raises(ProposalError, match="confirm your email"):
        services.create_proposal(unverified, process, values(process))
    blocked = db.session.get(User, make_user(blocked_until=utcnow() + timedelta(days=1)).id)
    with pytest.raises(ProposalError, match="blocked"):
        services.create_proposal(blocked, process, values(process))
    expired = db.session.get(User, make_user(blocked_until=utcnow() - timedelta(days=1)).id)
    assert services.create_proposal(expired, process, values(process)).author == expired


def test_photos_are_stored_reencoded_and_at_most_three(resident, process):
    photos = [BytesIO(jpeg_bytes()) for _ in range(3)]
    proposal = services.create_proposal(resident, process, values(process), photos)
    assert [p.position for p in proposal.photos] == [0, 1, 2]
    assert proposal.photos[0].image.uploader_id == resident.id
    with pytest.raises(ProposalError) as err:
        services.update_proposal(resident, proposal, values(process), [BytesIO(jpeg_bytes())])
    assert err.value.field == "photos" and "at most 3" in str(err.value)


def test_a_bad_photo_leaves_nothing_behind(resident, process):
    photos = [BytesIO(jpeg_bytes()), BytesIO(b"%PDF-1.4 not a photo")]
    with pytest.raises(ProposalError) as err:
        services.create_proposal(resident, process, values(process), photos)
    assert err.value.field == "photos" and "not a photo" in str(err.value)
    db.session.rollback()
    assert _count(Proposal) == 0 and _count(StoredImage) == 0
    assert list(upload_dir().glob("*.jpg")) == []


def test_removing_a_photo_deletes_its_files_after_commit(resident, process):
    proposal = services.create_proposal(resident, process, values(process), [BytesIO(jpeg_bytes())] * 1)
    db.session.commit()
    image = proposal.photos[0].image
    path = upload_dir() / image.filename("large")
    services.remove_photo(resident, proposal, image.id)
    db.session.commit()
    assert proposal.photos == [] and not path.exists() and _count(StoredImage) == 0


def test_only_the_author_edits_and_only_until_review(ctx, make_user, make_proposal, process):
    author = db.session.get(User, make_user().id)
    proposal = make_proposal(process, author=author)
    other = db.session.get(User, make_user().id)
    officer = db.session.get(User, make_user(Role.OFFICER).id)
    for person in (other, officer):
        with pytest.raises(ProposalError, match="Only the author"):
            services.update_proposal(person, proposal, values(process))
    services.update_proposal(author, proposal, values(process, title="Better title"))
    assert proposal.title == "Better title" and proposal.status == S.PUBLISHED
    change_phase(process, Phase.REVIEW, officer)
    with pytest.raises(ProposalError):
        services.update_proposal(author, proposal, values(process, title="Too late"))


def test_a_published_proposal_must_stay_complete(resident, make_proposal, process):
    proposal = make_proposal(process, author=resident)
    with pytest.raises(ProposalError) as err:
        services.update_proposal(resident, proposal, values(process, summary=""))
    assert err.value.field == "summary"


def test_withdrawal_is_the_authors_and_final(ctx, make_user, make_proposal, process):
    author = db.session.get(User, make_user().id)
    proposal = make_proposal(process, author=author)
    with pytest.raises(ProposalError, match="Only the author"):
        services.withdraw_proposal(db.session.get(User, make_user().id), proposal)
    services.withdraw_proposal(author, proposal)
    assert proposal.status == S.WITHDRAWN and proposal.history[-1].actor_id == author.id
    with pytest.raises(ProposalError, match="no longer be withdrawn"):
        services.withdraw_proposal(author, proposal)


def test_support_once_and_take_it_back(ctx, make_user, make_proposal, process):
    proposal = make_proposal(process)
    fan = db.session.get(User, make_user().id)
    services.support(fan, proposal)
    assert proposal.supports_count == 1
    with pytest.raises(ProposalError, match="already support"):
        services.support(fan, proposal)
    services.unsupport(fan, proposal)
    assert proposal.supports_count == 0 and _count(Support) == 0


def test_the_database_refuses_a_double_support(ctx, make_user, make_proposal, process):
    proposal, fan = make_proposal(process), make_user()
    db.session.add(Support(proposal_id=proposal.id, user_id=fan.id))
    db.session.commit()
    db.session.add(Support(proposal_id=proposal.id, user_id=fan.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_who_may_not_support(ctx, make_user, make_proposal, process, make_process):
    author = db.session.get(User, make_user().id)
    proposal = make_proposal(process, author=author)
    with pytest.raises(ProposalError, match="your own"):
        services.support(author, proposal)
    blocked = db.session.get(User, make_user(blocked_until=utcnow() + timedelta(hours=1)).id)
    with pytest.raises(ProposalError, match="blocked"):
        services.support(blocked, proposal)
    draft = make_proposal(process, status=S.DRAFT)
    with pytest.raises(ProposalError, match="Only published"):
        services.support(db.session.get(User, make_user().id), draft)
    in_review = make_proposal(db.session.get(Process, make_process(Phase.REVIEW).id), status=S.UNDER_REVIEW)
    with pytest.raises(ProposalError):
        services.support(db.session.get(User, make_user().id), in_review)


def test_the_status_machine():
    assert rules.can_move(S.DRAFT, S.PUBLISHED) and not rules.can_move(S.DRAFT, S.ACCEPTED)
    assert rules.can_move(S.CHANGES_REQUESTED, S.UNDER_REVIEW)
    for final in (S.ACCEPTED, S.REJECTED, S.WITHDRAWN, S.MERGED):
        assert not any(rules.can_move(final, other) for other in S)


def test_entering_review_queues_published_proposals_and_going_back_undoes_it(
    ctx, make_user, make_proposal, process
):
    admin = db.session.get(User, make_user(Role.ADMIN).id)
    published, draft = make_proposal(process), make_proposal(process, status=S.DRAFT)
    change_phase(process, Phase.REVIEW, admin)
    assert published.status == S.UNDER_REVIEW and draft.status == S.DRAFT
    assert published.history[-1].reason == "The review phase started."
    change_phase(process, Phase.PROPOSALS, admin)
    assert published.status == S.PUBLISHED


def test_actions_offered_match_the_rules(ctx, make_user, make_proposal, process):
    author = db.session.get(User, make_user().id)
    proposal = make_proposal(process, author=author)
    now = utcnow()
    mine = rules.actions_for(author, proposal, now)
    assert mine.edit and mine.withdraw and not mine.support and not mine.flag
    theirs = rules.actions_for(db.session.get(User, make_user().id), proposal, now)
    assert theirs.support and theirs.flag and theirs.comment and not theirs.edit and not theirs.withdraw
    assert rules.actions_for(None, proposal, now) == rules.Actions()
