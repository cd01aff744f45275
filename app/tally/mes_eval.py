"""Affordability of one project in one MES round, in fixed point with a proven error bound.

Voters with the same utilities for the funded projects F (and for the project q itself) hold the same
money, so q's supporters are grouped into *classes* (a :class:`Record` per (q, F)). With rates rho_v of
the funded projects, a class's money is r = E - sum(u_v * rho_v) (nothing if negative) and q's rate rho
solves sum(m * min(r, rho * w)) = C (RULES.md §2.2), w being the class's utility for q. Sorted by money
per utility, the classes that pay all they have form a prefix, found by binary search on prefix sums.

Fixed point (see ``mes_problem``): sums and products are exact; only the final division rounds down.
Each rate carries ``eps`` such that the exact rate lies in [rho - eps, rho + eps]; the bound is the error
of the paying classes' money over the slope of the (monotone) payment function. When fixed point cannot
decide (a tie, or money exactly at a threshold) :class:`Uncertain` asks the caller for exact arithmetic.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from math import lcm
from operator import itemgetter, mul

from app.tally.mes_problem import MesProblem


class Uncertain(Exception):
    """Raised when the fixed-point error bound cannot separate the cases; use exact arithmetic."""


@dataclass
class Record:
    """The classes of project ``q``'s supporters once the projects in ``funded`` (a bitmask) are paid.

    ``scale[k]`` = lcm(weights) // weight[k], so money * scale orders classes by money per utility;
    ``mw[k]`` = mult[k] * weight[k]; ``order`` is the last sort, a nearly sorted start for the next one.
    """

    q: int
    funded: int
    keys: list[int]
    mult: list[int]
    weight: list[int]
    scale: list[int] | None
    mw: list[int]
    order: list[int] | None = None


@dataclass
class Eval:
    """Outcome of an evaluation: rate ``rho`` +/- ``eps`` (scaled), and who pays.

    ``poor`` lists the classes paying all they have; ``sharp`` says no class is within the error bound
    of a threshold, so the same classes pay everything in exact arithmetic.
    """

    q: int
    rho: int
    eps: int
    full_payers: int
    partial_payers: int
    record: Record
    poor: tuple[int, ...] = ()
    rich_weight: int = 0
    sharp: bool = False


@dataclass
class RunState:
    """Money of one MES run: scaled endowment ``E`` and, per project, its rate (0 while unfunded).

    ``pay[v]`` / ``slack[v]`` are what a full-share payer of v paid and its error bound (uniform
    utilities); ``spent`` / ``errors`` memoise them per voter class.
    """

    prob: MesProblem
    E: int
    rates: list[int]
    eps: list[int]
    funded: int = 0
    fmask: int = 0
    spent: dict[int, int] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)
    pay: list[int] = field(default_factory=list)
    slack: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pay, self.slack = [0] * len(self.rates), [0] * len(self.rates)

    def fund(self, project: int, rho: int, eps: int) -> None:
        self.rates[project], self.eps[project] = rho, eps
        self.funded |= 1 << project
        self.fmask |= self.prob.field(project)
        if self.prob.uniform is not None:
            u = self.prob.uniform[project]
            self.pay[project], self.slack[project] = u * rho, u * eps

    def learn(self, keys: list[int]) -> None:
        """Money spent (and its error bound) by voter classes whose funded utilities are ``keys``."""
        missing = set(keys).difference(self.spent)
        if not missing:
            return
        members, utilities = self.prob.members, self.prob.utilities_of
        if self.prob.uniform is not None:
            for key in missing:
                found = members(key)
                self.spent[key] = sum(map(self.pay.__getitem__, found))
                self.errors[key] = sum(map(self.slack.__getitem__, found))
            return
        for key in missing:
            found, utils = members(key), utilities(key)
            self.spent[key] = sum(map(mul, utils, map(self.rates.__getitem__, found)))
            self.errors[key] = sum(map(mul, utils, map(self.eps.__getitem__, found)))


def build_record(prob: MesProblem, q: int, funded: int, fmask: int) -> Record:
    """Group ``q``'s supporters by their utilities for the funded projects (and for q)."""
    own = 0 if prob.uniform is not None else prob.field(q)
    counts = Counter(map((fmask | own).__and__, prob.supporters[q]))
    mult = list(counts.values())
    if prob.uniform is not None:
        u = prob.uniform[q]
        return Record(q, funded, list(counts), mult, [u] * len(mult), None, [m * u for m in mult])
    shift, top = q * prob.bits, (1 << prob.bits) - 1
    weight = [key >> shift & top for key in counts]
    common = lcm(*set(weight))
    scale = None if len(set(weight)) == 1 else [common // w for w in weight]
    keys = [key & ~own for key in counts]
    return Record(q, funded, keys, mult, weight, scale, list(map(mul, mult, weight)))


@dataclass
class _Sorted:
    """A record's classes sorted by money per utility, with the sums the solver needs."""

    order: list[int]
    ratio: tuple[int, ...]
    money: tuple[int, ...]
    mult: tuple[int, ...]
    paid: list[int]
    weight_left: list[int]
    err: list[int]
    worst: int


def evaluate(st: RunState, rec: Record) -> Eval | None:
    """q's rate at state ``st``, or None if its supporters cannot pay its cost (for sure)."""
    st.learn(rec.keys)
    cost = st.prob.scaled_costs[rec.q]
    s = _sort(st, rec)
    first = bisect_right(s.ratio, 0)
    low = bisect_right(s.ratio, -s.worst)
    total = s.paid[-1] - s.paid[first]
    total_err = s.err[-1] - s.err[low]
    if total < cost:
        if cost - total > total_err:
            return None
        raise Uncertain
    if total - cost <= total_err:
        raise Uncertain
    return _solve(rec, s, cost, first, low)


def _sort(st: RunState, rec: Record) -> _Sorted:
    money = list(map(st.E.__sub__, map(st.spent.__getitem__, rec.keys)))
    ratio = money if rec.scale is None else list(map(mul, money, rec.scale))
    order = rec.order = sorted(rec.order or range(len(money)), key=ratio.__getitem__)
    pick = itemgetter(*order) if len(order) > 1 else (lambda seq: (seq[order[0]],))
    money_s, mult_s = pick(money), pick(rec.mult)
    ratio_s = money_s if rec.scale is None else pick(ratio)
    paid = [0, *accumulate(map(mul, money_s, mult_s))]
    weight_left = [*accumulate(reversed(pick(rec.mw)))][::-1]
    weight_left.append(0)
    errors = list(map(st.errors.__getitem__, pick(rec.keys)))
    err = [0, *accumulate(map(mul, errors, mult_s))]
    worst = max(errors) * (max(rec.scale) if rec.scale else 1)
    return _Sorted(order, ratio_s, money_s, mult_s, paid, weight_left, err, worst)


def _solve(rec: Record, s: _Sorted, cost: int, first: int, low: int) -> Eval:
    """Binary search for the first class paying the equal-rate share (the poorer ones pay all)."""
    weight, order = rec.weight, s.order
    lo, hi = first, len(order) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if s.money[mid] * s.weight_left[mid] < (cost - (s.paid[mid] - s.paid[first])) * weight[order[mid]]:
            lo = mid + 1
        else:
            hi = mid
    rich = s.weight_left[lo]
    rho = (cost - (s.paid[lo] - s.paid[first])) // rich
    common = rec.weight[0] * (rec.scale[0] if rec.scale else 1)
    eps, near = _error_bound(s, lo, low, rho, rich, common)
    full = sum(s.mult[lo:])
    partial = sum(s.mult[first:lo])
    sharp = not near and low == first
    return Eval(rec.q, rho, eps, full, partial, rec, tuple(s.order[first:lo]), rich, sharp)


def _error_bound(s: _Sorted, pos: int, low: int, rho: int, rich: int, common: int) -> tuple[int, bool]:
    """(eps, near): |exact rate - rho| <= eps, and whether a class sits within the error of the threshold.

    The money error of the classes paying all they have (and of those near zero) over the slope of the
    payment function, minus the full-share payers within ``reach`` of the threshold. Raises
    :class:`Uncertain` when half the slope sits at the threshold (exact ties).
    """
    err = s.err[pos] - s.err[low]
    reach = 2 * (err // rich) + 4
    top = bisect_left(s.ratio, (rho + reach + 1) * common + s.worst, pos)
    near_err = s.err[top] - s.err[pos]
    safe = s.weight_left[top]
    if 2 * safe < rich:
        raise Uncertain
    eps = -(-(err + near_err) // safe) + 2
    if eps > reach:
        raise Uncertain
    bottom = bisect_left(s.ratio, (rho - eps - 1) * common - s.worst, 0, pos)
    return eps, top > pos or bottom < pos
