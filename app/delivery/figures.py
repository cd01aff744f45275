"""Headline figures of delivery: per budget and per year (the dashboard, a process's delivery page).

Each figure is one aggregate query over all the budgets asked for, whatever their number.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import Subquery, case, func, select, union_all

from app.delivery.models import DeliveryProject, DeliveryStatus, GroundReport, HelpOffer, Rating
from app.delivery.queries import RatingSummary, processes_with_delivery
from app.extensions import db
from app.processes.models import Phase, Process
from app.proposals.models import Comment


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


def dashboard_figures() -> tuple[list[tuple[Process, Figures]], list[tuple[int, Figures]]]:
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
