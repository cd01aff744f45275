"""Residents' part in delivery: offers of help, reports from the ground, ratings; officers' answers.

Residents must be signed in with a confirmed address and not blocked (the same rule as comments).
Whoever offers help or reports starts following the project. Services flush; the caller commits.
"""

from datetime import datetime
from typing import IO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.auth.signals import account_deleted
from app.core import audit
from app.core.images import ImageError, store_image
from app.db import utcnow
from app.delivery import notify
from app.delivery.models import (
    DeliveryProject,
    DeliveryStatus,
    GroundReport,
    HelpOffer,
    OfferStatus,
    Rating,
    ReportKind,
    ReportStatus,
    Serves,
)
from app.delivery.services import DeliveryError
from app.extensions import db
from app.processes.models import Phase
from app.proposals.follows import follow
from app.proposals.rules import ProposalError, check_participant


def _check_resident(user: User, record: DeliveryProject, now: datetime) -> None:
    try:
        check_participant(user, now)
    except ProposalError as exc:
        raise DeliveryError(str(exc)) from None
    if record.process.phase == Phase.CLOSED:
        raise DeliveryError(_l("This budget is closed: its projects take no more posts."))


def offer_problem(record: DeliveryProject) -> str | None:
    if not record.status.is_open:
        return str(_l("This project is finished or cancelled: it needs no more help."))
    return None


def offer_help(
    user: User, record: DeliveryProject, what: str, availability: str, *, now: datetime | None = None
) -> HelpOffer:
    """A resident offers what they can do and when. Flushes."""
    now = now or utcnow()
    _check_resident(user, record, now)
    if problem := offer_problem(record):
        raise DeliveryError(problem, "what")
    if not what.strip():
        raise DeliveryError(_l("Say what you can do."), "what")
    if not availability.strip():
        raise DeliveryError(_l("Say when you are free."), "availability")
    offer = HelpOffer(
        delivery_id=record.id, user_id=user.id, what=what.strip(), availability=availability.strip()
    )
    offer.created_at = now
    db.session.add(offer)
    follow(user, record.project)
    db.session.flush()
    return offer


OFFER_DECISIONS = (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.COORDINATING)


def answer_offer(actor: User, offer: HelpOffer, decision: OfferStatus, reply: str = "") -> None:
    """Accept, decline or reply to arrange an offer; the resident is told. Audited. Flushes."""
    if decision not in OFFER_DECISIONS:
        raise DeliveryError(_l("Choose what to do with this offer."), "decision")
    if decision == OfferStatus.COORDINATING and not reply.strip():
        raise DeliveryError(_l("Write your reply to the resident."), "reply")
    before = offer.status
    offer.status, offer.reply = decision, reply.strip()
    offer.replied_by_id, offer.replied_at = actor.id, utcnow()
    db.session.flush()
    audit.record(
        actor, "delivery.offer_answered", offer, before={"status": before}, after={"status": decision}
    )
    notify.offer_answered(offer)


def report_problem(record: DeliveryProject) -> str | None:
    if record.status == DeliveryStatus.CANCELLED:
        return str(_l("This project was cancelled: there is nothing to report on."))
    return None


def file_report(
    user: User,
    record: DeliveryProject,
    *,
    kind: ReportKind,
    body: str,
    photo: IO[bytes] | None = None,
    location: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    now: datetime | None = None,
) -> GroundReport:
    """A resident reports what they see at the project's site; officers confirm or answer. Flushes."""
    now = now or utcnow()
    _check_resident(user, record, now)
    if problem := report_problem(record):
        raise DeliveryError(problem, "body")
    if not body.strip():
        raise DeliveryError(_l("Say what you saw."), "body")
    if (latitude is None) != (longitude is None):
        raise DeliveryError(_l("Give both latitude and longitude, or neither."), "latitude")
    report = GroundReport(
        delivery_id=record.id,
        user_id=user.id,
        kind=kind,
        body=body.strip(),
        location=location.strip(),
        latitude=latitude,
        longitude=longitude,
        created_at=now,
    )
    if photo is not None:
        try:
            report.image = store_image(photo, uploader_id=user.id, alt=str(_l("Photo from a resident")))
        except ImageError as exc:
            raise DeliveryError(str(exc), "photo") from None
    db.session.add(report)
    follow(user, record.project)
    db.session.flush()
    return report


def answer_report(actor: User, report: GroundReport, decision: ReportStatus, answer: str = "") -> None:
    """Confirm a report (it joins the public timeline) or answer it; the reporter is told. Audited."""
    if decision not in (ReportStatus.CONFIRMED, ReportStatus.ANSWERED):
        raise DeliveryError(_l("Choose what to do with this report."), "decision")
    if decision == ReportStatus.ANSWERED and not answer.strip():
        raise DeliveryError(_l("Write your answer to the resident."), "answer")
    before = report.status
    report.status, report.answer = decision, answer.strip()
    report.answered_by_id, report.answered_at = actor.id, utcnow()
    db.session.flush()
    audit.record(
        actor, "delivery.report_answered", report, before={"status": before}, after={"status": decision}
    )
    notify.report_answered(report)


def my_rating(user: User | None, record: DeliveryProject) -> Rating | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(select(Rating).where(Rating.delivery_id == record.id, Rating.user_id == user.id))


def rating_problem(record: DeliveryProject) -> str | None:
    if record.status != DeliveryStatus.COMPLETED:
        return str(_l("You can rate this project once it is finished."))
    return None


def rate(
    user: User,
    record: DeliveryProject,
    stars: int,
    serves: Serves,
    comment: str = "",
    *,
    now: datetime | None = None,
) -> tuple[Rating, bool]:
    """Rate a completed project, or change your rating; returns (rating, created). One per person:
    the database's unique constraint settles two taps at once. Flushes."""
    now = now or utcnow()
    _check_resident(user, record, now)
    if problem := rating_problem(record):
        raise DeliveryError(problem, "stars")
    if not 1 <= stars <= 5:
        raise DeliveryError(_l("Choose from 1 to 5 stars."), "stars")
    values = {"stars": stars, "serves": serves, "comment": comment.strip()}
    existing = my_rating(user, record)
    if existing is None:
        try:
            with db.session.begin_nested():
                rating = Rating(
                    delivery_id=record.id, user_id=user.id, created_at=now, updated_at=now, **values
                )
                db.session.add(rating)
            return rating, True
        except IntegrityError:  # a second tap raced the first: change that rating instead
            existing = my_rating(user, record)
    for key, value in values.items():
        setattr(existing, key, value)
    existing.updated_at = now
    db.session.flush()
    return existing, False


@account_deleted.connect
def _forget_offers(user: User, **extra) -> None:
    """A deleted account's offers of help (what and when they could help) go; reports and ratings stay
    under "Deleted user"."""
    db.session.execute(HelpOffer.__table__.delete().where(HelpOffer.user_id == user.id))
