"""The demo city's proposals: ideas, supports and discussion in Riverside 2027 (taking proposals), and
the Green Fund 2026 review (some accepted onto the ballot, some waiting, one rejected, one sent back
for changes, one merged). Safe to load again: a proposal whose title exists is left alone."""

import zlib
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.core import audit
from app.core.images import store_image
from app.db import utcnow
from app.demo.pictures import picture
from app.demo.proposal_data import GREEN_FUND_2026, NEIGHBOURS, RIVERSIDE_2027, Idea, Who
from app.extensions import db
from app.notifications.models import Notification
from app.processes.models import Category, Phase, Process, Project
from app.processes.projects import next_code
from app.proposals.models import (
    Comment,
    Flag,
    FlagReason,
    Follow,
    Proposal,
    ProposalPhoto,
    ProposalStatusChange,
    Support,
)
from app.proposals.models import ProposalStatus as S

OFFICER = "officer@riverside.example"


def ensure_proposals(report) -> None:
    """Create the demo proposals that are missing, with their photos, supports and comments. Flushes."""
    people = _ensure_neighbours(report)
    officer = db.session.scalar(select(User).where(User.email == OFFICER))
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    for slug, ideas in (("riverside-2027", RIVERSIDE_2027), ("green-fund-2026", GREEN_FUND_2026)):
        process = db.session.scalar(select(Process).where(Process.slug == slug))
        if process is None:
            continue
        existing = {
            p.title: p for p in db.session.scalars(select(Proposal).where(Proposal.process_id == process.id))
        }
        start = (
            process.dates(Phase.PROPOSALS).starts_at if process.dates(Phase.PROPOSALS) else None
        ) or utcnow()
        for n, idea in enumerate(ideas):
            if idea.title in existing:
                continue
            author = _person(people, idea.author)
            made = _make(process, idea, author, categories, start + timedelta(days=n, hours=9 + n))
            existing[idea.title] = made
            _supports(made, idea, people)
            _comments(made, idea, people)
            _decide(made, idea, officer, existing)
            _tell_author(made, idea)
            report.created.append(f"proposal {idea.title}")
    _flag_one_comment(people)
    db.session.flush()


def _ensure_neighbours(report) -> dict[str, User]:
    """Residents who propose, support and comment (they cannot sign in: no password)."""
    people = {
        u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@riverside.example")))
    }
    for n, name in enumerate(NEIGHBOURS):
        email = f"neighbour{n + 1}@riverside.example"
        if email not in people:
            people[email] = User(
                email=email, display_name=name, role=Role.RESIDENT, email_verified_at=utcnow()
            )
            db.session.add(people[email])
            report.created.append(f"account {email}")
    db.session.flush()
    by_name = {u.display_name: u for u in people.values()}
    return {**people, **{name: by_name[name] for name in NEIGHBOURS}}


def _make(process: Process, idea: Idea, author: User, categories: dict, when: datetime) -> Proposal:
    proposal = Proposal(
        process_id=process.id,
        author=author,
        title=idea.title,
        summary=idea.summary,
        description=idea.description,
        estimated_cost_cents=idea.euros * 100,
        district_id=process.budgets[0].district_id,
        category=categories.get(idea.category),
        address=idea.address,
        latitude=idea.point[0] if idea.point else None,
        longitude=idea.point[1] if idea.point else None,
        links=[],
        status=S.DRAFT,
        created_at=when,
        updated_at=when,
    )
    for position, scene in enumerate(idea.scenes):
        image = store_image(
            picture(scene, seed=zlib.crc32(idea.title.encode()) + position), uploader_id=author.id
        )
        image.alt = idea.title
        proposal.photos.append(ProposalPhoto(image=image, position=position))
    db.session.add(proposal)
    db.session.flush()
    db.session.add(Follow(user_id=author.id, proposal_id=proposal.id))
    if idea.status != S.DRAFT:
        proposal.published_at = when
        _history(proposal, S.PUBLISHED, author, "", when)
    if idea.status == S.WITHDRAWN:
        _history(proposal, S.WITHDRAWN, author, "", when + timedelta(days=2))
    return proposal


def _history(proposal: Proposal, status: S, actor: User | None, reason: str, when: datetime) -> None:
    change = ProposalStatusChange(from_status=proposal.status, to_status=status, reason=reason)
    change.actor_id, change.created_at = (actor.id if actor else None), when
    proposal.history.append(change)
    proposal.status = status


