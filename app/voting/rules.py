"""What a valid ballot is, for each ballot type. Pure: no Flask, no database.

A ballot is a mapping {project_id: points}. Approval-style ballots (approval, k-approval, knapsack)
give each chosen project 1 point; a cumulative ballot spreads up to N points, at most M on one
project. Money is in integer cents. `check_ballot` returns every problem, in the order a person
would fix them; `ballot_status` gives the running figures the ballot's sticky bar shows.

Problems carry numbers, not sentences: app/voting/messages.py words them in the reader's language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

APPROVAL = "approval"
K_APPROVAL = "k_approval"
KNAPSACK = "knapsack"
CUMULATIVE = "cumulative"
BALLOT_TYPES = (APPROVAL, K_APPROVAL, KNAPSACK, CUMULATIVE)


@dataclass(frozen=True)
class BallotRules:
    """One district's ballot: its type, the district's budget and the process's limits."""

    ballot_type: str
    budget_cents: int
    min_choices: int = 1
    max_choices: int | None = None  # k, for k-approval only
    total_points: int | None = None  # N, for cumulative only
    max_points_per_project: int | None = None  # M, for cumulative only (None: up to N)
    min_spend_percent: int = 0  # knapsack only

    def __post_init__(self) -> None:
        if self.ballot_type not in BALLOT_TYPES:
            raise ValueError(f"unknown ballot type {self.ballot_type!r}")
        if self.ballot_type == CUMULATIVE and not self.total_points:
            raise ValueError("a cumulative ballot needs total_points")

    @property
    def uses_points(self) -> bool:
        return self.ballot_type == CUMULATIVE

    @property
    def max_picks(self) -> int | None:
        return self.max_choices if self.ballot_type == K_APPROVAL else None

    @property
    def points_cap(self) -> int:
        """Most points one project may get: M, else N; 1 on approval-style ballots."""
        if not self.uses_points:
            return 1
        return min(self.max_points_per_project or self.total_points, self.total_points)

    @property
    def min_spend_cents(self) -> int:
        """The least a knapsack ballot must spend, rounded up to the cent; 0 for other types."""
        if self.ballot_type != KNAPSACK or self.min_spend_percent <= 0:
            return 0
        return -(-self.budget_cents * self.min_spend_percent // 100)


@dataclass(frozen=True)
class Problem:
    """Why a ballot cannot be cast. `field` is the form field it belongs to ("projects" for the list,
    "points-<id>" for one project's points); `project_id` names the project concerned, if any."""

    kind: str
    numbers: Mapping[str, int] = field(default_factory=dict)
    field: str = "projects"
    project_id: int | None = None


@dataclass(frozen=True)
class BallotStatus:
    """Running figures for a ballot in progress."""

    chosen: int
    spent_cents: int
    points_used: int
    budget_left_cents: int  # negative when over budget
    picks_left: int | None  # None: no limit
    points_left: int | None  # None: not a points ballot


def clean_choices(choices: Mapping[int, int]) -> dict[int, int]:
    """The choices with zero-point entries dropped (an unticked project or a 0 typed in)."""
    return {project_id: points for project_id, points in choices.items() if points != 0}


def ballot_status(rules: BallotRules, costs: Mapping[int, int], choices: Mapping[int, int]) -> BallotStatus:
    chosen = clean_choices(choices)
    spent = sum(costs.get(project_id, 0) for project_id in chosen)
    used = sum(chosen.values())
    return BallotStatus(
        chosen=len(chosen),
        spent_cents=spent,
        points_used=used,
        budget_left_cents=rules.budget_cents - spent,
        picks_left=None if rules.max_picks is None else rules.max_picks - len(chosen),
        points_left=rules.total_points - used if rules.uses_points else None,
    )


def check_ballot(rules: BallotRules, costs: Mapping[int, int], choices: Mapping[int, int]) -> list[Problem]:
    """Every reason the ballot `choices` is not valid under `rules`; an empty list means it is valid.

    `costs` holds the cost in cents of every project on this district's ballot; a choice naming any
    other project is a problem. The minimum number of projects counts projects with points > 0.
    """
    chosen = clean_choices(choices)
    problems = [Problem("unknown_project", project_id=p) for p in chosen if p not in costs]
    problems += _point_problems(rules, chosen)
    if problems:
        return problems
    status = ballot_status(rules, costs, chosen)
    return _count_problems(rules, status) + _money_problems(rules, status) + _total_points(rules, status)


def _point_problems(rules: BallotRules, chosen: Mapping[int, int]) -> list[Problem]:
    problems = []
    for project_id, points in chosen.items():
        if points < 0 or (not rules.uses_points and points != 1):
            problems.append(Problem("bad_points", field=f"points-{project_id}", project_id=project_id))
        elif points > rules.points_cap:
            problems.append(
                Problem(
                    "points_over_cap",
                    {"points": points, "max": rules.points_cap},
                    field=f"points-{project_id}",
                    project_id=project_id,
                )
            )
    return problems


def _count_problems(rules: BallotRules, status: BallotStatus) -> list[Problem]:
    if status.chosen < rules.min_choices:
        return [Problem("too_few", {"min": rules.min_choices, "count": status.chosen})]
    if rules.max_picks is not None and status.chosen > rules.max_picks:
        return [Problem("too_many", {"max": rules.max_picks, "count": status.chosen})]
    return []


def _money_problems(rules: BallotRules, status: BallotStatus) -> list[Problem]:
    if rules.ballot_type != KNAPSACK:
        return []
    if status.spent_cents > rules.budget_cents:
        over = status.spent_cents - rules.budget_cents
        return [
            Problem("over_budget", {"spent": status.spent_cents, "budget": rules.budget_cents, "over": over})
        ]
    minimum = rules.min_spend_cents
    if status.chosen and status.spent_cents < minimum:
        numbers = {
            "spent": status.spent_cents,
            "minimum": minimum,
            "short": minimum - status.spent_cents,
            "percent": rules.min_spend_percent,
        }
        return [Problem("under_min_spend", numbers)]
    return []


def _total_points(rules: BallotRules, status: BallotStatus) -> list[Problem]:
    if rules.uses_points and status.points_used > rules.total_points:
        numbers = {"used": status.points_used, "total": rules.total_points}
        return [Problem("too_many_points", {**numbers, "over": status.points_used - rules.total_points})]
    return []


def is_over(rules: BallotRules, status: BallotStatus) -> bool:
    """Whether a ballot in progress is past its limit: budget, number of projects or points."""
    if rules.ballot_type == KNAPSACK:
        return status.budget_left_cents < 0
    if rules.uses_points:
        return (status.points_left or 0) < 0
    return status.picks_left is not None and status.picks_left < 0


def fits(rules: BallotRules, status: BallotStatus, cost_cents: int) -> bool:
    """Whether one more project costing `cost_cents` still fits a knapsack ballot's budget."""
    return rules.ballot_type != KNAPSACK or cost_cents <= status.budget_left_cents


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day`. Someone born on 29 February has their birthday on 1 March in
    other years."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
