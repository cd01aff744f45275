"""Officers' account of a project's progress: milestones with their evidence, and updates with photos
that followers and supporters hear about. Every change is audited.

Services flush; the caller commits. Refusals raise DeliveryError with a message for people and the
form field it is about.
"""

from collections.abc import Sequence
from datetime import date
from typing import IO

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core import audit
from app.core.images import ImageError, store_image
from app.delivery import notify
from app.delivery.models import DeliveryProject, DeliveryUpdate, DeliveryUpdatePhoto, Milestone
from app.delivery.services import DeliveryError, city_today, jsonable
from app.extensions import db

MAX_UPDATE_PHOTOS = 3


def save_milestone(
    actor: User,
    record: DeliveryProject,
    milestone: Milestone | None,
    *,
    title: str,
    due_on: date | None,
    done_on: date | None,
    evidence: str = "",
    evidence_url: str = "",
    today: date | None = None,
) -> Milestone:
    """Add a milestone or change one. A milestone cannot be done in the future. Audited. Flushes."""
    if not title.strip():
        raise DeliveryError(_l("Give the milestone a title."), "title")
    if done_on and done_on > (today or city_today()):
        raise DeliveryError(_l("A milestone cannot be done in the future."), "done_on")
    creating = milestone is None
    milestone = milestone or Milestone(delivery=record)
    fields = {
        "title": title.strip(),
        "due_on": due_on,
        "done_on": done_on,
        "evidence": evidence.strip(),
        "evidence_url": evidence_url.strip(),
    }
    before = {} if creating else {k: jsonable(getattr(milestone, k)) for k in fields}
    for key, value in fields.items():
        setattr(milestone, key, value)
    db.session.add(milestone)
    db.session.flush()
    after = {k: jsonable(v) for k, v in fields.items() if before.get(k) != jsonable(v)}
    audit.record(
        actor,
        "delivery.milestone_added" if creating else "delivery.milestone_changed",
        milestone,
        before={k: before[k] for k in after} if before else None,
        after=after,
    )
    return milestone


def delete_milestone(actor: User, milestone: Milestone) -> None:
    audit.record(
        actor,
        "delivery.milestone_deleted",
        milestone,
        before={"title": milestone.title, "due_on": jsonable(milestone.due_on)},
    )
    db.session.delete(milestone)
    db.session.flush()


def post_update(
    actor: User, record: DeliveryProject, body: str, photos: Sequence[IO[bytes]] = ()
) -> DeliveryUpdate:
    """Publish news about a project with up to three photos; tells followers and supporters.

    Photos go through the image checks; a bad one refuses the whole update. Audited. Flushes.
    """
    if not body.strip():
        raise DeliveryError(_l("Write what is new."), "body")
    if len(photos) > MAX_UPDATE_PHOTOS:
        raise DeliveryError(_l("Add %(n)d photos at most.", n=MAX_UPDATE_PHOTOS), "photos")
    update = DeliveryUpdate(delivery_id=record.id, author_id=actor.id, body=body.strip())
    for position, stream in enumerate(photos):
        try:
            image = store_image(stream, uploader_id=actor.id, alt=record.title)
        except ImageError as exc:
            raise DeliveryError(str(exc), "photos") from None
        update.photos.append(DeliveryUpdatePhoto(image=image, position=position))
    db.session.add(update)
    db.session.flush()
    audit.record(actor, "delivery.update_posted", record, after={"update_id": update.id})
    notify.update_posted(record, update, actor)
    return update
