"""Comments, follows and moderation, on a real session."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.db import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.processes.models import Phase, Process, Project
from app.proposals import comments, follows, moderation, services
from app.proposals.models import Comment, Flag, FlagReason, Follow, Proposal, ProposalStatus, Visibility
from app.proposals.rules import ProposalError


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def people(ctx, make_user):
    def _make(n=1, role=Role.RESIDENT, **fields):
        made = [db.session.get(User, make_user(role, **fields).id) for _ in range(n)]
        return made if n > 1 else made[0]

    return _make


@pytest.fixture
def proposal(ctx, make_process, make_proposal):
    process = make_process(Phase.PROPOSALS)
    return db.session.get(Proposal, make_proposal(process).id)


def _notes(user, kind=None):
    stmt = select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def test_comment_and_reply_one_level_deep(people, proposal):
    alice, bob, cara = people(3)
    top = comments.add_comment(alice, proposal, "Good idea")
    reply = comments.add_comment(bob, proposal, "Agreed", parent=top)
    deeper = comments.add_comment(cara, proposal, "Me too", parent=reply)
    assert reply.parent_id == top.id and deeper.parent_id == top.id  # one level: joins the top thread
    threads = comments.threads(proposal)
    assert [t.comment.id for t in threads] == [top.id]
    assert [r.id for r in threads[0].replies] == [reply.id, deeper.id]


def test_a_reply_must_be_on_the_same_page(people, proposal, make_proposal):
    other = make_proposal(db.session.get(Process, proposal.process_id))
    top = comments.add_comment(people(), proposal, "Here")
    with pytest.raises(ProposalError, match="same page"):
        comments.add_comment(people(), db.session.get(Proposal, other.id), "There", parent=top)


def test_comments_can_be_about_a_ballot_project(people, make_project, proposal):
    project = db.session.get(Project, make_project(proposal.process).id)
    fan, writer = people(2)
    follows.follow(fan, project)
    comment = comments.add_comment(writer, project, "When will it be built?")
    assert comment.project_id == project.id and comment.proposal_id is None
    assert [t.comment for t in comments.threads(project)] == [comment]
    assert _notes(fan, "comment")[0].link.endswith(f"#comment-{comment.id}")


def test_a_comment_has_exactly_one_target(ctx, make_user, proposal, make_project):
    project = make_project(proposal.process)
    author = make_user()
    db.session.add(Comment(author_id=author.id, body="x", proposal_id=proposal.id, project_id=project.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_editing_is_for_the_author_within_15_minutes(people, proposal):
    author, other = people(2)
    comment = comments.add_comment(author, proposal, "Frist", now=utcnow() - timedelta(minutes=10))
    with pytest.raises(ProposalError, match="your own"):
        comments.edit_comment(other, comment, "Hacked")
    comments.edit_comment(author, comment, "First")
    assert comment.body == "First" and comment.edited_at is not None
    with pytest.raises(ProposalError, match="15 minutes"):
        comments.edit_comment(author, comment, "Later", now=comment.created_at + timedelta(minutes=16))


def test_deleting_leaves_a_tombstone_and_keeps_replies(people, proposal):
    author, other = people(2)
    top = comments.add_comment(author, proposal, "Something personal")
    reply = comments.add_comment(other, proposal, "Reply", parent=top)
    with pytest.raises(ProposalError):
        comments.delete_comment(other, top)
    comments.delete_comment(author, top)
    assert top.is_deleted and top.body == ""
    assert comments.threads(proposal)[0].replies == [reply]
    with pytest.raises(ProposalError, match="cannot be replied"):
        comments.add_comment(other, proposal, "Again", parent=top)


def test_blocked_and_unverified_people_cannot_comment(people, proposal):
    with pytest.raises(ProposalError, match="blocked"):
        comments.add_comment(people(blocked_until=utcnow() + timedelta(days=2)), proposal, "Hi")
    with pytest.raises(ProposalError, match="confirm"):
        comments.add_comment(people(verified=False), proposal, "Hi")


def test_no_comments_on_drafts_or_withdrawn_proposals(people, proposal, make_proposal):
    draft = db.session.get(Proposal, make_proposal(proposal.process, status=ProposalStatus.DRAFT).id)
    with pytest.raises(ProposalError):
        comments.add_comment(people(), draft, "Hi")
    services.withdraw_proposal(proposal.author, proposal)
    with pytest.raises(ProposalError, match="closed"):
        comments.add_comment(people(), proposal, "Hi")


def test_replies_and_comments_notify_the_right_people(people, proposal, outbox):
    author = proposal.author
    follower, commenter, replier = people(3)
    follows.follow(follower, proposal)
    top = comments.add_comment(commenter, proposal, "Question?")
    comments.add_comment(replier, proposal, "Answer.", parent=top)
    db.session.commit()
    assert len(_notes(commenter, "reply")) == 1 and _notes(commenter, "comment") == []
    assert len(_notes(follower, "comment")) == 2 and len(_notes(author, "comment")) == 2
    assert _notes(replier) == []  # never told about your own comment
    assert {m["To"] for m in outbox} == {commenter.email, follower.email, author.email}


def test_follows_are_unique(people, proposal):
    fan = people()
    assert follows.follow(fan, proposal) is True
    assert follows.follow(fan, proposal) is False
    assert follows.is_following(fan, proposal)
    follows.unfollow(fan, proposal)
    assert not follows.is_following(fan, proposal)
    db.session.add_all(
        [Follow(user_id=fan.id, proposal_id=proposal.id), Follow(user_id=fan.id, proposal_id=proposal.id)]
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_flags_are_once_per_person_and_three_hold_a_proposal(people, proposal):
    reporters = people(3)
    moderation.flag(reporters[0], proposal, FlagReason.SPAM)
    with pytest.raises(ProposalError, match="already reported"):
        moderation.flag(reporters[0], proposal, FlagReason.OFFENSIVE)
    moderation.flag(reporters[1], proposal, FlagReason.SPAM)
    assert proposal.visibility == Visibility.VISIBLE
    moderation.flag(reporters[2], proposal, FlagReason.OTHER, "Copied from an advert")
    assert proposal.visibility == Visibility.HELD and not proposal.is_public
    db.session.add(Flag(reporter_id=reporters[0].id, proposal_id=proposal.id, reason=FlagReason.SPAM))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_three_flags_hold_a_comment_too(people, proposal):
    comment = comments.add_comment(people(), proposal, "Buy cheap watches")
    for reporter in people(3):
        moderation.flag(reporter, comment, FlagReason.SPAM)
    assert comment.visibility == Visibility.HELD
    assert [i.target for i in moderation.queue()] == [comment]


def test_you_cannot_flag_your_own_words(people, proposal):
    with pytest.raises(ProposalError, match="wrote yourself"):
        moderation.flag(proposal.author, proposal, FlagReason.SPAM)


def test_an_officer_dismisses_flags_and_a_held_proposal_returns(people, proposal):
    officer = people(role=Role.OFFICER)
    for reporter in people(3):
        moderation.flag(reporter, proposal, FlagReason.SPAM)
    moderation.dismiss_flags(officer, proposal)
    assert proposal.visibility == Visibility.VISIBLE
    assert all(f.resolved_at and f.upheld is False for f in db.session.scalars(select(Flag)))
    assert moderation.queue() == []
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == proposal.id)) == (
        "proposal.flags_dismissed"
    )


def test_hiding_shows_a_public_reason_tells_the_author_and_is_audited(people, proposal):
    officer = people(role=Role.OFFICER)
    moderation.flag(people(), proposal, FlagReason.PERSONAL_DATA)
    with pytest.raises(ProposalError):
        moderation.hide(officer, proposal, "  ")
    moderation.hide(officer, proposal, "It shows a neighbour's phone number.")
    assert proposal.visibility == Visibility.HIDDEN and proposal.hidden_reason.startswith("It shows")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.hidden"))
    assert event.reason == "It shows a neighbour's phone number." and event.actor_id == officer.id
    assert "phone number" in _notes(proposal.author, "moderation")[0].message
    assert moderation.queue() == [] and [i.target for i in moderation.queue(hidden=True)] == [proposal]
    moderation.restore(officer, proposal)
    assert proposal.visibility == Visibility.VISIBLE and proposal.hidden_reason == ""


def test_only_officers_moderate(people, proposal):
    resident = people()
    for action in (
        lambda: moderation.hide(resident, proposal, "no"),
        lambda: moderation.restore(resident, proposal),
        lambda: moderation.dismiss_flags(resident, proposal),
        lambda: moderation.block_user(resident, proposal.author, utcnow() + timedelta(days=1), "no"),
    ):
        with pytest.raises(ProposalError, match="council officers"):
            action()


def test_blocking_stops_posting_for_a_time(people, proposal):
    officer, troll = people(role=Role.OFFICER), people()
    until = utcnow() + timedelta(days=7)
    moderation.block_user(officer, troll, until, "Insults in comments")
    assert troll.blocked_until == until
    with pytest.raises(ProposalError, match="blocked"):
        comments.add_comment(troll, proposal, "Hello again")
    with pytest.raises(ProposalError, match="blocked"):
        services.support(troll, proposal)
    assert _notes(troll, "moderation")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.blocked"))
    assert event.target_id == troll.id and event.reason == "Insults in comments"
    moderation.unblock_user(officer, troll)
    assert comments.add_comment(troll, proposal, "Sorry")


def test_staff_cannot_be_blocked_and_the_end_must_be_ahead(people):
    officer, other_officer, resident = people(role=Role.OFFICER), people(role=Role.OFFICER), people()
    with pytest.raises(ProposalError, match="cannot be blocked"):
        moderation.block_user(officer, other_officer, utcnow() + timedelta(days=1), "x")
    with pytest.raises(ProposalError, match="future"):
        moderation.block_user(officer, resident, utcnow() - timedelta(days=1), "x")


def test_a_deleted_account_follows_nothing_but_its_comment_stays(people, proposal):
    from app.auth.services import delete_account
    from tests.conftest import PASSWORD

    person = people()
    follows.follow(person, proposal)
    comment = comments.add_comment(person, proposal, "Hello")
    delete_account(person, PASSWORD)
    assert not follows.is_following(person, proposal)
    assert comment.body == "Hello" and comment.author.display_name == "Deleted user"
