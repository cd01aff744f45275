"""The input of the Method of Equal Shares engine, derived once from an election.

Projects are numbered 0..m-1 in the election's order. Utilities are made positive integers by one common
factor (MES is unchanged when every utility is multiplied by the same number). Each distinct ballot is a
*utility mask*: ``bits`` bits per project holding that voter's utility (for approval with cost or
cardinality utilities one bit, the utility being the project's own ``uniform`` value).

Money is handled in fixed point: an amount x is the integer x * ``scale``; ``scale`` makes the budget,
every cost and B/n integers and carries ``SHIFT`` extra bits of precision for the rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from app.tally.model import Election
from app.tally.numbers import Number

SHIFT = 96
UTILITIES = ("cost", "cardinality", "points")


@dataclass
class MesProblem:
    """Everything a MES run needs; see the module docstring for the encodings. ``ballots`` maps each
    distinct utility mask to the number of voters who cast it."""

    ids: list[str]
    costs: list[Number]
    budget: Number
    n: int
    scale: int
    scaled_costs: list[int]
    bits: int
    uniform: list[int] | None
    umax: list[int]
    votes: list[int]
    candidates: list[int]
    free: list[int]
    tie_rank: list[int]
    utilities: str
    ballots: dict[int, int] = field(default_factory=dict, repr=False)
    _supporters: list[list[int]] | None = field(default=None, repr=False)
    _members: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _utilities: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)

    @property
    def supporters(self) -> list[list[int]]:
        """Per project, the utility mask of each supporter (one entry per voter; built on first use:
        the batch engine does without)."""
        if self._supporters is None:
            self._supporters = _supporters(self.ballots, len(self.ids), self.bits)
        return self._supporters

    def field(self, project: int) -> int:
        """The mask of ``project``'s utility bits."""
        return ((1 << self.bits) - 1) << (project * self.bits)

    def utility(self, mask: int, project: int) -> int:
        """A voter's (integer) utility for ``project`` given the voter's utility mask."""
        if self.uniform is not None:
            return self.uniform[project] if mask >> project & 1 else 0
        return mask >> (project * self.bits) & ((1 << self.bits) - 1)

    def pairs(self, mask: int) -> tuple[tuple[int, int], ...]:
        """(project, utility) for every project present in ``mask``."""
        return tuple(zip(self.members(mask), self.utilities_of(mask), strict=True))

    def members(self, mask: int) -> tuple[int, ...]:
        """The projects present in ``mask`` (memoised)."""
        found = self._members.get(mask)
        if found is None:
            found = self._members[mask] = tuple(_present(mask, self.bits))
        return found

    def utilities_of(self, mask: int) -> tuple[int, ...]:
        """The utilities of :meth:`members` (memoised)."""
        found = self._utilities.get(mask)
        if found is None:
            found = self._utilities[mask] = tuple(self.utility(mask, p) for p in self.members(mask))
        return found


def default_utilities(vote_type: str) -> str:
    """Cost utilities for approval/choose-1 (equalshares.net, Pabulib); points for the other types."""
    return "cost" if vote_type in ("approval", "choose-1") else "points"


def build_problem(
    election: Election, utilities: str | None, tie_rank: Sequence[int], ordinal_scheme: str = "max_length"
) -> MesProblem:
    """Encode ``election`` for MES with ``utilities`` in :data:`UTILITIES`."""
    utilities = utilities or default_utilities(election.vote_type)
    if utilities not in UTILITIES:
        raise ValueError(f"unknown utilities {utilities!r}; expected one of {', '.join(UTILITIES)}")
    if utilities == "points" and election.vote_type in ("approval", "choose-1"):
        utilities = "cardinality"
    ids = list(election.projects)
    costs = [election.projects[pid].cost for pid in ids]
    uniform = _uniform(utilities, costs)
    if uniform is not None and election.vote_type in ("approval", "choose-1", "ordinal"):
        masks, bits = _approval_masks(election, ids), 1
    else:
        masks, bits = _point_masks(election, ids, uniform is not None, ordinal_scheme)
    per_ballot = dict.fromkeys(masks, 0)
    for mask, mult in zip(masks, election.multiplicity, strict=True):
        per_ballot[mask] += mult
    supporters = None
    if uniform is not None:  # every supporter's utility is the project's own: the votes suffice
        _, counts = election.tallies(ordinal_scheme)
        votes = [counts[pid] for pid in ids]
    else:
        supporters = _supporters(per_ballot, len(ids), bits)
        votes = [len(sup) for sup in supporters]
    prob = _assemble(election, ids, costs, utilities, bits, uniform, supporters, votes, tie_rank)
    prob.ballots = per_ballot
    return prob


