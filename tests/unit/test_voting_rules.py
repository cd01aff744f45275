"""Ballot rules, pure: each ballot type's valid ballots and its problems, with their numbers."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.voting import rules
from app.voting.rules import BallotRules, Problem, age_on, ballot_status, check_ballot, is_over

COSTS = {1: 3_000_00, 2: 4_000_00, 3: 5_000_00, 4: 1_200_00}


def kinds(problems: list[Problem]) -> list[str]:
    return [p.kind for p in problems]


def test_approval_takes_any_number_but_at_least_the_minimum():
    ballot = BallotRules(rules.APPROVAL, budget_cents=1_000_00)
    assert check_ballot(ballot, COSTS, {1: 1, 2: 1, 3: 1, 4: 1}) == []  # cost does not matter
    assert check_ballot(ballot, COSTS, {}) == [Problem("too_few", {"min": 1, "count": 0})]
    assert kinds(check_ballot(BallotRules(rules.APPROVAL, 0, min_choices=2), COSTS, {1: 1})) == ["too_few"]
    assert check_ballot(BallotRules(rules.APPROVAL, 0, min_choices=0), COSTS, {}) == []


def test_k_approval_allows_at_most_k():
    ballot = BallotRules(rules.K_APPROVAL, 0, max_choices=2)
    assert check_ballot(ballot, COSTS, {1: 1, 2: 1}) == []
    assert check_ballot(ballot, COSTS, {1: 1, 2: 1, 3: 1}) == [Problem("too_many", {"max": 2, "count": 3})]


def test_knapsack_fits_the_budget_exactly_or_under():
    ballot = BallotRules(rules.KNAPSACK, budget_cents=9_000_00)
    assert check_ballot(ballot, COSTS, {2: 1, 3: 1}) == []  # exactly the budget
    assert check_ballot(ballot, COSTS, {1: 1, 2: 1, 3: 1}) == [
        Problem("over_budget", {"spent": 12_000_00, "budget": 9_000_00, "over": 3_000_00})
    ]


def test_knapsack_minimum_spend_rounds_up_to_the_cent():
    ballot = BallotRules(rules.KNAPSACK, budget_cents=1_001, min_spend_percent=50)
    assert ballot.min_spend_cents == 501
    ballot = BallotRules(rules.KNAPSACK, budget_cents=10_000_00, min_spend_percent=50)
    assert check_ballot(ballot, COSTS, {3: 1}) == []
    assert check_ballot(ballot, COSTS, {2: 1}) == [
        Problem("under_min_spend", {"spent": 4_000_00, "minimum": 5_000_00, "short": 1_000_00, "percent": 50})
    ]


def test_knapsack_minimum_number_of_projects():
    ballot = BallotRules(rules.KNAPSACK, budget_cents=10_000_00, min_choices=2)
    assert kinds(check_ballot(ballot, COSTS, {3: 1})) == ["too_few"]
    assert check_ballot(ballot, COSTS, {3: 1, 4: 1}) == []


def test_cumulative_spreads_n_points_at_most_m_on_one():
    ballot = BallotRules(rules.CUMULATIVE, 0, total_points=10, max_points_per_project=4)
    assert check_ballot(ballot, COSTS, {1: 4, 2: 4, 3: 2}) == []
    assert check_ballot(ballot, COSTS, {1: 4, 2: 4, 3: 3}) == [
        Problem("too_many_points", {"used": 11, "total": 10, "over": 1})
    ]
    assert check_ballot(ballot, COSTS, {1: 5}) == [
        Problem("points_over_cap", {"points": 5, "max": 4}, field="points-1", project_id=1)
    ]
    assert kinds(check_ballot(ballot, COSTS, {1: -1, 2: 3})) == ["bad_points"]


def test_cumulative_zero_points_do_not_count_and_the_cap_defaults_to_n():
    ballot = BallotRules(rules.CUMULATIVE, 0, total_points=5)
    assert ballot.points_cap == 5
    assert check_ballot(ballot, COSTS, {1: 5, 2: 0, 3: 0}) == []
    assert kinds(check_ballot(ballot, COSTS, {1: 0})) == ["too_few"]


def test_approval_style_ballots_give_one_point():
    assert kinds(check_ballot(BallotRules(rules.APPROVAL, 0), COSTS, {1: 2})) == ["bad_points"]


def test_a_project_of_another_ballot_is_refused():
    problems = check_ballot(BallotRules(rules.APPROVAL, 0), COSTS, {99: 1})
    assert problems == [Problem("unknown_project", project_id=99)]


def test_status_figures_and_over():
    knapsack = BallotRules(rules.KNAPSACK, budget_cents=8_000_00)
    status = ballot_status(knapsack, COSTS, {1: 1, 2: 1, 3: 0})
    assert (status.chosen, status.spent_cents, status.budget_left_cents) == (2, 7_000_00, 1_000_00)
    assert not is_over(knapsack, status)
    assert not rules.fits(knapsack, status, 1_200_00) and rules.fits(knapsack, status, 1_000_00)
    assert is_over(knapsack, ballot_status(knapsack, COSTS, {2: 1, 3: 1}))
    k = BallotRules(rules.K_APPROVAL, 0, max_choices=1)
    assert ballot_status(k, COSTS, {1: 1}).picks_left == 0 and is_over(
        k, ballot_status(k, COSTS, {1: 1, 2: 1})
    )
    cumulative = BallotRules(rules.CUMULATIVE, 0, total_points=3)
    assert ballot_status(cumulative, COSTS, {1: 2}).points_left == 1
    approval = BallotRules(rules.APPROVAL, 1)
    assert not is_over(approval, ballot_status(approval, COSTS, {1: 1, 2: 1}))  # cost is no limit here


def test_rules_are_checked_when_made():
    with pytest.raises(ValueError, match="unknown ballot type"):
        BallotRules("ranked", 0)
    with pytest.raises(ValueError, match="total_points"):
        BallotRules(rules.CUMULATIVE, 0)


def test_age_on_a_day_including_leap_birthdays():
    assert age_on(date(2010, 3, 15), date(2024, 3, 14)) == 13
    assert age_on(date(2010, 3, 15), date(2024, 3, 15)) == 14
    assert age_on(date(2008, 2, 29), date(2022, 2, 28)) == 13  # turns 14 on 1 March
    assert age_on(date(2008, 2, 29), date(2022, 3, 1)) == 14


@given(
    costs=st.lists(st.integers(1, 10_000), min_size=1, max_size=8),
    picks=st.sets(st.integers(0, 7)),
    budget=st.integers(0, 40_000),
)
def test_knapsack_valid_exactly_when_within_budget(costs, picks, budget):
    table = dict(enumerate(costs))
    chosen = {p: 1 for p in picks if p in table}
    problems = check_ballot(BallotRules(rules.KNAPSACK, budget), table, chosen)
    spent = sum(table[p] for p in chosen)
    assert (problems == []) == (len(chosen) >= 1 and spent <= budget)
