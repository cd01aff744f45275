"""Following a proposal or a project, to be told when its status changes or someone comments."""

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.auth.signals import account_deleted
from app.extensions import db
from app.proposals.models import Follow, Proposal
from app.proposals.targets import Target, target_columns, where_target


def is_following(user: User | None, target: Target) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        db.session.scalar(select(Follow.id).where(Follow.user_id == user.id, where_target(Follow, target)))
        is not None
    )


def follow(user: User, target: Target) -> bool:
    """Start following `target`; False when `user` already does. The database keeps follows unique."""
    if is_following(user, target):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Follow(user_id=user.id, **target_columns(target)))
    except IntegrityError:  # a second tap raced the first
        return False
    return True


def unfollow(user: User, target: Target) -> None:
    db.session.execute(delete(Follow).where(Follow.user_id == user.id, where_target(Follow, target)))


def followers(target: Target) -> list[User]:
    return list(
        db.session.scalars(
            select(User).join(Follow, Follow.user_id == User.id).where(where_target(Follow, target))
        )
    )


def carry_followers(source: Proposal, target: Proposal) -> int:
    """Move the followers of `source` to `target`; someone following both keeps one follow."""
    already = select(Follow.user_id).where(Follow.proposal_id == target.id)
    moving = list(
        db.session.scalars(
            select(Follow).where(Follow.proposal_id == source.id, Follow.user_id.not_in(already))
        )
    )
    for row in moving:
        row.proposal_id = target.id
    db.session.flush()
    db.session.execute(delete(Follow).where(Follow.proposal_id == source.id))
    return len(moving)


@account_deleted.connect
def _forget_follows(user: User, **extra) -> None:
    """A deleted account follows nothing (its supports and comments stay, under "Deleted user")."""
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
