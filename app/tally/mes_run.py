"""One run of the Method of Equal Shares at a fixed per-voter endowment (RULES.md §2.2).

Each round funds the candidate with the smallest rate (money per unit of utility asked of its
supporters); ties go to the smallest tie-break rank. Lazy evaluation: a candidate whose lower bound
already exceeds the best upper bound of the round cannot win and is not re-evaluated. Lower bounds come
from earlier rounds and, optionally, from a *source* run at a larger endowment with the same winners so
far: with more money every voter keeps at least as much, so every rate is at most as large (and a
project unaffordable there is unaffordable here). Fixed-point intervals decide the round unless two
candidates overlap; then exact fractions decide.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from app.tally.mes_eval import Eval, Record, RunState, Uncertain, build_record, evaluate
from app.tally.mes_exact import ExactLedger, ExactRate
from app.tally.mes_problem import MesProblem
from app.tally.numbers import Number


@dataclass
class RoundTrace:
    """A round: its winner (None in the last round), the winner's rate +/- eps, and the lower bound of
    every candidate still affordable after the round's evaluations (winner included)."""

    winner: int | None
    rho: int
    eps: int
    bounds: dict[int, int]
    evaluation: Eval | None


@dataclass
class RunTrace:
    """A finished run: winners in order (free projects first), rounds, total cost."""

    endowment: Fraction
    winners: list[int]
    rounds: list[RoundTrace]
    cost: Number
    ledger: ExactLedger

    @property
    def sequence(self) -> tuple[int, ...]:
        return tuple(r.winner for r in self.rounds if r.winner is not None)


@dataclass
class RecordStore:
    """Voter classes per (project, funded set), shared by every run of a completion."""

    prob: MesProblem
    records: dict[tuple[int, int], Record] = field(default_factory=dict)

    def get(self, q: int, st: RunState) -> Record:
        rec = self.records.get((q, st.funded))
        if rec is None:
            rec = self.records[q, st.funded] = build_record(self.prob, q, st.funded, st.fmask)
        return rec


def run_mes(
    prob: MesProblem,
    endowment: Fraction,
    store: RecordStore,
    source: RunTrace | None = None,
    prefix: tuple[Sequence[int], Mapping[int, Fraction | None] | None] = ((), None),
) -> RunTrace:
    """MES with every voter starting with ``endowment`` (currency units, exact).

    ``prefix``: the winners of the first rounds, already proven (by the batch engine), and the lower
    bounds on every candidate's rate per unit of utility after them (currency units; None: not
    affordable any more). Those rounds only compute their winner's rate, for the money it takes; the
    run goes on from there as usual, with those bounds."""
    known, known_bounds = prefix
    scaled = endowment * prob.scale
    if scaled.denominator != 1:
        raise ValueError("the endowment must be a multiple of 1/scale")
    st = RunState(prob, int(scaled), [0] * len(prob.ids), [0] * len(prob.ids))
    ledger = ExactLedger(prob, endowment)
    bounds = {q: prob.scaled_costs[q] // _total_utility(prob, q) for q in prob.candidates}
    rounds: list[RoundTrace] = []
    while True:
        if source is not None:
            _borrow_bounds(bounds, source, rounds)
        j = len(rounds)
        if j < len(known):
            ev = _evaluate(st, store.get(known[j], st), ledger, j)
            if ev is None:  # not what the prefix says: compute the run from the start
                return run_mes(prob, endowment, store, source)
            trace = RoundTrace(ev.q, ev.rho, ev.eps, dict(bounds), ev)
        else:
            if j == len(known) and known_bounds:
                _take_bounds(prob, bounds, known_bounds)
            trace = _round(st, store, ledger, bounds, j)
        rounds.append(trace)
        if trace.winner is None:
            break
        st.fund(trace.winner, trace.rho, trace.eps)
        del bounds[trace.winner]
        ledger.add_winner(trace.winner, trace.evaluation.record)
    winners = [*prob.free, *(r.winner for r in rounds[:-1])]
    cost = sum((prob.costs[p] for p in winners), 0)
    return RunTrace(endowment, winners, rounds, cost, ledger)


def _take_bounds(prob: MesProblem, bounds: dict[int, int], given: Mapping[int, Fraction | None]) -> None:
    """Tighten lower bounds with ``given`` ones (currency per unit of utility; None: unaffordable)."""
    for q in list(bounds):
        if q not in given:
            continue
        found = given[q]
        if found is None:
            del bounds[q]
        else:
            bounds[q] = max(bounds[q], math.floor(found * prob.scale))


def _total_utility(prob: MesProblem, q: int) -> int:
    if prob.uniform is not None:
        return prob.uniform[q] * prob.votes[q]
    return sum(prob.utility(mask, q) for mask in prob.supporters[q])


def _borrow_bounds(bounds: dict[int, int], source: RunTrace, rounds: list[RoundTrace]) -> None:
    """Tighten lower bounds with those of the same round of a richer run with the same winners so far."""
    j = len(rounds)
    if j >= len(source.rounds):
        return
    if any(a.winner != b.winner for a, b in zip(rounds, source.rounds[:j], strict=True)):
        return
    theirs = source.rounds[j].bounds
    for q in list(bounds):
        if q not in theirs:
            del bounds[q]
        elif theirs[q] > bounds[q]:
            bounds[q] = theirs[q]


def _round(
    st: RunState, store: RecordStore, ledger: ExactLedger, bounds: dict[int, int], j: int
) -> RoundTrace:
    prob = st.prob
    best_hi: int | None = None
    found: dict[int, Eval] = {}
    for q in sorted(bounds, key=lambda p: (bounds[p], prob.tie_rank[p])):
        if best_hi is not None and bounds[q] > best_hi:
            break
        ev = _evaluate(st, store.get(q, st), ledger, j)
        if ev is None:
            del bounds[q]
            continue
        found[q] = ev
        bounds[q] = max(bounds[q], ev.rho - ev.eps)
        best_hi = ev.rho + ev.eps if best_hi is None else min(best_hi, ev.rho + ev.eps)
    if best_hi is None:
        return RoundTrace(None, 0, 0, dict(bounds), None)
    contenders = [ev for ev in found.values() if ev.rho - ev.eps <= best_hi]
    win = contenders[0] if len(contenders) == 1 else _exact_winner(prob, ledger, contenders, j)
    return RoundTrace(win.q, win.rho, win.eps, dict(bounds), win)


def _evaluate(st: RunState, rec: Record, ledger: ExactLedger, j: int) -> Eval | None:
    try:
        return evaluate(st, rec)
    except Uncertain:
        found = ledger.evaluate(rec, j)
        return None if found is None else _from_exact(st.prob, rec, found)


def _from_exact(prob: MesProblem, rec: Record, found: ExactRate) -> Eval:
    scaled = found.rho * prob.scale
    rho = scaled.numerator // scaled.denominator
    return Eval(rec.q, rho, 1, found.full_payers, found.partial_payers, rec)


def _exact_winner(prob: MesProblem, ledger: ExactLedger, contenders: list[Eval], j: int) -> Eval:
    """Overlapping intervals: compare exact rates, then tie-break ranks."""
    exact = {ev.q: ledger.evaluate(ev.record, j) for ev in contenders}
    best = min(exact, key=lambda q: (exact[q].rho, prob.tie_rank[q]))  # type: ignore[union-attr]
    return _from_exact(prob, next(ev.record for ev in contenders if ev.q == best), exact[best])
