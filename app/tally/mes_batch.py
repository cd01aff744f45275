"""Many MES runs at once (one per endowment), in vectorised fixed point, for the Add1 completion.

Only for uniform utilities (approval with cost or cardinality utilities) and endowments that are
integers once multiplied by one common ``scale``; ``None`` from :func:`batch_winners` means "not
applicable here", and the caller uses the one-run engine (``mes_run``) instead.

Why it is fast. The runs of a completion share most of their rounds: after r rounds, the 186 runs of
Warsaw 2026 have only a few distinct *funded sets*. Runs with the same funded set are a *group*; their
supporters of a project q fall into the same voter classes (same funded projects approved, so the
same money), so one record of classes (``_Record``) serves every run of the group, and one numpy
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

from app.tally.mes_problem import MesProblem

TOP = 2.0**51  # every integer the engine holds stays below this (float64 is exact up to 2**53)
MIN_BITS = 8  # fewer fractional bits than this: fixed point is too coarse, use the exact engine
SLACK = 1 + 2.0**-40  # relative inflation of error bounds computed in floating point


@dataclass
class _Record:
    """Classes of q's supporters given the funded projects ``fidx``: ``member`` (classes x funded, 0/1)
    says which funded projects a class approves, ``weight`` how many voters it holds."""

    fidx: np.ndarray
    member: np.ndarray
    weight: np.ndarray


class Voters:
    """Distinct approval sets with multiplicities, and each project's supporters among them."""

    def __init__(self, prob: MesProblem) -> None:
        masks: dict[int, int] = {}
        for sup in prob.supporters:
            for mask in sup:
                masks[mask] = masks.get(mask, 0) + 1
        m = len(prob.ids)
        index = {mask: k for k, mask in enumerate(masks)}
        words = -(-m // 60) or 1
        self.words = np.array(
            [[(mask >> (60 * j)) & ((1 << 60) - 1) for j in range(words)] for mask in masks], dtype=np.int64
        ).reshape(len(masks), words)
        # a mask appears in the supporter list of each of its projects, once per voter
        size = np.array([mask.bit_count() for mask in masks], dtype=np.float64)
        self.mult = np.array(list(masks.values()), dtype=np.float64) / np.maximum(size, 1)
        self.sup = [
            np.fromiter(sorted({index[mask] for mask in sup}), dtype=np.int64) for sup in prob.supporters
        ]
        self.prob = prob

    def approves(self, rows: np.ndarray, projects: np.ndarray) -> np.ndarray:
        """0/1 matrix: does distinct ballot ``rows[i]`` approve ``projects[j]``."""
        word, bit = np.divmod(projects, 60)
        return ((self.words[rows][:, word] >> bit) & 1).astype(np.float64)

    def record(self, q: int, fidx: np.ndarray) -> _Record:
        """Group q's supporters by which of the funded projects ``fidx`` they approve."""
        sup = self.sup[q]
        ids = np.zeros(len(sup), dtype=np.int64)
        for j in range(self.words.shape[1]):
            fwords = sum(1 << (int(p) - 60 * j) for p in fidx if 60 * j <= p < 60 * (j + 1))
            if not fwords:
                continue
            _, part = np.unique(self.words[sup, j] & fwords, return_inverse=True)
            ids = ids * (int(part.max()) + 1) + part
        _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
        weight = np.bincount(inverse, weights=self.mult[sup])
        member = self.approves(sup[first], fidx) if len(fidx) else np.zeros((len(first), 0))
        return _Record(fidx, np.ascontiguousarray(member.T), weight)


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
        self.T = np.zeros((r, m))
        self.eps = np.zeros((r, m))
        self.bound = np.full((r, m), np.inf)
        cand = np.array(prob.candidates, dtype=np.int64)
        if len(cand):
            self.bound[:, cand] = self.C[cand] / (self.W[cand] * self.U[cand]) * (1 - 2.0**-40)
        self.funded = [0] * r
        self.sequence: list[list[int]] = [[] for _ in range(r)]
        self.state = ["open"] * r  # open, done, uncertain
        self.records: dict[tuple[int, int], _Record] = {}

    def run(self) -> list[list[int] | None]:
        """Winner sequences (None for runs the caller must recompute exactly)."""
        while True:
            groups: dict[int, list[int]] = {}
            for i, st in enumerate(self.state):
                if st == "open":
                    groups.setdefault(self.funded[i], []).append(i)
            if not groups:
                break
            for rows in groups.values():
                self._round(np.array(rows))
        return [seq if st == "done" else None for seq, st in zip(self.sequence, self.state, strict=True)]

    def _record(self, q: int, funded: int) -> _Record:
        rec = self.records.get((q, funded))
        if rec is None:
            fidx = np.array([p for p in range(len(self.prob.ids)) if funded >> p & 1], dtype=np.int64)
            rec = self.records[q, funded] = self.v.record(q, fidx)
        return rec

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
        rank = self.prob.tie_rank
        for k, i in enumerate(rows):
            ok = [j for j, ev in evals.items() if ev.status[k] == 1]
            unsure = [
                j
                for j, ev in evals.items()
                if ev.status[k] >= 2 and np.isfinite(bound[k, j]) and bound[k, j] <= best[k]
            ]
            if unsure:
                self.state[i] = "uncertain"
                continue
            if not ok:
                self.state[i] = "done"
                continue
            win = min(ok, key=lambda j: (evals[j].hi[k], rank[cand[j]]))
            rivals = [j for j in ok if j != win and evals[j].lo[k] <= evals[win].hi[k]]
            if rivals:
                tied = [win, *rivals]
                if not all(evals[j].free[k] for j in tied):
                    self.state[i] = "uncertain"
                    continue
                q_of = {j: int(cand[j]) for j in tied}
                win = min(
                    tied,
                    key=lambda j: (
                        Fraction(int(self.C[q_of[j]]), int(self.W[q_of[j]] * self.U[q_of[j]])),
                        rank[q_of[j]],
                    ),
                )
            q = int(cand[win])
            self.T[i, q], self.eps[i, q] = evals[win].rate[k], evals[win].eps[k]
            self.bound[i, q] = np.inf
            self.funded[i] |= 1 << q
            self.sequence[i].append(q)

    def _evaluate(self, q: int, rows: np.ndarray, funded: int, live: np.ndarray) -> _Eval:
        """q's rate in each run of the group, with its error bound (see the module docstring)."""
        rec = self._record(q, funded)
        out = _Eval(*(np.zeros(len(rows)) for _ in range(5)), np.zeros(len(rows), dtype=bool))
        out.status[:] = 3  # not evaluated: the bound stands
        sub = np.flatnonzero(live)
        part = self._solve(q, rec, rows[sub])
        for name in ("status", "rate", "eps", "lo", "hi", "free"):
            getattr(out, name)[sub] = getattr(part, name)
        return out

    def _solve(self, q: int, rec: _Record, rows: np.ndarray) -> _Eval:
        """Rates by the fixed-point iteration t <- (cost - money of the poorer) / weight of the others,
        which climbs to the root through the breakpoints (the set of poorer classes only grows)."""
        paid = self.T[np.ix_(rows, rec.fidx)] @ rec.member
        err = self.eps[np.ix_(rows, rec.fidx)] @ rec.member
        money = np.maximum(self.E[rows, None] - paid, 0.0)
        w, cost, total_w = rec.weight, self.C[q], self.W[q]
        werr = err * w
        total, total_err = money @ w, werr.sum(axis=1)
        affordable = total >= cost
        t0 = np.where(affordable, cost / total_w, 0.0)
        poor = money < t0[:, None]
        count = poor.sum(axis=1)
        while True:
            weak = poor @ w
            with np.errstate(divide="ignore", invalid="ignore"):
                t0 = np.where(affordable, (cost - (money * poor) @ w) / (total_w - weak), 0.0)
            poor = money < t0[:, None]
            grown = poor.sum(axis=1)
            if (grown == count).all():
                break
            count = grown
        emax = err.max(axis=1) if err.shape[1] else np.zeros(len(rows))

        def weight_below(x: np.ndarray) -> np.ndarray:
            return (money < x[:, None]) @ w

        def error_below(x: np.ndarray) -> np.ndarray:
            return (werr * (money < x[:, None])).sum(axis=1)

        g0 = error_below(t0 + emax + 1)
        r0 = total_w - weight_below(t0 + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            eps1 = np.ceil(2 * g0 / r0 * SLACK) + 2
            t_hi = t0 + eps1
            g1 = error_below(t_hi + emax + 1)
            r1 = total_w - weight_below(t_hi + 1)
            sure = (r0 > 0) & (eps1 * r1 > g1 * SLACK)
        rate = np.floor(t0)
        eps = eps1 + 2
        u = self.U[q]
        lo = (rate - eps) / u * (1 - 2.0**-50)
        hi = (rate + eps) / u * (1 + 2.0**-50)
        free = (weak == 0) & ((money - err).min(axis=1) >= t0 * (1 + 2.0**-50) + 1)
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


def batch_winners(voters: Voters, endowments: list[Fraction]) -> list[list[int] | None] | None:
    """Winner sequences of MES at each endowment (``None`` entries: recompute exactly), or ``None`` if the
    batch engine does not apply (see the module docstring)."""
    scale = scale_for(voters.prob, endowments)
    if scale is None:
        return None
    ends = [int(e * scale) for e in endowments]
    return Batch(voters, ends, scale).run()
