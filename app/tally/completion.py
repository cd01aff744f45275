"""Add1 completion of MES: rerun with one more currency unit per voter until a stop rule fires.

Definitions (RULES.md §2.3), with e_k = start + k:

* Pabulib ``equalshares/add1`` (``stop_when_exhaustive=False``): the outcome at e_k where k+1 is the
  first run whose outcome costs more than the budget. Degenerate case: when all supported projects fit
  together nothing ever overspends, so we stop at the first run that funds all of them.
* pabutools' Add1 (``stop_when_exhaustive=True``): the first run whose outcome is exhaustive w.r.t. the
  supported projects (no further one fits) is the result; a run that overspends returns the one before.

The runs are the same as in the plain loop, but not all are computed. With more money per voter every
voter keeps at least as much in every round, so rates only drop (for the same winners so far); hence if
the runs at e_a < e_b fund the same projects in the same order and in every round the winner's rate at
e_a is below every other candidate's lower bound at e_b, every run in between funds exactly those
projects (:func:`certify`). The driver probes e_1, e_3, e_7, ... (then every ``MAX_BLOCK``) and
resolves each gap left to right by bisection, computing a run only where the certificate fails; runs
use the nearest computed richer run as a source of lower bounds.

With uniform utilities (approval) and numpy available, the runs are instead computed side by side in
blocks of 64, then 128 endowments by ``mes_batch`` (runs that share a funded set share their voter
classes and their numpy work); a run it cannot decide with certainty is recomputed here exactly. The
chosen run is always recomputed by the exact engine, which produces the published figures.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from app.tally.mes_eval import RunState, Uncertain, evaluate
from app.tally.mes_problem import MesProblem
from app.tally.mes_run import RecordStore, RunTrace, run_mes
from app.tally.numbers import Number

MAX_BLOCK = 32
FIRST_BATCH, LAST_BATCH = 64, 128  # runs computed side by side: the first block, the largest
FALLBACK_SHARING = 16  # runs the batch engine cannot decide share the exact engine's classes by so many
Stop = Callable[[RunTrace], bool]
Refine = Callable[[int, int], "tuple[int, int] | None"]


@dataclass
class Add1Search:
    """Runs of MES at start + k, computed on demand."""

    prob: MesProblem
    start: Fraction
    store: RecordStore
    runs: dict[int, RunTrace] = field(default_factory=dict)
    keys: list[int] = field(default_factory=list)
    certified: int = 0

    def run(self, k: int) -> RunTrace:
        if k not in self.runs:
            above = bisect.bisect_right(self.keys, k)
            source = self.runs[self.keys[above]] if above < len(self.keys) else None
            self.runs[k] = run_mes(self.prob, self.start + k, self.store, source)
            bisect.insort(self.keys, k)
        return self.runs[k]

    def first_stop(self, stop: Stop) -> int:
        """The smallest k >= 1 whose run satisfies ``stop`` (which depends on the winners only)."""
        low, step = 0, 1
        self.run(0)
        while True:
            high = low + step
            self.run(high)
            hit = self._scan(low, high, stop)
            if hit is not None:
                return hit
            low, step = high, min(step * 2, MAX_BLOCK)

    def _scan(self, low: int, high: int, stop: Stop) -> int | None:
        """First k in (low, high] with ``stop``; runs low and high exist and nothing <= low stops."""
        if high - low > 1 and not self._same(low, high):
            mid = (low + high) // 2
            self.run(mid)
            hit = self._scan(low, mid, stop)
            return hit if hit is not None else self._scan(mid, high, stop)
        return high if stop(self.runs[high]) else None

    def _same(self, low: int, high: int) -> bool:
        poorer, richer = self.runs[low], self.runs[high]
        same = certify(poorer, richer, self._refiner(richer), self._exact_check(poorer, richer))
        self.certified += (high - low - 1) if same else 0
        return same

    def _refiner(self, richer: RunTrace) -> Refine:
        """Re-evaluate a candidate in a round of the richer run: its (low, high) rate interval, or None
        when it is not affordable there."""
        states: list[RunState] = []

        def refine(j: int, q: int) -> tuple[int, int] | None:
            while len(states) <= j:
                states.append(_state_at(self.prob, richer, len(states)))
            try:
                ev = evaluate(states[j], self.store.get(q, states[j]))
            except Uncertain:
                return -1, 1 << 4096
            return None if ev is None else (ev.rho - ev.eps, ev.rho + ev.eps)

        return refine

    def _exact_check(self, poorer: RunTrace, richer: RunTrace) -> Callable[[int, int], bool]:
        """Exact test that round j's winner at the poorer run beats q at the richer run (ties: rank)."""

        def check(j: int, q: int) -> bool:
            winner = poorer.rounds[j].winner
            assert winner is not None  # nosec B101  # invariant: every recorded round has a winner
            mine = poorer.ledger.rates_before(j + 1)[winner]
            theirs = richer.ledger.evaluate(self.store.get(q, _state_at(self.prob, richer, j)), j)
            if theirs is None:
                return True
            rank = self.prob.tie_rank
            return mine < theirs.rho or (mine == theirs.rho and rank[winner] < rank[q])

        return check


def _state_at(prob: MesProblem, trace: RunTrace, j: int) -> RunState:
    st = RunState(prob, int(trace.endowment * prob.scale), [0] * len(prob.ids), [0] * len(prob.ids))
    for rnd in trace.rounds[:j]:
        st.fund(rnd.winner, rnd.rho, rnd.eps)  # type: ignore[arg-type]
    return st


