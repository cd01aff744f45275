"""Affordability of one project in one MES round, in fixed point with a proven error bound.

Voters with the same utilities for the funded projects F (and for the project q itself) hold the same
money, so q's supporters are grouped into *classes* (a :class:`Record` per (q, F)). With rates rho_v of
the funded projects, a class's money is r = E - sum(u_v * rho_v) (zero if negative) and q's rate rho is
the solution of sum(m * min(r, rho * w)) = C (RULES.md §2.2), w being the class's utility for q.

Fixed point (see ``mes_problem``): sums and products are exact; only the final division rounds down.
Each rate carries ``eps`` such that the exact rate lies in [rho - eps, rho + eps]; the bound follows from
the error of the class budgets and the slope of the (monotone) payment function. When fixed point cannot
decide (a tie, or money exactly at a threshold) :class:`Uncertain` asks the caller for exact arithmetic.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from math import lcm

from app.tally.mes_problem import MesProblem


class Uncertain(Exception):
    """Raised when the fixed-point error bound cannot separate the cases; use exact arithmetic."""


@dataclass
class Record:
    """The classes of project ``q``'s supporters once the projects in ``funded`` (a bitmask) are paid."""

    q: int
    funded: int
    keys: list[int]
    mult: list[int]
    weight: list[int]
    lcm_weight: int


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
    """Money of one MES run: scaled endowment ``E`` and, per project, its rate (0 while unfunded)."""

    prob: MesProblem
    E: int
    rates: list[int]
    eps: list[int]
    funded: int = 0
    fmask: int = 0
    memo: dict[int, tuple[int, int]] = field(default_factory=dict)

    def fund(self, project: int, rho: int, eps: int) -> None:
        self.rates[project], self.eps[project] = rho, eps
        self.funded |= 1 << project
        self.fmask |= self.prob.field(project)

    def payload(self, key: int) -> tuple[int, int]:
        """(money spent, its error bound) for a voter class whose funded utilities are ``key``."""
        found = self.memo.get(key)
        if found is None:
            spent = err = 0
            for project, u in self.prob.pairs(key):
                spent += u * self.rates[project]
                err += u * self.eps[project]
            found = self.memo[key] = (spent, err)
        return found


def build_record(prob: MesProblem, q: int, funded: int, fmask: int) -> Record:
    """Group ``q``'s supporters by their utilities for the funded projects (and for q)."""
    own = 0 if prob.uniform is not None else prob.field(q)
    counts = Counter(map((fmask | own).__and__, prob.supporters[q]))
    if prob.uniform is not None:
        keys = list(counts)
        weight = [prob.uniform[q]] * len(keys)
    else:
        shift, top = q * prob.bits, (1 << prob.bits) - 1
        keys = [key & ~own for key in counts]
        weight = [key >> shift & top for key in counts]
    return Record(q, funded, keys, list(counts.values()), weight, lcm(1, *set(weight)))


def evaluate(st: RunState, rec: Record) -> Eval | None:
    """q's rate at state ``st``, or None if its supporters cannot pay its cost (for sure)."""
    cost = st.prob.scaled_costs[rec.q]
    spent = [st.payload(key) for key in rec.keys]
    money = [st.E - s for s, _ in spent]
    errors = [e for _, e in spent]
    ratio = [r * (rec.lcm_weight // w) for r, w in zip(money, rec.weight)]
    order = sorted(range(len(money)), key=ratio.__getitem__)
    total, total_err = _totals(order, money, errors, rec.mult)
    if total < cost:
        if cost - total > total_err:
            return None
        raise Uncertain
    if total - cost <= total_err:
        raise Uncertain
    return _solve(rec, cost, order, money, errors)


def _totals(order: list[int], money: list[int], errors: list[int], mult: list[int]) -> tuple[int, int]:
    total = err = 0
    for k in order:
        if money[k] + errors[k] > 0:
            err += mult[k] * errors[k]
            if money[k] > 0:
                total += mult[k] * money[k]
    return total, err


def _solve(rec: Record, cost: int, order: list[int], money: list[int], errors: list[int]) -> Eval:
    """Poorest classes first: each pays all it has while that is less than an equal-rate share."""
    mult, weight = rec.mult, rec.weight
    pos = err = 0
    sharp = True
    while money[order[pos]] <= 0:
        k = order[pos]
        if money[k] + errors[k] > 0:
            err += mult[k] * errors[k]
            sharp = False
        pos += 1
    first, paid, partial = pos, 0, 0
    rich = sum(mult[k] * weight[k] for k in order[pos:])
    while pos < len(order) - 1 and money[order[pos]] * rich < (cost - paid) * weight[order[pos]]:
        k = order[pos]
        paid += mult[k] * money[k]
        rich -= mult[k] * weight[k]
        err += mult[k] * errors[k]
        partial += mult[k]
        pos += 1
    rho = (cost - paid) // rich
    eps, near = _error_bound(rec, order[pos:], money, errors, rho, rich, err)
    for k in reversed(order[first:pos]):
        if money[k] + errors[k] < (rho - eps - 1) * weight[k]:
            break
        near = True
    full = sum(mult[k] for k in order[pos:])
    return Eval(rec.q, rho, eps, full, partial, rec, tuple(order[first:pos]), rich, sharp and not near)


def _error_bound(rec: Record, payers: list[int], money: list[int], errors: list[int],
                 rho: int, rich: int, err: int) -> tuple[int, bool]:
    """(eps, near) with |exact rate - rho| <= eps: budget error over the slope of the payment function.

    ``err`` bounds the money error of the classes that pay all they have; full-share payers within
    ``reach`` of the threshold are added to it and removed from the slope. Raises :class:`Uncertain` if
    half the slope sits at the threshold (only happens at exact ties).
    """
    reach = 2 * (err // rich) + 4
    worst = max((errors[k] for k in payers), default=0)
    lightest = min(rec.weight)
    near_err = near_weight = 0
    for k in payers:
        w = rec.weight[k]
        limit = (rho + reach + 1) * w
        if money[k] - errors[k] >= limit:
            if money[k] * lightest > limit * lightest + worst * w:
                break  # payers are sorted by money per utility: all later ones are as safe
            continue
        near_err += rec.mult[k] * errors[k]
        near_weight += rec.mult[k] * w
    safe = rich - near_weight
    if 2 * safe < rich:
        raise Uncertain
    eps = -(-(err + near_err) // safe) + 2
    if eps > reach:
        raise Uncertain
    return eps, near_weight > 0
