"""Many MES runs at once (one per endowment), in vectorised fixed point, for the Add1 completion.

Only for uniform utilities (approval with cost or cardinality utilities) and endowments that are
integers once multiplied by one common ``scale``; ``None`` from :func:`batch_winners` means "not
applicable here", and the caller uses the one-run engine (``mes_run``) instead. A run the batch cannot
decide comes back with the rounds it did decide; the exact engine replays them and goes on.

Why it is fast. The runs of a completion share most of their rounds: after r rounds, the 186 runs of
Warsaw 2026 have only a few distinct *funded sets*. Runs with the same funded set are a *group*; their
supporters of a project q fall into the same voter classes (same funded projects approved, so the
same money), so one record of classes (``Classes``) serves every run of the group, and one numpy
evaluation computes q's rate in every run of the group (rows = runs, columns = classes).

Why it is exact. Money is an integer number of units of 1/scale, held in float64 below 2**52, so sums
and products are exact; only a rate is rounded (down to a whole unit). Every rate carries an error bound
``eps``; a class's money error is the sum of the bounds of the rates it paid (money = max(0, E - paid)
is 1-Lipschitz in what was paid). A decision (affordable or not, which candidate has the smallest
rate) is taken only when the bounds separate the cases; an exact tie between candidates that no voter
is too poor to pay for (rate = cost / supporters exactly) is settled exactly by the tie-break ranks.
Anything else marks the run *uncertain*, and the caller recomputes that run with the exact engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

# The matrix products here are small (runs x funded x classes); OpenBLAS's threads cost ten times the
# work on a busy two-core server. Set before numpy is first imported; an explicit setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from app.tally.mes_classes import Classes, Voters
from app.tally.mes_problem import MesProblem

TOP = 2.0**51  # every integer the engine holds stays below this (float64 is exact up to 2**53)
MIN_BITS = 8  # fewer fractional bits than this: fixed point is too coarse, use the exact engine
SLACK = 1 + 2.0**-40  # relative inflation of error bounds computed in floating point


@dataclass
class Outcome:
    """A run's winners in order; ``decided`` False: only the first rounds, the run became uncertain.
    ``bounds`` (undecided runs): each candidate's lower bound on its rate per unit of utility then, in
    currency units (None: surely unaffordable from then on)."""

    sequence: list[int]
    decided: bool
    bounds: dict[int, Fraction | None] | None = None


def _merge(old: _Eval, new: _Eval) -> _Eval:
    """Results of two evaluations of one candidate in disjoint runs of a group."""
    fresh = new.status != 3
    return _Eval(*(np.where(fresh, getattr(new, f), getattr(old, f)) for f in _Eval.__dataclass_fields__))


@dataclass
class _Eval:
    """One candidate evaluated in every run of a group (arrays over the group's runs)."""

    status: np.ndarray  # 0 unaffordable, 1 rate known, 2 uncertain, 3 not evaluated
    rate: np.ndarray  # rounded rate (units per voter), valid where status == 1
    eps: np.ndarray
    lo: np.ndarray  # bounds on the rate per utility unit
    hi: np.ndarray
    free: np.ndarray  # True: nobody is short of money, so the rate is exactly cost / supporters


class Batch:
    """Runs of MES at the endowments ``ends`` (integers in units of 1/scale), side by side."""

    def __init__(self, voters: Voters, ends: list[int], scale: int) -> None:
        prob = voters.prob
        self.v, self.prob, self.scale = voters, prob, scale
        m, r = len(prob.ids), len(ends)
        self.E = np.array(ends, dtype=np.float64)
        self.C = np.array([float(c * scale) for c in prob.costs])
        self.U = np.array(prob.uniform, dtype=np.float64)
        self.W = np.array(prob.votes, dtype=np.float64)
        self.paid = np.zeros((2, r, m))  # [0]: each run's rate of each funded project, [1]: its error bound
        self.bound = np.full((r, m), np.inf)
        cand = np.array(prob.candidates, dtype=np.int64)
        if len(cand):
            self.bound[:, cand] = self.C[cand] / (self.W[cand] * self.U[cand]) * (1 - 2.0**-40)
        self.funded = [0] * r
        self.sequence: list[list[int]] = [[] for _ in range(r)]
        self.state = ["open"] * r  # open, done, uncertain

    def run(self) -> list[Outcome]:
        """Each run's winners: the whole sequence, or the rounds decided before it became uncertain."""
        while True:
            groups: dict[int, list[int]] = {}
            for i, st in enumerate(self.state):
                if st == "open":
                    groups.setdefault(self.funded[i], []).append(i)
            if not groups:
                break
            for rows in groups.values():
                self._round(np.array(rows))
        return [
            Outcome(seq, True) if st == "done" else Outcome(seq, False, self._bounds(i))
            for i, (seq, st) in enumerate(zip(self.sequence, self.state, strict=True))
        ]

    def _bounds(self, i: int) -> dict[int, Fraction | None]:
        """Run i's lower bounds where it stopped, exact (a float is a dyadic fraction)."""
        unit = Fraction(1, self.scale)
        return {
            q: Fraction(float(b)) * unit if np.isfinite(b) else None
            for q, b in ((q, self.bound[i, q]) for q in self.prob.candidates)
            if not self.funded[i] >> q & 1
        }

    def _round(self, rows: np.ndarray) -> None:
        """One round in every run of a group: lazy evaluation, then each run funds its winner."""
        bound = self.bound[rows]
        cand = np.flatnonzero(np.isfinite(bound).any(axis=0))
        bound = bound[:, cand]
        done = np.zeros((len(rows), len(cand)), dtype=bool)
        best = np.full(len(rows), np.inf)
        evals: dict[int, _Eval] = {}
        funded = self.funded[rows[0]]
        while True:
            waiting = np.where(done, np.inf, bound)
            nxt = waiting.min(axis=1) if len(cand) else np.full(len(rows), np.inf)
            need = np.isfinite(nxt) & (nxt <= best)
            if not need.any():
                break
            j = int(np.argmin(waiting[need].min(axis=0)))
            live = need & np.isfinite(bound[:, j]) & ~done[:, j]
            done[live, j] = True
            ev = self._evaluate(int(cand[j]), rows, funded, live)
            evals[j] = ev if j not in evals else _merge(evals[j], ev)
            bound[:, j] = np.where(
                ev.status == 0, np.inf, np.where(ev.status == 1, np.maximum(bound[:, j], ev.lo), bound[:, j])
            )
            best = np.where(ev.status == 1, np.minimum(best, ev.hi), best)
        self.bound[np.ix_(rows, cand)] = bound
        self._decide(rows, cand, evals, bound, best)

    def _decide(
        self, rows: np.ndarray, cand: np.ndarray, evals: dict[int, _Eval], bound: np.ndarray, best: np.ndarray
    ) -> None:
        """Each run of the group funds the candidate with the smallest rate, or stops, or is marked
        uncertain; the plain case (one clear winner) is settled for all runs at once."""
        if not evals:
            for i in rows:
                self.state[i] = "done"
            return
        js = list(evals)
        status = np.stack([evals[j].status for j in js])  # evaluated candidates x runs
        hi = np.stack([evals[j].hi for j in js])
        lo = np.stack([evals[j].lo for j in js])
        waiting = bound[:, js].T
        unsure = ((status >= 2) & np.isfinite(waiting) & (waiting <= best)).any(axis=0)
        ok = status == 1
        high = np.where(ok, hi, np.inf)
        rank = np.array([self.prob.tie_rank[cand[j]] for j in js])
        lowest = ok & (high == high.min(axis=0))
        win = np.where(lowest, rank[:, None], np.iinfo(np.int64).max).argmin(axis=0)
        runs = np.arange(len(rows))
        rivals = ok & (lo <= high[win, runs])
        rivals[win, runs] = False
        plain = ~unsure & ok.any(axis=0) & ~rivals.any(axis=0)
        for k, i in enumerate(rows.tolist()):
            if unsure[k]:
                self.state[i] = "uncertain"
            elif plain[k]:
                j = js[win[k]]
                self._fund(i, int(cand[j]), evals[j], k)
            elif not ok[:, k].any():
                self.state[i] = "done"
            else:
                close = np.flatnonzero(ok[:, k] & (lo[:, k] <= high[win[k], k]))
                self._tie(i, k, cand, [js[e] for e in close], evals)

    def _tie(self, i: int, k: int, cand: np.ndarray, tied: list[int], evals: dict[int, _Eval]) -> None:
        """Run i's candidates whose rates the bounds cannot separate: settled exactly when nobody is
        short of money for any of them (the rate is then cost / supporters), else the run is uncertain."""
        if not all(evals[j].free[k] for j in tied):
            self.state[i] = "uncertain"
            return
        rank, q_of = self.prob.tie_rank, {j: int(cand[j]) for j in tied}
        win = min(
            tied,
            key=lambda j: (
                Fraction(int(self.C[q_of[j]]), int(self.W[q_of[j]] * self.U[q_of[j]])),
                rank[q_of[j]],
            ),
        )
        self._fund(i, q_of[win], evals[win], k)

    def _fund(self, i: int, q: int, ev: _Eval, k: int) -> None:
        self.paid[:, i, q] = ev.rate[k], ev.eps[k]
        self.bound[i, q] = np.inf
        self.funded[i] |= 1 << q
        self.sequence[i].append(q)

    def _evaluate(self, q: int, rows: np.ndarray, funded: int, live: np.ndarray) -> _Eval:
        """q's rate in each run of the group, with its error bound (see the module docstring)."""
        rec = self.v.record(q, funded, self.sequence[rows[0]])
        if live.all():
            return self._solve(q, rec, rows)
        out = _Eval(*(np.zeros(len(rows)) for _ in range(5)), np.zeros(len(rows), dtype=bool))
        out.status[:] = 3  # not evaluated: the bound stands
        sub = np.flatnonzero(live)
        part = self._solve(q, rec, rows[sub])
        for name in ("status", "rate", "eps", "lo", "hi", "free"):
            getattr(out, name)[sub] = getattr(part, name)
        return out

    def _solve(self, q: int, rec: Classes, rows: np.ndarray) -> _Eval:
        """Rates by the fixed-point iteration t <- (cost - money of the poorer) / weight of the others,
        which climbs to the root through the breakpoints (the set of poorer classes only grows, so it
        has stopped growing when its weight has). A class's money error ``err`` is the sum of the
        error bounds of the rates it paid."""
        rates = self.paid[:, rows][:, :, rec.fidx].reshape(2 * len(rows), -1)
        both = rates @ rec.member.astype(np.float64)
        paid, err = both[: len(rows)], both[len(rows) :]
        money = np.maximum(self.E[rows, None] - paid, 0.0)
        w, cost, total_w = rec.weight, self.C[q], self.W[q]
        weighted, werr = money * w, err * w  # below 2**51: exact
        total, total_err = weighted.sum(axis=1), werr.sum(axis=1)
        emax = err.max(axis=1) if err.shape[1] else np.zeros(len(rows))
        affordable = total >= cost
        below = np.empty_like(money)

        def weight_below(x: np.ndarray) -> np.ndarray:
            np.less(money, x[:, None], out=below)
            return below @ w

        def error_below(x: np.ndarray) -> np.ndarray:
            np.less(money, x[:, None], out=below)
            return np.vecdot(below, werr)

        short = ~affordable
        some_short = short.any()
        t = np.full(len(rows), cost / total_w)
        if some_short:
            t[short] = 0.0
        weak = weight_below(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            while True:
                t = (cost - np.vecdot(below, weighted)) / (total_w - weak)
                if some_short:
                    t[short] = 0.0
                grown = weight_below(t)
                if np.array_equal(grown, weak):
                    break
                weak = grown
            # r: a lower bound on the weight of the classes surely above x - emax (those at or above x
            # itself: one comparison serves both sums)
            g0, r0 = error_below(t + emax + 1), total_w - below @ w
            eps1 = np.ceil(2 * g0 / r0 * SLACK) + 2
            t_hi = t + eps1
            g1, r1 = error_below(t_hi + emax + 1), total_w - below @ w
            sure = (r0 > 0) & (eps1 * r1 > g1 * SLACK)
        rate = np.floor(t)
        eps = eps1 + 2
        u = self.U[q]
        lo = (rate - eps) / u * (1 - 2.0**-50)
        hi = (rate + eps) / u * (1 + 2.0**-50)
        free = weak == 0
        if free.any():
            free[free] = (money[free] - err[free]).min(axis=1) >= t[free] * (1 + 2.0**-50) + 1
        status = np.where(
            total + total_err * SLACK < cost, 0, np.where((total - total_err * SLACK >= cost) & sure, 1, 2)
        )
        return _Eval(status, rate, eps, lo, hi, free)


def scale_for(prob: MesProblem, endowments: list[Fraction]) -> int | None:
    """A common scale making costs and endowments integers with at least MIN_BITS spare bits, or None."""
    if prob.uniform is None or not endowments:
        return None
    den = lcm(*(Fraction(c).denominator for c in prob.costs), *(e.denominator for e in endowments))
    top = max(prob.n, len(prob.ids) + 1, 1) * max(endowments) * den
    if top <= 0:
        return None
    bits = 0
    while top * (1 << (bits + 1)) < TOP:
        bits += 1
    return den << bits if bits >= MIN_BITS else None


def batch_winners(voters: Voters, endowments: list[Fraction]) -> list[Outcome] | None:
    """The winners of MES at each endowment (an undecided run: the rounds decided before it became
    uncertain, for the exact engine to go on from), or ``None`` if the batch engine does not apply (see
    the module docstring)."""
    scale = scale_for(voters.prob, endowments)
    if scale is None:
        return None
    ends = [int(e * scale) for e in endowments]
    return Batch(voters, ends, scale).run()
