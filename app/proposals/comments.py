"""Comments on a proposal or a project: one level of replies, edits for 15 minutes, tombstones."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.processes.models import Phase
from app.proposals import notify
from app.proposals.models import Comment, Proposal, Visibility
from app.proposals.rules import ProposalError, check_participant, discussion_problem
from app.proposals.targets import Target, target_columns, where_target

EDIT_WINDOW = timedelta(minutes=15)


def _check_open(target: Target) -> None:
    if isinstance(target, Proposal):
        problem = discussion_problem(target)
    else:
        closed = target.process.phase in (Phase.DRAFT, Phase.CLOSED)
        problem = _l("The discussion of this project is closed.") if closed else None
    if problem:
        raise ProposalError(problem, "body")


def target_of(comment: Comment) -> Target:
    return comment.proposal if comment.proposal_id else comment.project  # type: ignore[return-value]


def add_comment(
    author: User, target: Target, body: str, *, parent: Comment | None = None, now: datetime | None = None
) -> Comment:
    """Comment on `target`, or reply to a comment about it. Replies are one level deep: a reply to a
    reply joins the thread of the comment at its top. Tells the person replied to and the followers."""
    now = now or utcnow()
    check_participant(author, now)
    _check_open(target)
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent
        where = target_columns(target)
        if (parent.proposal_id, parent.project_id) != (where.get("proposal_id"), where.get("project_id")):
            raise ProposalError(_l("You can only reply to a comment on the same page."), "body")
        if parent.is_deleted or parent.visibility != Visibility.VISIBLE:
            raise ProposalError(_l("This comment cannot be replied to."), "body")
    comment = Comment(author=author, parent=parent, body=body, created_at=now, **target_columns(target))
    db.session.add(comment)
    db.session.flush()
    notify.commented(comment, target)
    return comment


def _check_own(user: User, comment: Comment) -> None:
    if comment.author_id != user.id:
        raise ProposalError(_l("You can only change your own comments."), "body")
    if comment.is_deleted:
        raise ProposalError(_l("This comment was deleted."), "body")


def editable(user: User | None, comment: Comment, now: datetime) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.id
        and not comment.is_deleted
        and comment.visibility == Visibility.VISIBLE
        and now - comment.created_at <= EDIT_WINDOW
    )


def edit_comment(user: User, comment: Comment, body: str, *, now: datetime | None = None) -> None:
    """Change your own comment, within 15 minutes of writing it (not after moderators hid it)."""
    now = now or utcnow()
    check_participant(user, now)
    _check_own(user, comment)
    if not editable(user, comment, now):
        raise ProposalError(_l("Comments can only be changed in the first 15 minutes."), "body")
    comment.body = body
    comment.edited_at = now
    db.session.flush()


def delete_comment(user: User, comment: Comment, *, now: datetime | None = None) -> None:
    """Delete your own comment: its text goes, a tombstone stays so that replies keep their place."""
    _check_own(user, comment)
    comment.body = ""
    comment.deleted_at = now or utcnow()
    db.session.flush()


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def threads(target: Target) -> list[Thread]:
    """The discussion of `target`, oldest first, replies under their comment (one query)."""
    rows = db.session.scalars(
        select(Comment).where(where_target(Comment, target)).order_by(Comment.created_at, Comment.id)
    )
    by_id: dict[int, Thread] = {}
    top: list[Thread] = []
    orphans: list[Comment] = []
    for comment in rows:
        if comment.parent_id is None:
            by_id[comment.id] = Thread(comment)
            top.append(by_id[comment.id])
        else:
            orphans.append(comment)
    for reply in orphans:
        if reply.parent_id in by_id:
            by_id[reply.parent_id].replies.append(reply)
    return top
