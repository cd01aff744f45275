"""What the delivery pages show: lists, a project's timeline, rating summaries and headline figures.

Lists run the same number of queries whatever their length: the project, its district, category,
picture and process come in the same SELECT, and milestones in one more.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import Select, Subquery, case, func, select, union_all
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
        select(Process).where(Process.phase != Phase.DRAFT, has_records).order_by(Process.created_at.desc())
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


# Headline figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """Headline figures of a set of delivery records (a process, or a year).

    `residents` counts distinct people, so it does not add up across processes: `merge` leaves it
    alone and the caller counts it for the whole set.
    """

    funded: int = 0
    completed: int = 0
    cancelled: int = 0
    completed_with_deadline: int = 0
    on_time: int = 0
    allocated_cents: int = 0
    spent_cents: int = 0
    residents: int = 0
    ratings: RatingSummary = field(default_factory=RatingSummary)

    @staticmethod
    def _percent(part: int, whole: int) -> int | None:
        return round(Fraction(100 * part, whole)) if whole else None

    @property
    def delivered_percent(self) -> int | None:
        """Completed projects as a share of all funded ones (cancelled ones count as not delivered)."""
        return self._percent(self.completed, self.funded)

    @property
    def on_time_percent(self) -> int | None:
        """Of the completed projects that had a planned end date, the share finished by that date."""
        return self._percent(self.on_time, self.completed_with_deadline)

    @property
    def spent_percent(self) -> int | None:
        return self._percent(self.spent_cents, self.allocated_cents)

    def merge(self, other: "Figures") -> None:
        for name in (
            "funded",
            "completed",
            "cancelled",
            "completed_with_deadline",
            "on_time",
            "allocated_cents",
            "spent_cents",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for serves, n in other.ratings.serves.items():
            self.ratings.serves[serves] = self.ratings.serves.get(serves, 0) + n
        self.ratings.count += other.ratings.count
        self.ratings.stars_total += other.ratings.stars_total


def figures_by_process(process_ids: list[int] | None = None) -> dict[int, Figures]:
    """Headline figures per process, in four queries whatever the number of processes."""
    out: dict[int, Figures] = defaultdict(Figures)
    stmt = select(
        DeliveryProject.process_id,
        DeliveryProject.status,
        DeliveryProject.ends_on,
        DeliveryProject.completed_on,
        DeliveryProject.allocated_cents,
        DeliveryProject.spent_cents,
    )
    if process_ids is not None:
        stmt = stmt.where(DeliveryProject.process_id.in_(process_ids))
    for process_id, status, ends_on, completed_on, allocated, spent in db.session.execute(stmt):
        f = out[process_id]
        f.funded += 1
        f.allocated_cents += allocated or 0
        f.spent_cents += spent or 0
        if status == DeliveryStatus.CANCELLED:
            f.cancelled += 1
        if status == DeliveryStatus.COMPLETED:
            f.completed += 1
            if ends_on is not None and completed_on is not None:
                f.completed_with_deadline += 1
                f.on_time += completed_on <= ends_on
    for process_id, n in _residents_involved(process_ids):
        out[process_id].residents = n
    ratings = (
        select(DeliveryProject.process_id, Rating.stars, Rating.serves, func.count())
        .join(Rating, Rating.delivery_id == DeliveryProject.id)
        .group_by(DeliveryProject.process_id, Rating.stars, Rating.serves)
    )
    if process_ids is not None:
        ratings = ratings.where(DeliveryProject.process_id.in_(process_ids))
    for process_id, stars, serves, n in db.session.execute(ratings):
        out[process_id].ratings.add(stars, serves.value, n)
    return out


def _residents_involved(
    process_ids: list[int] | None, group_of: dict[int, int] | None = None
) -> list[tuple[int, int]]:
    """Per process, the distinct people who offered help, reported, rated or commented on its funded
    projects (one query). With `group_of` (process id -> group, such as its year), per group instead:
    a person involved in two processes of a group counts once."""
    people = _people_involved(process_ids)
    key = people.c.process_id if group_of is None else case(group_of, value=people.c.process_id)
    rows = db.session.execute(
        select(key, func.count(people.c.user_id.distinct()))
        .where(people.c.user_id.is_not(None))
        .group_by(key)
    )
    return [(k, n) for k, n in rows]


def _people_involved(process_ids: list[int] | None) -> Subquery:
    """(process_id, user_id) for each offer of help, report, rating and comment on funded projects;
    user_id is NULL where the account was deleted."""
    d = DeliveryProject
    parts = [
        select(d.process_id.label("process_id"), HelpOffer.user_id.label("user_id")).join(
            HelpOffer, HelpOffer.delivery_id == d.id
        ),
        select(d.process_id, GroundReport.user_id).join(GroundReport, GroundReport.delivery_id == d.id),
        select(d.process_id, Rating.user_id).join(Rating, Rating.delivery_id == d.id),
        select(d.process_id, Comment.author_id).join(Comment, Comment.project_id == d.project_id),
    ]
    if process_ids is not None:
        parts = [p.where(d.process_id.in_(process_ids)) for p in parts]
    return union_all(*parts).subquery()


def process_year(process: Process) -> int:
    """The year a process belongs to: when its voting ended (else when it was created)."""
    voting = process.dates(Phase.VOTING)
    moment = (voting.ends_at if voting else None) or process.created_at
    return moment.year


def dashboard() -> tuple[list[tuple[Process, Figures]], list[tuple[int, Figures]]]:
    """Figures per process (newest first) and per year (newest first).

    A year's residents are the distinct people involved in any of its processes, not the sum of
    the processes' counts."""
    processes = processes_with_delivery()
    per_process = figures_by_process([p.id for p in processes])
    rows = [(p, per_process[p.id]) for p in processes]
    year_of = {p.id: process_year(p) for p in processes}
    years: dict[int, Figures] = defaultdict(Figures)
    for process, figures in rows:
        years[year_of[process.id]].merge(figures)
    if year_of:
        for year, n in _residents_involved(list(year_of), group_of=year_of):
            years[year].residents = n
    return rows, sorted(years.items(), reverse=True)


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
