"""Who hears about a project's delivery, and the kinds of notification delivery adds.

A project's audience is its followers and, when it came from a proposal, that proposal's author,
supporters and followers. Voters stay anonymous: ballots are never linked to people.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.notifications.services import notify, path_for, register_kind
from app.proposals.follows import followers
from app.proposals.models import Follow, Proposal, Support

NEWS, HELP = "delivery", "delivery_help"
register_kind(NEWS, _l("A project you follow or supported has news about its delivery"))
register_kind(HELP, _l("Council officers answer your offer of help or your report"))

STATUS_MESSAGES = {
    "planned": lambda t: _l("“%(title)s” is planned.", title=t),
    "in_progress": lambda t: _l("Work on “%(title)s” has started.", title=t),
    "delayed": lambda t: _l("“%(title)s” is delayed.", title=t),
    "completed": lambda t: _l("“%(title)s” is finished. Tell us what you think of it.", title=t),
    "cancelled": lambda t: _l("“%(title)s” was cancelled.", title=t),
}


def project_path(record) -> str:
    return path_for("delivery.project", project_id=record.project_id)


def audience(record) -> list[User]:
    """Followers of the project, and the author, supporters and followers of its proposal."""
    people = list(followers(record.project))
    proposal_id = record.project.proposal_id
    if proposal_id is not None:
        people += _users(
            select(Support.user_id).where(Support.proposal_id == proposal_id),
            select(Follow.user_id).where(Follow.proposal_id == proposal_id),
            select(Proposal.author_id).where(Proposal.id == proposal_id),
        )
    return people


def _users(*id_queries) -> list[User]:
    ids = set()
    for query in id_queries:
        ids.update(i for i in db.session.scalars(query) if i is not None)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids))))


def status_changed(record, actor: User | None) -> None:
    message = STATUS_MESSAGES[record.status.value](record.title)
    notify(audience(record), NEWS, message, project_path(record), skip=actor)


def update_posted(record, update, actor: User | None) -> None:
    message = _l("News on “%(title)s”.", title=record.title)
    notify(audience(record), NEWS, message, f"{project_path(record)}#update-{update.id}", skip=actor)


OFFER_MESSAGES = {
    "accepted": lambda t: _l("Your offer of help on “%(title)s” is accepted.", title=t),
    "declined": lambda t: _l("Your offer of help on “%(title)s” was declined, with thanks.", title=t),
    "coordinating": lambda t: _l("Council officers replied to your offer of help on “%(title)s”.", title=t),
}
REPORT_MESSAGES = {
    "confirmed": lambda t: _l("Your report on “%(title)s” is confirmed and shown on its page.", title=t),
    "answered": lambda t: _l("Council officers answered your report on “%(title)s”.", title=t),
}


def offer_answered(offer) -> None:
    message = OFFER_MESSAGES[offer.status.value](offer.delivery.title)
    notify([offer.user], HELP, message, f"{project_path(offer.delivery)}#offer-{offer.id}")


def report_answered(report) -> None:
    message = REPORT_MESSAGES[report.status.value](report.delivery.title)
    notify([report.user], HELP, message, f"{project_path(report.delivery)}#report-{report.id}")
