"""The Method of Equal Shares (MES) and its Add1 completion, as public rules (RULES.md §2).

Every voter (including those who cast an empty ballot) gets an equal share of money; a project is
funded when its supporters can pay for it, splitting its cost in proportion to their utility (approval
with cost utilities: equally) and never paying more than they have. Each round funds the project whose
supporters are asked the least per unit of utility. Winners are decided exactly.

Utilities (``utilities=``): ``"cost"`` (approval default: a supporter's utility is the project's cost),
``"cardinality"`` (1 per supported project), ``"points"`` (cumulative/scoring/ordinal default; ordinal
ballots give positional points, see ``Election.points_of``).

Tie-breaking (``tie_break=``, default ``"cost-votes"``): among projects with exactly the same rate, the
lowest cost, then the most votes, then the smallest project id; ``"lexico"`` reproduces pabutools.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from app.tally.completion import add1
from app.tally.explain import exact_rates, loser_explanations, winner_explanation
from app.tally.greedy import greedy
from app.tally.mes_problem import MesProblem, build_problem
from app.tally.mes_run import RecordStore, RunTrace, run_mes
from app.tally.model import Election
from app.tally.outcome import Outcome, ProjectResult
from app.tally.runtime import paused_gc
from app.tally.tiebreak import DEFAULT_MES, tie_key, tie_rank

STARTS = ("floor", "exact")


def mes(
    election: Election,
    *,
    utilities: str | None = None,
    tie_break: str = DEFAULT_MES,
    ordinal_scheme: str = "max_length",
    explain: bool = True,
) -> Outcome:
    """Plain MES: one run with endowment B/n per voter (it usually leaves part of the budget unspent)."""
    with paused_gc():
        prob = _problem(election, utilities, tie_break, ordinal_scheme)
        trace = run_mes(prob, Fraction(election.budget, max(election.num_voters, 1)), RecordStore(prob))
    options = {"utilities": prob.utilities, "tie_break": tie_break, "ordinal_scheme": ordinal_scheme}
    details = {"endowment": trace.endowment, "endowment_float": float(trace.endowment)}
    return _outcome("mes", options, election, prob, trace, trace.winners, details, explain)


def mes_add1(
    election: Election,
    *,
    utilities: str | None = None,
    tie_break: str = DEFAULT_MES,
    stop_when_exhaustive: bool = False,
    start: str = "floor",
    greedy_fill: bool = False,
    comparison: bool = False,
    ordinal_scheme: str = "max_length",
    explain: bool = True,
) -> Outcome:
    """MES with Add1 completion (see ``completion``), optionally followed by a greedy fill and a
    comparison step.

    Defaults reproduce Pabulib's ``equalshares/add1``: start at floor(B/n) per voter, add 1 per voter
    per run, keep the last outcome before one that overspends. ``stop_when_exhaustive=True`` with
    ``start="exact"`` (B/n) is pabutools' Add1. ``greedy_fill`` adds leftover projects by descending
    votes while they fit (equalshares.net's utilitarian completion). ``comparison`` publishes plain
    greedy instead if more voters have more supported winners under it (Pabulib's
    ``equalshares/add1-comparison``, e.g. Wieliczka 2023).

    ``explain=False`` (also for :func:`mes`) leaves the projects' ``explanation`` empty: the winners
    and figures are the same, and the exact rerun of the chosen run that only explanations need is
    skipped when the batch engine has decided its winners.
    """
    if start not in STARTS:
        raise ValueError(f"unknown start {start!r}; expected one of {', '.join(STARTS)}")
    n = max(election.num_voters, 1)
    first = Fraction(election.budget // n) if start == "floor" else Fraction(election.budget, n)
    with paused_gc():
        prob = _problem(election, utilities, tie_break, ordinal_scheme)
        result = add1(prob, RecordStore(prob), first, exhaustive_stop=stop_when_exhaustive, trace=explain)
    options = {
        "utilities": prob.utilities,
        "tie_break": tie_break,
        "stop_when_exhaustive": stop_when_exhaustive,
        "start": start,
        "greedy_fill": greedy_fill,
        "comparison": comparison,
        "ordinal_scheme": ordinal_scheme,
    }
    details = {
        "initial_endowment": first,
        "endowment": result.endowment,
        "endowment_float": float(result.endowment),
        "completion_runs": result.steps,
        "runs_computed": result.computed,
        "stop_reason": result.stop_reason,
    }
    outcome = _outcome("mes-add1", options, election, prob, result.run, result.winners, details, explain)
    if greedy_fill:
        _fill(outcome, election, tie_break)
    if comparison:
        outcome = _compare(outcome, election, tie_break)
    return outcome


def _problem(election: Election, utilities: str | None, tie_break: str, scheme: str) -> MesProblem:
    _, votes = election.tallies(scheme)
    ranks = tie_rank(tie_break, election.projects, votes)
    return build_problem(election, utilities, [ranks[pid] for pid in election.projects], scheme)


def _outcome(
    rule: str,
    options: dict[str, Any],
    election: Election,
    prob: MesProblem,
    trace: RunTrace | None,
    chosen: list[int],
    details: dict[str, Any],
    explain: bool,
) -> Outcome:
    score, votes = election.tallies(options["ordinal_scheme"])
    results = [
        ProjectResult(p.id, p.name, p.cost, score[p.id], votes[p.id]) for p in election.projects.values()
    ]
    if explain:
        if trace is None:
            raise ValueError("explanations need the trace of the chosen run")
        _explain(prob, trace, results)
    winners = [prob.ids[p] for p in chosen]
    for rnd, p in enumerate(chosen, 1):
        results[p].selected, results[p].round = True, rnd
    details["greedy_winners"] = greedy(election, ordinal_scheme=options["ordinal_scheme"]).winners
    return Outcome(rule, options, election.budget, winners, results, details)


def _explain(prob: MesProblem, trace: RunTrace, results: list[ProjectResult]) -> None:
    """Why each project was or was not funded by the chosen run (see ``explain``)."""
    rates = exact_rates(prob, trace)
    for q in prob.free:
        results[q].explanation = {"reason": "free", "text": "It costs nothing and has supporters."}
    for rnd, step in enumerate(trace.rounds[:-1], len(prob.free) + 1):
        ev = step.evaluation
        results[ev.q].explanation = winner_explanation(prob, ev, rnd, rates[ev.q])  # type: ignore[union-attr]
    for q, info in loser_explanations(prob, trace).items():
        results[q].explanation = info


def _fill(outcome: Outcome, election: Election, tie_break: str) -> None:
    """Add projects by descending votes (then tie-break) while they fit in what is left."""
    key = tie_key(tie_break, election.projects, {p.id: p.votes for p in outcome.projects})
    left = election.budget - outcome.spent
    added = []
    for result in sorted(outcome.projects, key=lambda p: (-p.votes, key(p.id))):
        if not result.selected and result.votes > 0 and result.cost <= left:
            left -= result.cost
            outcome.winners.append(result.id)
            result.selected, result.round = True, len(outcome.winners)
            result.explanation = {
                "reason": "greedy_fill",
                "text": "Added after the equal-shares rounds: "
                "it had the most votes among the projects that still fitted.",
            }
            added.append(result.id)
    outcome.details["greedy_fill_added"] = added


def _compare(outcome: Outcome, election: Election, tie_break: str) -> Outcome:
    """Comparison step: count voters with more supported winners under MES vs under plain greedy."""
    plain = greedy(election, tie_break=tie_break)
    mine, theirs = set(outcome.winners), set(plain.winners)
    prefer_mes = prefer_greedy = 0
    for ballot, mult in zip(election.ballots, election.multiplicity, strict=True):
        a, b = len(mine.intersection(ballot.ids)), len(theirs.intersection(ballot.ids))
        prefer_mes += mult if a > b else 0
        prefer_greedy += mult if b > a else 0
    published = "greedy" if prefer_greedy > prefer_mes else "mes"
    info = {"prefer_mes": prefer_mes, "prefer_greedy": prefer_greedy, "published": published}
    if published == "mes":
        outcome.details["comparison"] = info
        return outcome
    plain.rule, plain.options = outcome.rule, outcome.options
    plain.details = {**outcome.details, "comparison": info, "mes_winners": outcome.winners}
    return plain
