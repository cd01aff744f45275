"""What the delivery pages show: lists, a project's timeline and rating summaries (figures: `figures`).

Lists run the same number of queries whatever their length: the project, its district, category,
picture and process come in the same SELECT, and milestones in one more.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.delivery.models import (
    DeliveryChange,
    DeliveryProject,
    DeliveryStatus,
    DeliveryUpdate,
    GroundReport,
    HelpOffer,
    Milestone,
    OfferStatus,
    Rating,
    ReportStatus,
    Serves,
)
from app.extensions import db
from app.processes.models import Phase, Process, Project
from app.proposals.models import Comment


@dataclass
class Filters:
    process_id: int | None = None
    district_id: int | None = None
    status: DeliveryStatus | None = None


def public_list(filters: Filters) -> Select:
    """Delivery records of public processes, newest process first, then in ballot order."""
    stmt = (
        select(DeliveryProject)
        .join(DeliveryProject.project)
        .join(DeliveryProject.process)
        .where(Process.phase != Phase.DRAFT)
        .options(
            contains_eager(DeliveryProject.project),
            contains_eager(DeliveryProject.process),
            selectinload(DeliveryProject.milestones),
        )
        .order_by(Process.created_at.desc(), Process.id, Project.position, Project.id)
    )
    if filters.process_id is not None:
        stmt = stmt.where(DeliveryProject.process_id == filters.process_id)
    if filters.district_id is not None:
        stmt = stmt.where(Project.district_id == filters.district_id)
    if filters.status is not None:
        stmt = stmt.where(DeliveryProject.status == filters.status)
    return stmt


def processes_with_delivery() -> list[Process]:
    has_records = select(DeliveryProject.id).where(DeliveryProject.process_id == Process.id).exists()
    stmt = (
        select(Process)
        .where(Process.phase != Phase.DRAFT, has_records)
        .options(selectinload(Process.phases))  # the dashboard's years come from the voting dates
        .order_by(Process.created_at.desc())
    )
    return list(db.session.scalars(stmt))


def record_for_project(project_id: int) -> DeliveryProject | None:
    return db.session.scalar(
        select(DeliveryProject)
        .where(DeliveryProject.project_id == project_id)
        .options(joinedload(DeliveryProject.process), selectinload(DeliveryProject.milestones))
    )


@dataclass(frozen=True)
class Entry:
    """One line of a project's public timeline."""

    when: datetime | date
    kind: str  # "change", "milestone", "update" or "report"
    item: object

    @property
    def sort_key(self) -> tuple:
        moment = self.when if isinstance(self.when, datetime) else datetime(*self.when.timetuple()[:3])
        return (moment.replace(tzinfo=None), self.kind)


def timeline(record: DeliveryProject) -> list[Entry]:
    """Status changes, milestones done, updates and confirmed reports, newest first."""
    entries = [
        Entry(c.created_at, "change", c)
        for c in db.session.scalars(
            select(DeliveryChange).where(DeliveryChange.delivery_id == record.id).order_by(DeliveryChange.id)
        )
    ]
    entries += [Entry(m.done_on, "milestone", m) for m in record.milestones if m.done_on]
    entries += [
        Entry(u.created_at, "update", u)
        for u in db.session.scalars(
            select(DeliveryUpdate)
            .where(DeliveryUpdate.delivery_id == record.id)
            .options(selectinload(DeliveryUpdate.photos))
        )
    ]
    entries += [
        Entry(r.answered_at or r.created_at, "report", r)
        for r in db.session.scalars(
            select(GroundReport).where(
                GroundReport.delivery_id == record.id, GroundReport.status == ReportStatus.CONFIRMED
            )
        )
    ]
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)


@dataclass
class RatingSummary:
    count: int = 0
    stars_total: int = 0
    serves: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Serves})

    @property
    def average(self) -> float | None:
        return round(self.stars_total / self.count, 1) if self.count else None

    def add(self, stars: int, serves: str, n: int = 1) -> None:
        self.count += n
        self.stars_total += stars * n
        self.serves[serves] = self.serves.get(serves, 0) + n

    def share(self, serves: str) -> int:
        """Percentage of raters who answered `serves`, rounded."""
        return round(100 * self.serves.get(serves, 0) / self.count) if self.count else 0


