"""Greedy rules on small hand-made elections."""

from __future__ import annotations

import pytest

from app.tally.greedy import greedy
from app.tally.model import Election, Project

COSTS = {"a": 60, "b": 50, "c": 30, "d": 40}
VOTES = [["a", "b"], ["a", "b", "c"], ["a"], ["b", "c"], ["a"]]  # a 4, b 3, c 2, d 0


def _election(**meta: str) -> Election:
    return Election.build(100, COSTS, VOTES, meta=meta)


def test_skips_what_does_not_fit_and_carries_on() -> None:
    outcome = greedy(_election())
    assert outcome.winners == ["a", "c"]
    assert outcome.spent == 90
    assert outcome.project("b").explanation["reason"] == "did_not_fit"
    assert outcome.project("c").round == 2


def test_unvoted_project_is_funded_last_if_it_fits() -> None:
    outcome = greedy(Election.build(140, COSTS, VOTES))
    assert outcome.winners == ["a", "b", "c"]
    assert greedy(Election.build(200, COSTS, VOTES)).winners == ["a", "b", "c", "d"]


def test_no_skip_stops_at_the_first_misfit() -> None:
    assert greedy(_election(), rule="greedy-no-skip").winners == ["a"]


def test_no_skip_passes_over_the_sentinel_cost() -> None:
    costs = {"a": 60, "x": 999999999, "c": 30}
    election = Election.build(100, costs, [["x", "a"], ["x", "a"], ["x", "c"]])
    assert greedy(election, rule="greedy-no-skip").winners == ["a", "c"]


def test_threshold_from_meta_and_option() -> None:
    assert greedy(_election(min_project_score_threshold="3"), rule="greedy-threshold").winners == ["a"]
    outcome = greedy(_election(), rule="greedy-threshold", threshold=2)
    assert outcome.winners == ["a", "c"]
    assert outcome.project("d").explanation["reason"] == "below_threshold"
    with pytest.raises(ValueError, match="min_project_score_threshold"):
        greedy(_election(), rule="greedy-threshold")


@pytest.mark.parametrize(
    ("tie_break", "first"), [("file-order", "z9"), ("lexico", "a10"), ("cost-votes", "m")]
)
def test_ties_follow_the_tie_break(tie_break: str, first: str) -> None:
    projects = [Project("z9", 50), Project("a10", 60), Project("m", 40)]
    election = Election.build(60, projects, [["z9", "a10", "m"]])
    assert greedy(election, tie_break=tie_break).winners[0] == first


def test_unknown_tie_break() -> None:
    with pytest.raises(ValueError, match="unknown tie_break"):
        greedy(_election(), tie_break="coin")


def test_cumulative_uses_total_points() -> None:
    election = Election.build(100, {"a": 60, "b": 50}, [{"a": 1, "b": 4}, {"a": 2}], vote_type="cumulative")
    outcome = greedy(election)
    assert outcome.winners == ["b"]
    assert outcome.project("b").score == 4 and outcome.project("a").score == 3
    assert outcome.project("a").votes == 2


def test_ordinal_uses_positional_points() -> None:
    election = Election.build(
        100,
        {"a": 60, "b": 50, "c": 10},
        [["a", "b", "c"], ["b", "c"], ["b"]],
        vote_type="ordinal",
        meta={"max_length": "3"},
    )
    outcome = greedy(election)
    assert [outcome.project(p).score for p in "abc"] == [3, 2 + 3 + 3, 1 + 2]
    assert outcome.winners == ["b", "c"]
    short = greedy(election, ordinal_scheme="ballot_length")
    assert [short.project(p).score for p in "abc"] == [3, 2 + 2 + 1, 1 + 1]
