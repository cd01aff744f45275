"""Proposals: drafts, publishing, editing, photos, withdrawal and supports; the public status history.

Services check the rules (app/proposals/rules.py) and flush; the view commits once.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import IO

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.core.images import ImageError, delete_image, store_image
from app.db import utcnow
from app.extensions import db
from app.i18n import system_note
from app.processes.models import Process
from app.proposals import notify
from app.proposals.follows import follow
from app.proposals.models import Proposal, ProposalPhoto, ProposalStatus, ProposalStatusChange, Support
from app.proposals.rules import (
    MAX_PHOTOS,
    ProposalError,
    can_move,
    check_editable,
    check_participant,
    check_proposals_open,
    support_problem,
)

S = ProposalStatus
FIELDS = (
    "title",
    "summary",
    "description",
    "estimated_cost_cents",
    "district_id",
    "category_id",
    "address",
    "latitude",
    "longitude",
    "links",
)
# What a proposal needs before anyone else sees it: (value, form field, message).
REQUIRED_TO_PUBLISH = (
    ("summary", "summary", _l("Write a one-line summary.")),
    ("description", "description", _l("Describe your proposal.")),
    ("estimated_cost_cents", "estimated_cost", _l("Give an estimated cost.")),
    ("district_id", "district_id", _l("Choose a district.")),
)


def stored_text(message) -> str:
    """A (lazy) message as text to keep in the database, in the site's default language.

    Works outside a request too (scheduled phase changes), where the locale selector cannot run."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(message)


def set_status(
    proposal: Proposal, target: ProposalStatus, actor: User | None, *, reason: str = "", now=None
) -> None:
    """Move `proposal` to `target` along the status machine, adding a public history entry and
    telling the author and followers. Raises ProposalError for a move the machine does not allow."""
    if not can_move(proposal.status, target):
        raise ProposalError(_l("This proposal cannot change to that status now."))
    now = now or utcnow()
    proposal.history.append(
        ProposalStatusChange(
            from_status=proposal.status,
            to_status=target,
            actor_id=actor.id if actor else None,
            reason=reason,
            created_at=now,
        )
    )
    proposal.status = target
    if target == S.PUBLISHED and proposal.published_at is None:
        proposal.published_at = now
    db.session.flush()
    notify.status_changed(proposal, actor)


def check_values(process: Process, values: dict, *, complete: bool) -> None:
    """The district has a budget in this process, the category is one of its categories, the cost fits
    the district's whole budget; with `complete`, everything publishing needs is there."""
    if complete:
        for key, field, message in REQUIRED_TO_PUBLISH:
            if not values.get(key):
                raise ProposalError(message, field)
    budget = process.budget_for(values["district_id"]) if values.get("district_id") else None
    if values.get("district_id") and budget is None:
        raise ProposalError(_l("This district has no budget in this process."), "district_id")
    category_ids = {c.id for c in process.categories}
    if values.get("category_id") and category_ids and values["category_id"] not in category_ids:
        raise ProposalError(_l("Choose one of this budget's categories."), "category_id")
    cost = values.get("estimated_cost_cents")
    if cost is not None and cost <= 0:
        raise ProposalError(_l("The cost must be more than zero."), "estimated_cost")
    if cost and budget and cost > budget.budget_cents:
        raise ProposalError(
            _l("This is more than the district's whole budget. Check the amount."), "estimated_cost"
        )


def _check_photo_count(existing: int, photos: Sequence[IO[bytes]]) -> None:
    if existing + len(photos) > MAX_PHOTOS:
        raise ProposalError(_l("A proposal can have at most %(n)d photos.", n=MAX_PHOTOS), "photos")


def _add_photos(proposal: Proposal, photos: Sequence[IO[bytes]], uploader: User) -> None:
    for stream in photos:
        try:
            image = store_image(stream, uploader_id=uploader.id, alt=proposal.title)
        except ImageError as exc:
            raise ProposalError(str(exc), "photos") from None
        proposal.photos.append(ProposalPhoto(image=image, position=len(proposal.photos)))
    db.session.flush()