def _supports(proposal: Proposal, idea: Idea, people: dict[str, User]) -> None:
    fans = [people[name] for name in NEIGHBOURS if people[name].id != proposal.author_id][: idea.supporters]
    db.session.add_all(Support(proposal_id=proposal.id, user_id=u.id) for u in fans)


def _person(people: dict[str, User], who: Who) -> User:
    return people[who] if isinstance(who, str) else people[NEIGHBOURS[who]]


def _comments(proposal: Proposal, idea: Idea, people: dict[str, User]) -> None:
    when = proposal.created_at + timedelta(hours=5)
    for who, text, replies in idea.comments:
        top = Comment(author=_person(people, who), proposal_id=proposal.id, body=text, created_at=when)
        db.session.add(top)
        for offset, (replier, reply) in enumerate(replies, start=1):
            db.session.add(
                Comment(
                    author=_person(people, replier),
                    proposal_id=proposal.id,
                    parent=top,
                    body=reply,
                    created_at=when + timedelta(hours=offset),
                )
            )
        when += timedelta(hours=7)


def _decide(proposal: Proposal, idea: Idea, officer: User | None, existing: dict[str, Proposal]) -> None:
    """Green Fund proposals: entered review with the phase, then the officers' decision, audited."""
    if idea.status in (S.PUBLISHED, S.DRAFT, S.WITHDRAWN):
        return
    review = proposal.process.dates(Phase.REVIEW)
    when = review.starts_at if review and review.starts_at else utcnow()
    _history(proposal, S.UNDER_REVIEW, None, "The review phase started.", when)
    if idea.status == S.UNDER_REVIEW:
        return
    if idea.status == S.ACCEPTED:
        _accept(proposal, idea)
    if idea.status == S.MERGED:
        proposal.merged_into = existing[idea.merged_into]
    reason = idea.decision
    if idea.status == S.MERGED:
        reason = f"Merged into “{idea.merged_into}”. {idea.decision}"
    _history(proposal, idea.status, officer, reason, when + timedelta(hours=26 + len(existing)))
    db.session.flush()
    audit.record(
        officer, f"proposal.{idea.status.value}", proposal, after={"status": idea.status.value}, reason=reason
    )


def _accept(proposal: Proposal, idea: Idea) -> None:
    project = Project(
        process_id=proposal.process_id,
        proposal_id=proposal.id,
        code=next_code(proposal.process),
        title=proposal.title,
        summary=proposal.summary,
        description=proposal.description,
        district_id=proposal.district_id,
        category_id=proposal.category_id,
        cost_cents=idea.official_euros * 100,
        feasibility_note=idea.decision,
        address=proposal.address,
        latitude=proposal.latitude,
        longitude=proposal.longitude,
        image_id=proposal.photos[0].image_id if proposal.photos else None,
    )
    db.session.add(project)
    db.session.flush()


def _tell_author(proposal: Proposal, idea: Idea) -> None:
    """What the author would have been told: the decision, and comments by others (in-app only)."""
    told = []
    if idea.status == S.CHANGES_REQUESTED:
        told.append(("status", f"Council officers ask for changes to “{idea.title}”."))
    elif idea.status == S.ACCEPTED:
        told.append(("status", f"“{idea.title}” is accepted onto the ballot."))
    told += [
        ("comment", f"New comment on “{idea.title}”.") for who, *_ in idea.comments if who != idea.author
    ]
    link = f"/proposals/{proposal.id}"
    db.session.add_all(
        Notification(user_id=proposal.author_id, kind=kind, message=message, link=link)
        for kind, message in told
    )


def _flag_one_comment(people: dict[str, User]) -> None:
    """One reported comment, so that the officers' moderation queue has something in it."""
    comment = db.session.scalar(select(Comment).where(Comment.body.like("Please also fix the potholes%")))
    reporter = people[NEIGHBOURS[20]]
    if comment is None or db.session.scalar(select(Flag.id).where(Flag.comment_id == comment.id)):
        return
    details = "Potholes are not part of this proposal."
    db.session.add(
        Flag(reporter_id=reporter.id, comment_id=comment.id, reason=FlagReason.OFF_TOPIC, details=details)
    )
