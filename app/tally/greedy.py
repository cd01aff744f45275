"""Greedy rules: fund projects in descending score while money lasts.

Score = total points: approval and choose-1 count approvals, cumulative/scoring add points, ordinal
ballots give positional points (see ``Election.points_of``). Projects with equal scores are ordered by
the tie-break (default ``"file-order"``, like Pabulib's checker; ``"lexico"`` reproduces pabutools).

* ``greedy``: a project that does not fit in what is left is skipped; cheaper ones after it may still
  be funded (projects nobody voted for are funded last if money remains, as in pabutools).
* ``greedy-threshold``: the same, over projects whose score is at least ``threshold`` (default: META
  ``min_project_score_threshold``).
* ``greedy-no-skip``: stop at the first project that does not fit; a project priced at Pabulib's
  sentinel cost 999999999 (a withdrawn project) is passed over without stopping.
"""

from __future__ import annotations

from app.tally.model import Election
from app.tally.numbers import Number, parse_number
from app.tally.outcome import Outcome, ProjectResult
from app.tally.tiebreak import DEFAULT_GREEDY, tie_key

SENTINEL_COST = 999999999
GREEDY_RULES = ("greedy", "greedy-threshold", "greedy-no-skip")


def greedy(
    election: Election,
    *,
    rule: str = "greedy",
    threshold: Number | None = None,
    tie_break: str = DEFAULT_GREEDY,
    ordinal_scheme: str = "max_length",
) -> Outcome:
    """Run one of :data:`GREEDY_RULES` on ``election`` (money in the election's currency units)."""
    if rule not in GREEDY_RULES:
        raise ValueError(f"unknown greedy rule {rule!r}; expected one of {', '.join(GREEDY_RULES)}")
    if rule == "greedy-threshold":
        threshold = default_threshold(election) if threshold is None else threshold
    score, votes = election.tallies(ordinal_scheme)
    key = tie_key(tie_break, election.projects, votes)
    order = sorted(election.projects, key=lambda pid: (-score[pid], key(pid)))
    results = {pid: _result(election, pid, score, votes) for pid in election.projects}
    winners = _select(
        election, order, results, threshold if rule == "greedy-threshold" else None, rule == "greedy-no-skip"
    )
    options = {"tie_break": tie_break, "threshold": threshold, "ordinal_scheme": ordinal_scheme}
    return Outcome(
        rule,
        options,
        election.budget,
        winners,
        list(results.values()),
        {"ranking": order, "left_over": election.budget - sum(results[w].cost for w in winners)},
    )


def default_threshold(election: Election) -> Number:
    """META ``min_project_score_threshold``; ``ValueError`` if it is absent and no threshold is given."""
    raw = election.meta.get("min_project_score_threshold", "").strip()
    if not raw:
        raise ValueError("greedy-threshold needs threshold=... or META min_project_score_threshold")
    return parse_number(raw, comma_decimal=True)


def _result(election: Election, pid: str, score: dict, votes: dict) -> ProjectResult:
    project = election.projects[pid]
    return ProjectResult(pid, project.name, project.cost, score[pid], votes[pid])


def _select(
    election: Election,
    order: list[str],
    results: dict[str, ProjectResult],
    threshold: Number | None,
    no_skip: bool,
) -> list[str]:
    winners: list[str] = []
    left = election.budget
    stopped = False
    for rank, pid in enumerate(order, 1):
        result = results[pid]
        result.explanation = {"rank": rank, "left_before": left}
        if threshold is not None and result.score < threshold:
            _explain(
                result, f"Its score {result.score} is below the threshold {threshold}.", "below_threshold"
            )
        elif stopped:
            _explain(
                result, "Not considered: the count stopped at an earlier project that did not fit.", "stopped"
            )
        elif result.cost <= left:
            left -= result.cost
            winners.append(pid)
            result.selected, result.round = True, len(winners)
            _explain(result, f"Funded as number {rank} in the ranking; {left} was left afterwards.", "funded")
        else:
            stopped = no_skip and result.cost != SENTINEL_COST
            _explain(
                result, f"Ranked {rank} but its cost {result.cost} exceeded the {left} left.", "did_not_fit"
            )
    return winners


def _explain(result: ProjectResult, text: str, reason: str) -> None:
    result.explanation.update(reason=reason, text=text)