def _supporters(ballots: dict[int, int], m: int, bits: int) -> list[list[int]]:
    supporters: list[list[int]] = [[] for _ in range(m)]
    for mask, mult in ballots.items():
        for project in _present(mask, bits):
            supporters[project] += [mask] * mult
    return supporters


def _approval_masks(election: Election, ids: list[str]) -> list[int]:
    if ids == list(election.projects):
        return election.approval_masks()
    bit = {pid: 1 << k for k, pid in enumerate(ids)}
    return [sum(map(bit.__getitem__, ballot.ids)) for ballot in election.ballots]


def _point_masks(election: Election, ids: list[str], flat: bool, scheme: str) -> tuple[list[int], int]:
    """Utility masks from points (``flat``: 1 per project with positive points)."""
    index = {pid: k for k, pid in enumerate(ids)}
    length = election.ordinal_length(scheme) if election.vote_type == "ordinal" else None
    ballots = [election.points_of(ballot, length) for ballot in election.ballots]
    if any(v < 0 for points in ballots for v in points.values()):
        raise ValueError("MES needs non-negative points; a ballot gives a negative score")
    factor = lcm(1, *(Fraction(v).denominator for points in ballots for v in points.values()))
    ints = [
        {index[p]: 1 if flat else int(v * factor) for p, v in points.items() if v > 0} for points in ballots
    ]
    bits = 1 if flat else max((u for b in ints for u in b.values()), default=1).bit_length()
    return [sum(u << (p * bits) for p, u in b.items()) for b in ints], bits


def _uniform(utilities: str, costs: list[Number]) -> list[int] | None:
    if utilities == "points":
        return None
    if utilities == "cardinality":
        return [1] * len(costs)
    money = lcm(1, *(Fraction(c).denominator for c in costs))
    return [int(c * money) for c in costs]


def _present(mask: int, bits: int) -> list[int]:
    out = []
    while mask:
        top = (mask.bit_length() - 1) // bits
        out.append(top)
        mask &= ~(((1 << bits) - 1) << (top * bits))
    return out


def _assemble(
    election: Election,
    ids: list[str],
    costs: list[Number],
    utilities: str,
    bits: int,
    uniform: list[int] | None,
    supporters: list[list[int]] | None,
    votes: list[int],
    tie_rank: Sequence[int],
) -> MesProblem:
    n = election.num_voters
    budget = election.budget
    denominators = [Fraction(budget).denominator, *(Fraction(c).denominator for c in costs)]
    if n:
        denominators.append(Fraction(budget, n).denominator)
    scale = lcm(*denominators) << SHIFT
    field = (1 << bits) - 1
    umax = (
        list(uniform)
        if uniform is not None or supporters is None
        else [max((m >> (p * bits) & field for m in set(sup)), default=0) for p, sup in enumerate(supporters)]
    )
    supported = [p for p in range(len(ids)) if votes[p] > 0]
    return MesProblem(
        ids=ids,
        costs=costs,
        budget=budget,
        n=n,
        scale=scale,
        scaled_costs=[int(c * scale) for c in costs],
        bits=bits,
        uniform=uniform,
        umax=umax,
        votes=votes,
        candidates=[p for p in supported if costs[p] > 0],
        free=[p for p in supported if costs[p] == 0],
        tie_rank=list(tie_rank),
        utilities=utilities,
        _supporters=supporters,
    )
