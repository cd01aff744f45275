"""Who may do what to a proposal, and when. Each check raises ProposalError with a message for people.

The same checks decide which buttons a page shows (`actions_for`), so a page never offers what the
service would refuse.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.processes.models import Phase
from app.proposals.models import Proposal, ProposalStatus, Visibility

S = ProposalStatus

# The status machine. Review decisions are officers'; the rest are the author's or the phase's.
TRANSITIONS: dict[ProposalStatus, set[ProposalStatus]] = {
    S.DRAFT: {S.PUBLISHED, S.WITHDRAWN},
    S.PUBLISHED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.ACCEPTED, S.REJECTED, S.CHANGES_REQUESTED, S.MERGED, S.WITHDRAWN, S.PUBLISHED},
    S.CHANGES_REQUESTED: {S.UNDER_REVIEW, S.ACCEPTED, S.REJECTED, S.MERGED, S.WITHDRAWN},
    S.ACCEPTED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
    S.MERGED: set(),
}
#: Statuses anyone can see in lists (drafts are the author's only).
PUBLIC_STATUSES = [s for s in ProposalStatus if s != S.DRAFT]
#: What a list shows unless a status is chosen: proposals still in the running or decided on their own.
LISTED_STATUSES = [S.PUBLISHED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.ACCEPTED, S.REJECTED]
#: Statuses in which a review decision can be taken.
REVIEWABLE = {S.UNDER_REVIEW, S.CHANGES_REQUESTED}
MAX_PHOTOS = 3


class ProposalError(Exception):
    """A request the rules do not allow; the message is safe to show. `field` names the form field."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def can_move(current: ProposalStatus, target: ProposalStatus) -> bool:
    return target in TRANSITIONS[current]


def check_participant(user: User, now: datetime) -> None:
    """A person may post, comment, support or report: signed in, e-mail confirmed, not blocked."""
    if not user.is_active:
        raise ProposalError(_l("This account was deleted."))
    if not user.is_verified:
        raise ProposalError(_l("Please confirm your email address first: we sent you a link."))
    if user.is_blocked(now):
        raise ProposalError(_l("Your account is blocked from taking part for now."))


def check_officer(user: User) -> None:
    if not user.is_officer:
        raise ProposalError(_l("Only council officers can do this."))


def check_proposals_open(process, now: datetime) -> None:
    if not process.is_open_for(Phase.PROPOSALS, now):
        raise ProposalError(_l("This budget is not taking proposals now."))


def editable_problem(user: User, proposal: Proposal, now: datetime) -> str | None:
    """Why `user` cannot edit `proposal` now, or None.

    The author edits a draft or a published proposal while proposals are open, and a proposal sent
    back for changes while the review is on.
    """
    if proposal.author_id != user.id:
        return _l("Only the author can change this proposal.")
    if proposal.status in (S.DRAFT, S.PUBLISHED):
        if not proposal.process.is_open_for(Phase.PROPOSALS, now):
            return _l("Proposals can only be changed while the budget is taking proposals.")
        return None
    if proposal.status == S.CHANGES_REQUESTED:
        return None if proposal.process.phase == Phase.REVIEW else _l("The review is over.")
    return _l("This proposal can no longer be changed.")


def check_editable(user: User, proposal: Proposal, now: datetime) -> None:
    check_participant(user, now)
    if problem := editable_problem(user, proposal, now):
        raise ProposalError(problem)


def support_problem(user: User, proposal: Proposal, now: datetime) -> str | None:
    if proposal.status != S.PUBLISHED or proposal.visibility != Visibility.VISIBLE:
        return _l("Only published proposals can be supported.")
    if not proposal.process.is_open_for(Phase.PROPOSALS, now):
        return _l("Support can only be given or taken back while the budget is taking proposals.")
    if proposal.author_id == user.id:
        return _l("You cannot support your own proposal.")
    return None


def discussion_problem(proposal: Proposal) -> str | None:
    if not proposal.is_public:
        return _l("This proposal is not open for comments.")
    if proposal.status in (S.WITHDRAWN, S.MERGED):
        return _l("The discussion of this proposal is closed.")
    if proposal.process.phase in (Phase.DRAFT, Phase.CLOSED):
        return _l("The discussion of this proposal is closed.")
    return None


def can_view(user: User | None, proposal: Proposal) -> bool:
    """Drafts are the author's (and officers'); everything else has a public page (maybe a tombstone)."""
    if proposal.status != S.DRAFT:
        return True
    return user is not None and user.is_authenticated and (user.id == proposal.author_id or user.is_officer)


def shows_content(user: User | None, proposal: Proposal) -> bool:
    """Hidden or held proposals show only their reason to the public; the author and officers see more."""
    if proposal.visibility == Visibility.VISIBLE:
        return True
    return user is not None and user.is_authenticated and (user.id == proposal.author_id or user.is_officer)


@dataclass(frozen=True)
class Actions:
    edit: bool = False
    publish: bool = False
    resubmit: bool = False
    withdraw: bool = False
    support: bool = False
    comment: bool = False
    flag: bool = False
    review: bool = False


def actions_for(user: User | None, proposal: Proposal, now: datetime) -> Actions:
    """The buttons a page offers `user` for `proposal` (services check again on use)."""
    if user is None or not user.is_authenticated:
        return Actions()
    mine = proposal.author_id == user.id
    editable = mine and editable_problem(user, proposal, now) is None
    return Actions(
        edit=editable,
        publish=editable and proposal.status == S.DRAFT,
        resubmit=editable and proposal.status == S.CHANGES_REQUESTED,
        withdraw=mine and can_move(proposal.status, S.WITHDRAWN),
        support=not mine and support_problem(user, proposal, now) is None,
        comment=discussion_problem(proposal) is None,
        flag=not mine and proposal.is_public,
        review=user.is_officer and proposal.status in REVIEWABLE and proposal.process.phase == Phase.REVIEW,
    )