def certify(
    poorer: RunTrace,
    richer: RunTrace,
    refine: Refine | None = None,
    exact: Callable[[int, int], bool] | None = None,
) -> bool:
    """True if every endowment between the two runs yields the same winners in the same order.

    In each round the winner's rate at ``poorer`` must be below every other candidate's rate at
    ``richer``. ``refine(j, q)`` re-evaluates a stale lower bound of ``richer`` (the result is stored);
    ``exact(j, q)`` settles what fixed point cannot separate (e.g. exact ties decided by tie-break).
    """
    if poorer.sequence != richer.sequence:
        return False
    for j, (mine, theirs) in enumerate(zip(poorer.rounds, richer.rounds, strict=True)):
        if mine.winner is None:
            return not theirs.bounds
        low, high = mine.rho - mine.eps, mine.rho + mine.eps
        for q in [q for q, lb in theirs.bounds.items() if q != mine.winner and lb <= high]:
            found = refine(j, q) if refine is not None else (theirs.bounds[q], theirs.bounds[q])
            if found is None:
                del theirs.bounds[q]
                continue
            theirs.bounds[q] = max(theirs.bounds[q], found[0])
            if theirs.bounds[q] > high:
                continue
            if found[1] < low or exact is None or not exact(j, q):
                return False
    return True


@dataclass
class Add1Result:
    """The chosen run's endowment and winners (free projects first), its exact trace (None when not
    asked for and the batch engine decided the winners), and how many runs the +1 loop would have made."""

    endowment: Fraction
    winners: list[int]
    run: RunTrace | None
    steps: int
    computed: int
    stop_reason: str


def add1(
    prob: MesProblem, store: RecordStore, start: Fraction, *, exhaustive_stop: bool, trace: bool = True
) -> Add1Result:
    """MES with Add1 completion from endowment ``start`` (see the module docstring). ``trace=False``
    skips the exact rerun of the chosen run when the batch engine has already decided its winners."""
    search = Add1Search(prob, start, store)
    everything = set(prob.candidates)
    fits_all = sum((prob.costs[p] for p in everything), 0) <= prob.budget

    def overspends(trace: RunTrace) -> bool:
        return trace.cost > prob.budget

    def funds_all(trace: RunTrace) -> bool:
        return everything <= set(trace.winners)

    def exhaustive(trace: RunTrace) -> bool:
        left = prob.budget - trace.cost
        return all(prob.costs[p] > left for p in everything.difference(trace.winners))

    if exhaustive_stop:
        stop, reason = (lambda t: overspends(t) or exhaustive(t)), "exhaustive"
    elif fits_all:
        stop, reason = funds_all, "funds every supported project"
    else:
        stop, reason = overspends, "next run overspends"
    found = _batched_stop(prob, start, stop)
    known: dict[int, list[int]] = {}
    if found is not None:
        k, computed, over, known = found
    else:
        k = 0 if stop(search.run(0)) else search.first_stop(stop)
        computed, over = len(search.runs), overspends(search.runs[k])
    chosen = k - 1 if k > 0 and over else k
    if chosen < k:
        reason = "next run overspends"
    if trace or chosen not in known:
        run = search.run(chosen)
        return Add1Result(run.endowment, run.winners, run, k + 1, computed, reason)
    return Add1Result(start + chosen, known[chosen], None, k + 1, computed, reason)


def _batched_stop(
    prob: MesProblem, start: Fraction, stop: Stop
) -> tuple[int, int, bool, dict[int, list[int]]] | None:
    """The first k whose run satisfies ``stop``, from runs computed side by side in blocks
    (``mes_batch``): (k, runs computed, whether run k overspends, the winners of runs k - 1 and k);
    None when the batch engine does not apply."""
    if prob.uniform is None:
        return None
    try:  # imported here: numpy costs ~30 MB and 0.1 s, which other rules need not pay
        from app.tally.mes_batch import batch_winners
        from app.tally.mes_classes import Voters
    except ImportError:  # numpy is missing: the one-run engine does everything
        return None
    voters = Voters(prob)
    store, fallbacks = RecordStore(prob), 0
    low, size = 0, FIRST_BATCH
    known: dict[int, list[int]] = {}
    while True:
        endowments = [start + k for k in range(low, low + size)]
        sequences = batch_winners(voters, endowments)
        if sequences is None:
            return None
        for k, found in enumerate(sequences, low):
            seq = found.sequence
            if not found.decided:  # the exact engine goes on; its classes are shared by a few runs
                fallbacks += 1
                if fallbacks % FALLBACK_SHARING == 0:
                    store = RecordStore(prob)
                seq = list(run_mes(prob, start + k, store, prefix=(seq, found.bounds)).sequence)
            run = _Winners(prob, [*prob.free, *seq])
            known = {k - 1: known[k - 1], k: run.winners} if k - 1 in known else {k: run.winners}
            if stop(run):  # type: ignore[arg-type]
                return k, low + size, run.cost > prob.budget, known
        low, size = low + size, min(size * 2, LAST_BATCH)


@dataclass
class _Winners:
    """Just what the stop rules look at: the winners and their total cost."""

    winners: list[int]
    cost: Number

    def __init__(self, prob: MesProblem, winners: list[int]) -> None:
        self.winners = winners
        self.cost = sum((prob.costs[p] for p in winners), 0)
