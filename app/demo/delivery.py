"""The demo's delivery: the projects funded by "riverside-2025" are being built, in every state
(planned, in progress, delayed, completed, cancelled), with milestones (some overdue), updates with
photos, offers of help in each state, reports confirmed and waiting, and ratings of finished ones.

Status changes and updates go through the real services (audited, on the public timelines); the
rest is seed data. Safe to load again: nothing is added once the records have milestones.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.core.timeutil import from_city, to_city
from app.db import utcnow
from app.delivery import progress, services
from app.delivery.models import (
    DeliveryChange,
    DeliveryProject,
    DeliveryStatus,
    GroundReport,
    HelpOffer,
    Milestone,
    OfferStatus,
    Rating,
    ReportKind,
    ReportStatus,
    Serves,
)
from app.demo.pictures import picture
from app.extensions import db
from app.processes.models import Phase, Process, Project

SLUG = "riverside-2025"
OFFICER = "officer@riverside.example"
S = DeliveryStatus
SCENES = {"parks": "park", "streets": "street", "sport": "playground", "community": "garden"}


@dataclass(frozen=True)
class Plan:
    status: DeliveryStatus
    progress: int
    reason: str
    spent_share: float  # of the allocation
    starts: int  # days from today (negative: in the past)
    ends: int  # planned end, days from today
    finished: int = 0  # for completed ones: when, days from today


PLANS = [
    Plan(S.COMPLETED, 100, "", 0.96, starts=-110, ends=-20, finished=-30),  # on time
    Plan(S.IN_PROGRESS, 55, "", 0.5, starts=-70, ends=60),  # one milestone overdue
    Plan(S.DELAYED, 30, "The supplier delivered the wrong parts; new ones are on order.", 0.35, -90, 20),
    Plan(S.PLANNED, 0, "", 0.0, starts=30, ends=150),
    Plan(
        S.CANCELLED,
        0,
        "The site turned out to be privately owned; the money goes back to the pot.",
        0.02,
        starts=-60,
        ends=90,
    ),
    Plan(S.COMPLETED, 100, "", 1.08, starts=-115, ends=-40, finished=-25),  # late and over budget
    Plan(S.IN_PROGRESS, 80, "", 0.7, starts=-25, ends=100),
]


def ensure_delivery(report) -> None:
    process = db.session.scalar(select(Process).where(Process.slug == SLUG))
    if process is None:
        return
    records = _records(process)
    if not records or db.session.scalar(
        select(Milestone.id).where(Milestone.delivery_id.in_([r.id for r in records])).limit(1)
    ):
        return
    officer = db.session.scalar(select(User).where(User.email == OFFICER))
    people = list(
        db.session.scalars(
            select(User).where(User.email.like("neighbour%@riverside.example")).order_by(User.id)
        )
    )
    dates = process.dates(Phase.DELIVERY)
    begun = to_city(dates.starts_at).date() if dates and dates.starts_at else to_city(utcnow()).date()
    today = to_city(utcnow()).date()
    for n, record in enumerate(records):
        plan = PLANS[n % len(PLANS)]
        _deliver(record, plan, n, officer, begun, today)
        if people:
            _take_part(record, plan, n, officer, people, today)
    report.created.append(f"delivery of {len(records)} funded projects in {process.title}")
    db.session.flush()


def _records(process: Process) -> list[DeliveryProject]:
    services.ensure_records(process, None)
    return list(
        db.session.scalars(
            select(DeliveryProject)
            .join(Project, Project.id == DeliveryProject.project_id)
            .where(DeliveryProject.process_id == process.id)
            .order_by(Project.position, Project.id)
        )
    )


def _at(day: date, hour: int = 10) -> datetime:
    return from_city(datetime.combine(day, time(hour)))


def _deliver(record: DeliveryProject, plan: Plan, n: int, officer: User, begun: date, today: date) -> None:
    jitter = timedelta(days=n // len(PLANS))
    starts, ends = today + timedelta(days=plan.starts) - jitter, today + timedelta(days=plan.ends) - jitter
    finished = today + timedelta(days=plan.finished) - jitter
    allocated = record.allocated_cents or record.project.cost_cents
    opened = db.session.scalar(
        select(DeliveryChange).where(
            DeliveryChange.delivery_id == record.id, DeliveryChange.from_status.is_(None)
        )
    )
    _backdate(opened, _at(min(begun, starts - timedelta(days=14))))
    _milestones(record, plan, (starts, ends, finished), today)
    if plan.status != S.PLANNED:
        first = services.update_record(
            officer,
            record,
            status=S.IN_PROGRESS if plan.status != S.CANCELLED else S.CANCELLED,
            status_reason=plan.reason if plan.status == S.CANCELLED else "",
            progress_percent=min(plan.progress, 20),
            starts_on=starts,
            ends_on=ends,
            allocated_cents=allocated,
            spent_cents=round(allocated * min(plan.spent_share, 0.2)),
            today=today,
        )
        _backdate(first, _at(starts))
    if plan.status in (S.IN_PROGRESS, S.DELAYED, S.COMPLETED):
        last = services.update_record(
            officer,
            record,
            status=plan.status,
            status_reason=plan.reason,
            progress_percent=plan.progress,
            starts_on=starts,
            ends_on=ends,
            allocated_cents=allocated,
            spent_cents=round(allocated * plan.spent_share),
            today=finished,
        )
        _backdate(
            last, _at(finished if plan.status == S.COMPLETED else min(today, starts + timedelta(days=40)))
        )
    elif plan.status == S.PLANNED:
        services.update_record(
            officer,
            record,
            status=S.PLANNED,
            progress_percent=0,
            starts_on=starts,
            ends_on=ends,
            allocated_cents=allocated,
            spent_cents=None,
            today=today,
        )
    if plan.status in (S.IN_PROGRESS, S.DELAYED, S.COMPLETED) and n < 6:
        _update(
            record, plan, n, officer, finished if plan.status == S.COMPLETED else starts + timedelta(days=30)
        )


def _backdate(change: DeliveryChange | None, when: datetime) -> None:
    if change is not None:
        change.created_at = min(when, utcnow())


def _milestones(record: DeliveryProject, plan: Plan, dates: tuple, today: date) -> None:
    starts, ends, finished = dates
    steps = [
        ("Design agreed with residents", starts + timedelta(days=10)),
        ("Contractor on site", starts + timedelta(days=30)),
        ("Work finished and inspected", ends),
    ]
    for k, (title, due) in enumerate(steps):
        done = None
        if plan.status == S.COMPLETED:
            done = finished if k == 2 else min(due, finished)
        elif plan.status in (S.IN_PROGRESS, S.DELAYED) and k == 0:
            done = min(due, today)
        elif plan.status == S.IN_PROGRESS and k == 1 and plan.progress >= 60:
            done = min(due + timedelta(days=2), today)
        if plan.status == S.CANCELLED and k > 0:
            continue
        record.milestones.append(
            Milestone(
                title=title,
                due_on=due,
                done_on=done,
                evidence="Signed off by the council's site engineer." if done else "",
            )
        )
    db.session.flush()


# Residents' offers and reports are answered directly: the demo's neighbours get no e-mail.
REPLIES = {OfferStatus.COORDINATING: "Thank you! Could you meet us on site next Tuesday at 10?"}
UPDATES = {
    S.IN_PROGRESS: (
        "Work is under way. **Thank you** to the neighbours who helped plan it.\n\n"
        "- next: the main works\n- the path stays open"
    ),
    S.DELAYED: "We are sorry: the work is paused until the new parts arrive. We will post the new date here.",
    S.COMPLETED: "It is finished! Come and see it, and **tell us what you think** with a rating.",
}


def _update(record: DeliveryProject, plan: Plan, n: int, officer: User, when: date) -> None:
    scene = SCENES.get(record.project.category.slug if record.project.category else "", "park")
    photos = [picture(scene, seed=500 + n)] if n < 4 else []
    update = progress.post_update(officer, record, UPDATES[plan.status], photos)
    update.created_at = min(_at(when, 15), utcnow())


def _take_part(record: DeliveryProject, plan: Plan, n: int, officer: User, people: list[User], today: date):
    who = [people[(n + k) % len(people)] for k in range(4)]
    now = _at(today, 9)
    if plan.status.is_open:
        offers = [
            ("I can water the new plants on weekends.", "Saturdays, April to June", OfferStatus.ACCEPTED),
            ("Our choir could sing at the opening.", "Any evening", OfferStatus.COORDINATING),
            ("I have a van and can move benches.", "Weekday mornings", OfferStatus.DECLINED),
            ("I can tell the neighbours on my street.", "Any time", OfferStatus.PENDING),
        ]
        for person, (what, when, status) in zip(who, offers[n % 2 :], strict=False):
            answered = status != OfferStatus.PENDING
            db.session.add(
                HelpOffer(
                    delivery_id=record.id,
                    user_id=person.id,
                    what=what,
                    availability=when,
                    created_at=now,
                    status=status,
                    reply=REPLIES.get(status, ""),
                    replied_by_id=officer.id if answered else None,
                    replied_at=now if answered else None,
                )
            )
    if plan.status != S.CANCELLED:
        confirmed = GroundReport(
            delivery_id=record.id,
            user_id=who[0].id,
            kind=ReportKind.FINISHED if plan.status == S.COMPLETED else ReportKind.STARTED,
            body="Saw the crew at work this morning."
            if plan.status != S.COMPLETED
            else "All done and already busy!",
            location="By the main entrance",
            created_at=now,
            status=ReportStatus.CONFIRMED,
            answer="Thank you for letting us know.",
            answered_by_id=officer.id,
            answered_at=now,
        )
        pending = GroundReport(
            delivery_id=record.id,
            user_id=who[1].id,
            kind=ReportKind.PROBLEM,
            body="A barrier has fallen over onto the pavement.",
            location="Corner of the street",
            created_at=now,
        )
        db.session.add_all([confirmed, pending])
    if plan.status == S.COMPLETED:
        scores = [
            (5, Serves.YES, "Lovely, we use it every day."),
            (4, Serves.YES, ""),
            (3, Serves.PARTLY, "Good, but too few benches."),
            (2, Serves.NO, ""),
        ]
        for person, (stars, serves, comment) in zip(who, scores[n % 2 :], strict=False):
            db.session.add(
                Rating(delivery_id=record.id, user_id=person.id, stars=stars, serves=serves, comment=comment)
            )
    db.session.flush()
