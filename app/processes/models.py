"""The city's districts and categories; budget processes, their phases, budgets and ballot projects."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.core.images import StoredImage


class District(db.Model):
    """An area of the city. A city-wide pot is the district flagged `is_citywide`."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    is_citywide: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    # The name in other languages, {locale: {"name": …}}; shown through app.i18n.localized.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )

    def __str__(self) -> str:
        return self.name


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(  # as District.translations
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )

    def __str__(self) -> str:
        return self.name


class Phase(enum.StrEnum):
    DRAFT = "draft"
    PROPOSALS = "proposals"
    REVIEW = "review"
    VOTING = "voting"
    RESULTS = "results"
    DELIVERY = "delivery"
    CLOSED = "closed"

    @property
    def index(self) -> int:
        return list(Phase).index(self)


class BallotType(enum.StrEnum):
    APPROVAL = "approval"  # any number of projects
    K_APPROVAL = "k_approval"  # at most k projects
    KNAPSACK = "knapsack"  # total cost within the district's budget
    CUMULATIVE = "cumulative"  # spread N points, at most M on one project


class OutcomeRule(enum.StrEnum):
    GREEDY = "greedy"
    GREEDY_THRESHOLD = "greedy-threshold"
    MES = "mes"
    MES_ADD1 = "mes-add1"


process_categories = sa.Table(
    "process_categories",
    db.metadata,
    sa.Column("process_id", sa.ForeignKey("processes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category_id", sa.ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class Process(db.Model):
    """One budget cycle, e.g. "Riverside 2027"."""

    __tablename__ = "processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The texts above in other languages, {locale: {"title": …, "summary": …, "description": …}};
    # shown through app.i18n.localized. Replace the dict to change it (in-place edits are not tracked).
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    phase: Mapped[Phase] = mapped_column(str_enum(Phase), default=Phase.DRAFT, index=True)
    # Ballot settings (used from the voting phase on).
    ballot_type: Mapped[BallotType] = mapped_column(str_enum(BallotType), default=BallotType.APPROVAL)
    min_choices: Mapped[int] = mapped_column(default=1)
    max_choices: Mapped[int | None]  # k for k-approval
    total_points: Mapped[int | None]  # N for cumulative
    max_points_per_project: Mapped[int | None]  # M for cumulative
    min_spend_percent: Mapped[int] = mapped_column(default=0)  # knapsack: spend at least this share
    rule: Mapped[OutcomeRule] = mapped_column(str_enum(OutcomeRule), default=OutcomeRule.GREEDY)
    rule_threshold: Mapped[int | None]  # greedy-threshold: minimum votes or points
    # Who may take part.
    residents_only: Mapped[bool] = mapped_column(default=False)  # residents of the district only
    min_age: Mapped[int | None]
    allow_accounts: Mapped[bool] = mapped_column(default=True)
    allow_census: Mapped[bool] = mapped_column(default=False)
    allow_codes: Mapped[bool] = mapped_column(default=False)
    allow_paper: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    budgets: Mapped[list["ProcessDistrict"]] = relationship(
        back_populates="process", cascade="all, delete-orphan", order_by="ProcessDistrict.position"
    )
    phases: Mapped[list["ProcessPhase"]] = relationship(
        back_populates="process", cascade="all, delete-orphan", order_by="ProcessPhase.starts_at"
    )
    categories: Mapped[list[Category]] = relationship(
        secondary=process_categories, order_by=Category.position
    )

    def __str__(self) -> str:
        return self.title

    def dates(self, phase: Phase) -> "ProcessPhase | None":
        return next((p for p in self.phases if p.phase == phase), None)

    def budget_for(self, district_id: int) -> "ProcessDistrict | None":
        return next((b for b in self.budgets if b.district_id == district_id), None)

    @property
    def total_budget_cents(self) -> int:
        return sum(b.budget_cents for b in self.budgets)

    def is_open_for(self, phase: Phase, now: datetime) -> bool:
        """True when the process is in `phase` and `now` is inside that phase's dates (where set)."""
        if self.phase != phase:
            return False
        dates = self.dates(phase)
        return dates is None or dates.contains(now)


class ProcessDistrict(db.Model):
    """A district's pot within a process."""

    __tablename__ = "process_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"))
    budget_cents: Mapped[int] = mapped_column(sa.BigInteger)
    position: Mapped[int] = mapped_column(default=0)

    process: Mapped[Process] = relationship(back_populates="budgets")
    district: Mapped[District] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("process_id", "district_id"),
        sa.CheckConstraint("budget_cents >= 0", name="budget_not_negative"),
    )


class ProcessPhase(db.Model):
    """When a phase of a process starts and ends (stored in UTC, shown in the city's time zone)."""

    __tablename__ = "process_phases"
    __table_args__ = (sa.UniqueConstraint("process_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]

    process: Mapped[Process] = relationship(back_populates="phases")

    def contains(self, now: datetime) -> bool:
        """Start inclusive, end exclusive: at the end time exactly, the phase is over."""
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )


class Project(db.Model):
    """A project on a process's ballot, in one district. Funded projects are delivered later."""

    __tablename__ = "projects"
    __table_args__ = (
        sa.UniqueConstraint("process_id", "code"),
        sa.CheckConstraint("cost_cents > 0", name="cost_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"), index=True)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id", ondelete="SET NULL"))
    image_id: Mapped[int | None] = mapped_column(sa.ForeignKey("images.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(sa.String(40))  # public id on the ballot and in the .pb file
    title: Mapped[str] = mapped_column(sa.String(160))
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(  # as Process.translations
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )
    cost_cents: Mapped[int] = mapped_column(sa.BigInteger)
    feasibility_note: Mapped[str] = mapped_column(sa.Text, default="")
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The proposal this project was accepted from, in the review phase (None: added by hand or imported).
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="SET NULL"), unique=True
    )

    process: Mapped[Process] = relationship()
    district: Mapped[District] = relationship(lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")
    image: Mapped["StoredImage | None"] = relationship(lazy="joined")

    def __str__(self) -> str:
        return self.title
