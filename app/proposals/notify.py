"""What the proposals feature tells people, and the kinds of notification it adds."""

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.notifications.services import notify, register_kind
from app.proposals.follows import followers
from app.proposals.models import Comment, Proposal, ProposalStatus
from app.proposals.targets import Target, target_path

STATUS, COMMENT, REPLY, MODERATION = "status", "comment", "reply", "moderation"
register_kind(STATUS, _l("A proposal or project you follow changes status"))
register_kind(COMMENT, _l("Someone comments on a proposal or project you follow"))
register_kind(REPLY, _l("Someone replies to your comment"))
register_kind(MODERATION, _l("Moderators act on something you wrote"))

S = ProposalStatus
# Built when sent, so that each recipient reads it in their own language.
STATUS_MESSAGES = {
    S.PUBLISHED: lambda t: _l("“%(title)s” is published.", title=t),
    S.UNDER_REVIEW: lambda t: _l("“%(title)s” is now being reviewed by council officers.", title=t),
    S.CHANGES_REQUESTED: lambda t: _l("Council officers ask for changes to “%(title)s”.", title=t),
    S.ACCEPTED: lambda t: _l("“%(title)s” is accepted onto the ballot.", title=t),
    S.REJECTED: lambda t: _l("“%(title)s” was not accepted for the ballot.", title=t),
    S.WITHDRAWN: lambda t: _l("“%(title)s” was withdrawn by its author.", title=t),
    S.MERGED: lambda t: _l("“%(title)s” was merged into another proposal.", title=t),
}


def status_changed(proposal: Proposal, actor: User | None) -> None:
    """Tell the author and the followers (not whoever made the change)."""
    message = STATUS_MESSAGES.get(proposal.status)
    if message is None:
        return
    recipients = [proposal.author, *followers(proposal)]
    notify(recipients, STATUS, message(proposal.title), target_path(proposal), skip=actor)


def commented(comment: Comment, target: Target) -> None:
    """A reply tells the person replied to; any comment tells the target's followers."""
    link = f"{target_path(target)}#comment-{comment.id}"
    replied_to = comment.parent.author if comment.parent else None
    if replied_to is not None:
        notify([replied_to], REPLY, _l("%(name)s replied to your comment.", name=comment.author), link)
    others = [u for u in followers(target) if replied_to is None or u.id != replied_to.id]
    title = getattr(target, "title", "")
    notify(others, COMMENT, _l("New comment on “%(title)s”.", title=title), link, skip=comment.author)


def moderated(author: User | None, message, link: str) -> None:
    if author is not None:
        notify([author], MODERATION, message, link)
