"""pabutools 1.2.3 as a reference: parsing, and the satisfaction classes our rules correspond to.

* approval: greedy and MES with ``Cost_Sat`` (greedy by votes, MES with cost utilities);
* cumulative/scoring: greedy by total points needs ``total_points_sat`` (points x cost, so that
  pabutools' "satisfaction per unit of cost" is the total points); MES uses ``Additive_Cardinal_Sat``;
* ordinal: ``ordinal_points_sat(L)`` gives L - position (3/2/1 for Krakow); pabutools'
  ``Additive_Borda_Sat`` gives len - position - 1 and is not additive, so it cannot be used.

Ties: pabutools' default lexicographic tie-breaking on project ids = our ``tie_break="lexico"``.
"""

from __future__ import annotations

from pathlib import Path

from pabutools.election import (
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    Project,
    parse_pabulib,
)
from pabutools.election.satisfaction import Additive_Cardinal_Sat
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from app.tally.model import Election


def parse(path: Path) -> tuple[Instance, object]:
    return parse_pabulib(str(path))


def ordinal_points_sat(length: int) -> type[AdditiveSatisfaction]:
    """Positional points: the project ranked first gets ``length``, the next ``length - 1``, ..."""

    def points(instance, profile, ballot, project, precomputed) -> int:
        order = list(ballot)
        return length - order.index(project) if project in ballot else 0

    class OrdinalPoints_Sat(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, points)

    return OrdinalPoints_Sat


def total_points_sat(vote_type: str, length: int | None = None) -> type[AdditiveSatisfaction]:
    """points x cost, so that greedy's satisfaction density is a project's total points."""

    def func(instance, profile, ballot, project, precomputed):
        if vote_type in ("approval", "choose-1"):
            pts = int(project in ballot)
        elif vote_type == "ordinal":
            pts = length - list(ballot).index(project) if project in ballot else 0
        else:
            pts = ballot.get(project, 0)
        return pts * project.cost

    class TotalPoints_Sat(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, func)

    return TotalPoints_Sat


def mes_sat(vote_type: str, length: int | None = None) -> type:
    if vote_type in ("approval", "choose-1"):
        return Cost_Sat
    if vote_type == "ordinal":
        return ordinal_points_sat(length or 0)
    return Additive_Cardinal_Sat


def greedy_ids(instance, profile, vote_type: str, length: int | None = None) -> list[str]:
    sat = Cost_Sat if vote_type in ("approval", "choose-1") else total_points_sat(vote_type, length)
    return [p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=sat)]


def mes_ids(instance, profile, vote_type: str, length: int | None = None, add1: bool = False) -> list[str]:
    sat = mes_sat(vote_type, length)
    outcome = method_of_equal_shares(
        instance, profile, sat_class=sat, voter_budget_increment=1 if add1 else None
    )
    return [p.name for p in outcome]


def from_election(election: Election) -> tuple[Instance, object]:
    """The same election as pabutools objects (approval, cumulative or scoring)."""
    projects = {pid: Project(pid, p.cost) for pid, p in election.projects.items()}
    instance = Instance(projects.values(), budget_limit=election.budget)
    ballots = []
    for k in election.voter_ballot:
        ballot = election.ballots[k]
        if ballot.points is None:
            ballots.append(ApprovalBallot(projects[pid] for pid in ballot.ids))
        else:
            points = zip(ballot.ids, ballot.points, strict=True)
            ballots.append(CumulativeBallot({projects[pid]: pts for pid, pts in points}))
    profile_type = ApprovalProfile if election.vote_type == "approval" else CumulativeProfile
    return instance, profile_type(ballots, instance=instance)