def create_proposal(
    author: User,
    process: Process,
    values: dict,
    photos: Sequence[IO[bytes]] = (),
    *,
    publish: bool = False,
    now: datetime | None = None,
) -> Proposal:
    """Save a new proposal as a draft (or publish it at once) while the process takes proposals.

    The author follows it. Photos are checked and re-encoded (app/core/images.py); if one is refused,
    ProposalError(field="photos") is raised and the caller rolls back, so nothing is half-saved.
    """
    now = now or utcnow()
    check_participant(author, now)
    check_proposals_open(process, now)
    check_values(process, values, complete=publish)
    _check_photo_count(0, photos)
    proposal = Proposal(process=process, author=author, status=S.DRAFT, created_at=now, **values)
    db.session.add(proposal)
    db.session.flush()
    _add_photos(proposal, photos, author)
    follow(author, proposal)
    if publish:
        set_status(proposal, S.PUBLISHED, author, now=now)
    return proposal


def update_proposal(
    author: User,
    proposal: Proposal,
    values: dict,
    photos: Sequence[IO[bytes]] = (),
    *,
    submit: bool = False,
    now: datetime | None = None,
) -> None:
    """Change a proposal the author may still edit; with `submit`, publish a draft or send a proposal
    back to the review queue after changes were asked for (a published one just stays published)."""
    now = now or utcnow()
    check_editable(author, proposal, now)
    check_values(proposal.process, values, complete=submit or proposal.status != S.DRAFT)
    _check_photo_count(len(proposal.photos), photos)
    for key in FIELDS:
        setattr(proposal, key, values[key])
    _add_photos(proposal, photos, author)
    if submit and proposal.status in (S.DRAFT, S.CHANGES_REQUESTED):
        submit_proposal(author, proposal, now=now)


def submit_proposal(author: User, proposal: Proposal, *, now: datetime | None = None) -> None:
    """Publish a draft, or send a proposal changed on request back to the review queue."""
    now = now or utcnow()
    check_editable(author, proposal, now)
    values = {key: getattr(proposal, key) for key in FIELDS}
    check_values(proposal.process, values, complete=True)
    if proposal.status == S.DRAFT:
        set_status(proposal, S.PUBLISHED, author, now=now)
    elif proposal.status == S.CHANGES_REQUESTED:
        set_status(
            proposal, S.UNDER_REVIEW, author, reason=system_note(_l("Changed by the author.")), now=now
        )
    else:
        raise ProposalError(_l("This proposal is already published."))


def withdraw_proposal(author: User, proposal: Proposal, *, now: datetime | None = None) -> None:
    """The author takes a proposal out, at any time before a decision. Final."""
    if proposal.author_id != author.id:
        raise ProposalError(_l("Only the author can withdraw this proposal."))
    if not can_move(proposal.status, S.WITHDRAWN):
        raise ProposalError(_l("This proposal can no longer be withdrawn."))
    set_status(proposal, S.WITHDRAWN, author, now=now)


def remove_photo(author: User, proposal: Proposal, image_id: int, *, now: datetime | None = None) -> None:
    """Remove one of the proposal's photos; its files go once the removal is committed."""
    check_editable(author, proposal, now or utcnow())
    photo = next((p for p in proposal.photos if p.image_id == image_id), None)
    if photo is None:
        raise ProposalError(_l("This photo is not part of the proposal."))
    image = photo.image
    proposal.photos.remove(photo)
    for position, other in enumerate(proposal.photos):
        other.position = position
    db.session.flush()
    delete_image(image)
    db.session.flush()


def support(user: User, proposal: Proposal, *, now: datetime | None = None) -> None:
    """Support a published proposal, once. The database keeps supports unique."""
    now = now or utcnow()
    check_participant(user, now)
    if problem := support_problem(user, proposal, now):
        raise ProposalError(problem)
    if supported_ids(user, [proposal.id]):
        raise ProposalError(_l("You already support this proposal."))
    try:
        with db.session.begin_nested():
            db.session.add(Support(proposal_id=proposal.id, user_id=user.id, created_at=now))
    except IntegrityError:  # a second tap raced the first
        raise ProposalError(_l("You already support this proposal.")) from None
    db.session.expire(proposal, ["supports_count"])


def unsupport(user: User, proposal: Proposal, *, now: datetime | None = None) -> None:
    """Take support back, while proposals are open."""
    now = now or utcnow()
    if problem := support_problem(user, proposal, now):
        raise ProposalError(problem)
    db.session.execute(delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id))
    db.session.expire(proposal, ["supports_count"])


def supported_ids(user: User | None, proposal_ids: Sequence[int]) -> set[int]:
    """Which of these proposals `user` supports (one query)."""
    if user is None or not user.is_authenticated or not proposal_ids:
        return set()
    return set(
        db.session.scalars(
            select(Support.proposal_id).where(
                Support.user_id == user.id, Support.proposal_id.in_(proposal_ids)
            )
        )
    )
