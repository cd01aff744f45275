"""A deliberately naive, exact Method of Equal Shares: the test oracle for the fast engine.

It follows RULES.md §2.2 literally: every distinct ballot keeps its own Fraction budget and every round
evaluates every remaining project from scratch (no laziness, no fixed point).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

Profile = Sequence[tuple[dict[str, Fraction], int]]  # (utility per project, number of voters)


def mes_run(
    costs: dict[str, Fraction], profile: Profile, endowment: Fraction, key: Callable[[str], object]
) -> list[str]:
    """Winners in selection order; ties between equal rates go to the smallest ``key``."""
    money = [Fraction(endowment)] * len(profile)
    free = [p for p in costs if costs[p] == 0 and any(u.get(p, 0) > 0 for u, _ in profile)]
    left = [p for p in costs if costs[p] > 0 and any(u.get(p, 0) > 0 for u, _ in profile)]
    winners = list(free)
    while True:
        rates = {p: r for p in left if (r := _rate(p, costs[p], profile, money)) is not None}
        if not rates:
            return winners
        best = min(rates, key=lambda p: (rates[p], key(p)))
        for i, (utils, _) in enumerate(profile):
            u = utils.get(best, 0)
            if u > 0:
                money[i] -= min(money[i], rates[best] * u)
        winners.append(best)
        left.remove(best)


def _rate(p: str, cost: Fraction, profile: Profile, money: list[Fraction]) -> Fraction | None:
    supporters = sorted(
        ((money[i] / u[p], money[i], m, u[p]) for i, (u, m) in enumerate(profile) if u.get(p, 0) > 0),
        key=lambda t: t[0],
    )
    if sum(b * m for _, b, m, _ in supporters) < cost:
        return None
    paid, weight = Fraction(0), sum(m * u for _, _, m, u in supporters)
    for _, b, m, u in supporters:
        rho = (cost - paid) / weight
        if rho * u <= b:
            return rho
        paid, weight = paid + b * m, weight - m * u
    raise AssertionError


def add1(
    costs: dict[str, Fraction],
    profile: Profile,
    budget: Fraction,
    n: int,
    start: Fraction,
    key: Callable[[str], object],
    exhaustive_stop: bool,
) -> tuple[list[str], Fraction]:
    """The plain +1 loop of RULES.md §2.3; returns (winners, endowment used)."""
    candidates = {p for p in costs if costs[p] > 0 and any(u.get(p, 0) > 0 for u, _ in profile)}
    fits_all = sum(costs[p] for p in candidates) <= budget
    e = start
    current = mes_run(costs, profile, e, key)
    while True:
        spent = sum(costs[p] for p in current)
        if exhaustive_stop and all(costs[p] > budget - spent for p in candidates - set(current)):
            return current, e
        if not exhaustive_stop and fits_all and candidates <= set(current):
            return current, e
        following = mes_run(costs, profile, e + 1, key)
        if sum(costs[p] for p in following) > budget:
            return current, e
        e, current = e + 1, following
