"""Exact (``Fraction``) MES arithmetic, used when fixed point cannot decide and for published figures.

Money is in currency units, utilities are the problem's integers, rates are currency per utility.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from app.tally.mes_eval import Record
from app.tally.mes_problem import MesProblem


@dataclass(frozen=True)
class ExactRate:
    """q's exact rate, and how many voters pay the full share / everything they have left."""

    rho: Fraction
    full_payers: int
    partial_payers: int


def class_money(prob: MesProblem, key: int, endowment: Fraction, rates: Mapping[int, Fraction]) -> Fraction:
    """Money left to a voter whose utilities for the funded projects are ``key`` (may be <= 0)."""
    return endowment - sum((u * rates[p] for p, u in prob.pairs(key)), Fraction(0))


def exact_rate(
    prob: MesProblem, rec: Record, endowment: Fraction, rates: Mapping[int, Fraction]
) -> ExactRate | None:
    """Solve sum(m * min(money, rho * w)) = cost exactly; None if the supporters cannot afford q."""
    cost = Fraction(prob.costs[rec.q])
    classes = []
    for key, mult, weight in zip(rec.keys, rec.mult, rec.weight, strict=True):
        money = class_money(prob, key, endowment, rates)
        if money > 0:
            classes.append((money / weight, money, mult, weight))
    classes.sort(key=lambda item: item[0])
    if sum(money * mult for _, money, mult, _ in classes) < cost:
        return None
    paid, rich, partial = Fraction(0), sum(mult * weight for _, _, mult, weight in classes), 0
    for _, money, mult, weight in classes:
        rho = (cost - paid) / rich
        if rho * weight <= money:
            full = sum(m for _, _, m, _ in classes) - partial
            return ExactRate(rho, full, partial)
        paid, rich, partial = paid + money * mult, rich - mult * weight, partial + mult
    raise AssertionError("affordable project without a rate")


@dataclass
class ExactLedger:
    """Exact rates of the winners of one run, computed on demand in selection order."""

    prob: MesProblem
    endowment: Fraction
    winners: list[tuple[int, Record]] = field(default_factory=list)
    rates: dict[int, Fraction] = field(default_factory=dict)
    calls: int = 0

    def add_winner(self, project: int, rec: Record) -> None:
        self.winners.append((project, rec))

    def rates_before(self, rounds: int) -> dict[int, Fraction]:
        """Exact rates of the first ``rounds`` winners."""
        for project, rec in self.winners[:rounds]:
            if project not in self.rates:
                found = exact_rate(self.prob, rec, self.endowment, self.rates)
                if found is None:
                    raise AssertionError("a winner must be affordable")
                self.rates[project] = found.rho
        return {p: self.rates[p] for p, _ in self.winners[:rounds]}

    def evaluate(self, rec: Record, rounds: int) -> ExactRate | None:
        """Exact rate of a candidate after the first ``rounds`` winners are paid."""
        self.calls += 1
        return exact_rate(self.prob, rec, self.endowment, self.rates_before(rounds))