def rating_summaries(delivery_ids: list[int]) -> dict[int, RatingSummary]:
    """A rating summary per delivery record (one GROUP BY query)."""
    out: dict[int, RatingSummary] = defaultdict(RatingSummary)
    if not delivery_ids:
        return out
    rows = db.session.execute(
        select(Rating.delivery_id, Rating.stars, Rating.serves, func.count())
        .where(Rating.delivery_id.in_(delivery_ids))
        .group_by(Rating.delivery_id, Rating.stars, Rating.serves)
    )
    for delivery_id, stars, serves, n in rows:
        out[delivery_id].add(stars, serves.value, n)
    return out


def public_offers(record: DeliveryProject) -> tuple[int, list[HelpOffer]]:
    """How many offers of help a project has had, and the accepted ones (shown with first names)."""
    offers = list(
        db.session.scalars(
            select(HelpOffer).where(HelpOffer.delivery_id == record.id).order_by(HelpOffer.created_at)
        )
    )
    return len(offers), [o for o in offers if o.status == OfferStatus.ACCEPTED]


def my_offers(user, record: DeliveryProject) -> list[HelpOffer]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(HelpOffer)
            .where(HelpOffer.delivery_id == record.id, HelpOffer.user_id == user.id)
            .order_by(HelpOffer.created_at.desc())
        )
    )


def my_reports(user, record: DeliveryProject) -> list[GroundReport]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(GroundReport)
            .where(GroundReport.delivery_id == record.id, GroundReport.user_id == user.id)
            .order_by(GroundReport.created_at.desc())
        )
    )


def comments_count(project_id: int) -> int:
    from app.proposals.models import Visibility

    return db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(
            Comment.project_id == project_id,
            Comment.deleted_at.is_(None),
            Comment.visibility == Visibility.VISIBLE,
        )
    )


# Officers' queues ---------------------------------------------------------------------------------


def offers_queue(status: OfferStatus | None) -> Select:
    """Offers of help in `status`, oldest first (all of them, newest first, when None)."""
    stmt = select(HelpOffer).options(joinedload(HelpOffer.delivery))
    if status is None:
        return stmt.order_by(HelpOffer.created_at.desc(), HelpOffer.id.desc())
    return stmt.where(HelpOffer.status == status).order_by(HelpOffer.created_at, HelpOffer.id)


def reports_queue(status: ReportStatus | None) -> Select:
    """Reports in `status`, oldest first (all of them, newest first, when None)."""
    stmt = select(GroundReport).options(joinedload(GroundReport.delivery))
    if status is None:
        return stmt.order_by(GroundReport.created_at.desc(), GroundReport.id.desc())
    return stmt.where(GroundReport.status == status).order_by(GroundReport.created_at, GroundReport.id)


def waiting_counts() -> dict[str, int]:
    offers = db.session.scalar(
        select(func.count()).select_from(HelpOffer).where(HelpOffer.status == OfferStatus.PENDING)
    )
    reports = db.session.scalar(
        select(func.count()).select_from(GroundReport).where(GroundReport.status == ReportStatus.PENDING)
    )
    return {"offers": offers, "reports": reports}


def overdue_count(today: date) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Milestone)
        .join(DeliveryProject, DeliveryProject.id == Milestone.delivery_id)
        .where(
            Milestone.done_on.is_(None),
            Milestone.due_on < today,
            DeliveryProject.status.not_in([DeliveryStatus.COMPLETED, DeliveryStatus.CANCELLED]),
        )
    )


def process_records(process: Process) -> list[DeliveryProject]:
    """A process's delivery records with their milestones, in ballot order (officers' view)."""
    return list(
        db.session.scalars(
            select(DeliveryProject)
            .join(DeliveryProject.project)
            .where(DeliveryProject.process_id == process.id)
            .options(contains_eager(DeliveryProject.project), selectinload(DeliveryProject.milestones))
            .order_by(Project.position, Project.id)
        )
    )
