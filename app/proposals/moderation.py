"""Moderation: residents flag proposals and comments; officers hide them with a public reason,
restore them, dismiss flags, and block people for a time. Officers' actions are audited."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core import audit
from app.db import utcnow
from app.extensions import db
from app.proposals import notify
from app.proposals.comments import target_of
from app.proposals.models import Comment, Flag, FlagReason, Proposal, ProposalStatus, Visibility
from app.proposals.rules import ProposalError, check_officer, check_participant
from app.proposals.targets import target_path

#: This many open flags hide a proposal or comment until an officer has looked at it.
FLAG_THRESHOLD = 3

Moderated = Proposal | Comment


def _flag_where(target: Moderated):
    if isinstance(target, Proposal):
        return Flag.proposal_id == target.id
    return Flag.comment_id == target.id


def _flag_columns(target: Moderated) -> dict[str, int]:
    return {"proposal_id": target.id} if isinstance(target, Proposal) else {"comment_id": target.id}


def _kind(target: Moderated) -> str:
    return "proposal" if isinstance(target, Proposal) else "comment"


def link_to(target: Moderated) -> str:
    if isinstance(target, Proposal):
        return target_path(target)
    return f"{target_path(target_of(target))}#comment-{target.id}"


def _check_flaggable(reporter: User, target: Moderated) -> None:
    if target.author_id == reporter.id:
        raise ProposalError(_l("You cannot report what you wrote yourself."), "reason")
    draft = isinstance(target, Proposal) and target.status == ProposalStatus.DRAFT
    gone = isinstance(target, Comment) and target.is_deleted
    if draft or gone or target.visibility == Visibility.HIDDEN:
        raise ProposalError(_l("This cannot be reported."), "reason")


def open_flag_count(target: Moderated) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Flag).where(_flag_where(target), Flag.resolved_at.is_(None))
    )


def flag(
    reporter: User, target: Moderated, reason: FlagReason, details: str = "", *, now: datetime | None = None
) -> Flag:
    """Report a proposal or comment, once per person (the database keeps it so). At FLAG_THRESHOLD
    open flags it is held: hidden from the public until an officer looks at it."""
    now = now or utcnow()
    check_participant(reporter, now)
    _check_flaggable(reporter, target)
    already = _l("You have already reported this. Thank you: an officer will look at it.")
    if db.session.scalar(select(Flag.id).where(_flag_where(target), Flag.reporter_id == reporter.id)):
        raise ProposalError(already, "reason")
    report = Flag(
        reporter_id=reporter.id, reason=reason, details=details, created_at=now, **_flag_columns(target)
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise ProposalError(already, "reason") from None
    if target.visibility == Visibility.VISIBLE and open_flag_count(target) >= FLAG_THRESHOLD:
        target.visibility = Visibility.HELD
    db.session.flush()
    return report


def _resolve_flags(target: Moderated, actor: User, *, upheld: bool, now: datetime) -> None:
    db.session.execute(
        update(Flag)
        .where(_flag_where(target), Flag.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=actor.id, upheld=upheld)
    )


def hide(actor: User, target: Moderated, reason: str, *, now: datetime | None = None) -> None:
    """Hide a proposal or comment; the reason is shown in its place. Open flags are upheld."""
    check_officer(actor)
    if not reason.strip():
        raise ProposalError(_l("Give the reason that will be shown in its place."), "reason")
    before = target.visibility.value
    target.visibility, target.hidden_reason = Visibility.HIDDEN, reason
    _resolve_flags(target, actor, upheld=True, now=now or utcnow())
    after = {"visibility": "hidden"}
    audit.record(
        actor, f"{_kind(target)}.hidden", target, before={"visibility": before}, after=after, reason=reason
    )
    notify.moderated(
        target.author,
        _l("Moderators hid something you wrote. Reason: %(reason)s", reason=reason),
        link_to(target),
    )


def restore(actor: User, target: Moderated, *, now: datetime | None = None) -> None:
    """Show a hidden or held proposal or comment again; open flags are dismissed."""
    check_officer(actor)
    before = target.visibility.value
    target.visibility, target.hidden_reason = Visibility.VISIBLE, ""
    _resolve_flags(target, actor, upheld=False, now=now or utcnow())
    audit.record(
        actor,
        f"{_kind(target)}.restored",
        target,
        before={"visibility": before},
        after={"visibility": "visible"},
    )


def dismiss_flags(actor: User, target: Moderated, *, now: datetime | None = None) -> None:
    """Nothing wrong: close the open flags; a held proposal or comment is shown again."""
    check_officer(actor)
    count = open_flag_count(target)
    _resolve_flags(target, actor, upheld=False, now=now or utcnow())
    if target.visibility == Visibility.HELD:
        target.visibility = Visibility.VISIBLE
    audit.record(actor, f"{_kind(target)}.flags_dismissed", target, after={"flags": count})


def block_user(actor: User, user: User, until: datetime, reason: str, *, now: datetime | None = None) -> None:
    """Stop `user` posting, commenting, supporting and reporting until `until`. Officers and
    administrators cannot be blocked. Audited; the person is told why."""
    check_officer(actor)
    now = now or utcnow()
    if user.is_officer:
        raise ProposalError(_l("Officers and administrators cannot be blocked."), "days")
    if until <= now:
        raise ProposalError(_l("Choose a time in the future."), "days")
    if not reason.strip():
        raise ProposalError(_l("Give a reason."), "reason")
    before = user.blocked_until.isoformat() if user.blocked_until else None
    user.blocked_until = until
    after = {"blocked_until": until.isoformat()}
    audit.record(actor, "user.blocked", user, before={"blocked_until": before}, after=after, reason=reason)
    notify.moderated(
        user, _l("You cannot post, comment or support for now. Reason: %(reason)s", reason=reason), "/"
    )


def unblock_user(actor: User, user: User) -> None:
    check_officer(actor)
    before = user.blocked_until.isoformat() if user.blocked_until else None
    user.blocked_until = None
    audit.record(
        actor, "user.unblocked", user, before={"blocked_until": before}, after={"blocked_until": None}
    )


@dataclass
class QueueItem:
    target: Moderated
    flags: list[Flag] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return _kind(self.target)


def queue(*, hidden: bool = False) -> list[QueueItem]:
    """What needs an officer: proposals and comments with open flags or held (oldest flag first);
    with `hidden`, what officers hid, for restoring. A fixed number of queries."""
    flags = list(
        db.session.scalars(select(Flag).where(Flag.resolved_at.is_(None)).order_by(Flag.created_at, Flag.id))
    )
    items: dict[tuple[str, int], QueueItem] = {}
    for model in (Proposal, Comment):
        for target in db.session.scalars(_queue_stmt(model, hidden)):
            items[(_kind(target), target.id)] = QueueItem(target)
    for report in flags:
        key = ("proposal", report.proposal_id) if report.proposal_id else ("comment", report.comment_id)
        if key in items:
            items[key].flags.append(report)
    return sorted(items.values(), key=lambda i: i.flags[0].created_at if i.flags else i.target.created_at)


def _queue_stmt(model, hidden: bool):
    if hidden:
        stmt = select(model).where(model.visibility == Visibility.HIDDEN)
    else:
        flagged = select(Flag.proposal_id if model is Proposal else Flag.comment_id).where(
            Flag.resolved_at.is_(None)
        )
        stmt = select(model).where(
            model.visibility != Visibility.HIDDEN,
            or_(model.visibility == Visibility.HELD, model.id.in_(flagged)),
        )
    if model is Comment:
        stmt = stmt.options(selectinload(Comment.proposal), selectinload(Comment.project))
    return stmt
