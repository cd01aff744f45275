"""MES and its completions on small hand-made elections, checked by hand and against the naive oracle."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from app.tally.mes import mes, mes_add1
from app.tally.model import Election, Project

from . import reference_mes


def _hand() -> Election:
    # 3 voters, 10 each. Round 1: C costs 1 per voter (rate 1/3), A 10 (rate 1/2), B 9 (rate 1).
    # After C everyone has 9: A's two supporters hold 18 < 20, B's supporter pays 9.
    return Election.build(30, {"A": 20, "B": 9, "C": 3}, [["A", "C"], ["A", "C"], ["B", "C"]])


def test_hand_computed_run() -> None:
    outcome = mes(_hand())
    assert outcome.winners == ["C", "B"]
    assert outcome.spent == 12
    c = outcome.project("C").explanation
    assert c["round"] == 1 and c["share"]["exact"] == 1 and c["full_payers"] == 3
    assert c["effective_votes"]["exact"] == 3
    a = outcome.project("A").explanation
    assert a["reason"] == "unaffordable" and a["money_left_share"] == pytest.approx(0.9)
    assert "90%" in a["text"]


def test_to_dict_is_json() -> None:
    data = mes_add1(_hand()).to_dict()
    text = json.dumps(data)
    assert data["winners"] == mes_add1(_hand()).winners
    assert '"rule": "mes-add1"' in text


def test_empty_ballots_count_in_n() -> None:
    # Two supporters of A would hold 15 each if the empty ballot were ignored; with it they hold 10.
    election = Election.build(30, {"A": 21}, [["A"], ["A"], []])
    assert mes(election).winners == []
    assert mes(Election.build(30, {"A": 21}, [["A"], ["A"]])).winners == ["A"]


def test_unsupported_projects_are_never_funded_by_mes() -> None:
    election = Election.build(100, {"A": 10, "Z": 1}, [["A"], ["A"]])
    assert mes(election).winners == ["A"]
    assert mes_add1(election).winners == ["A"]
    assert mes(election).project("Z").explanation["reason"] == "no_supporters"


def test_exact_where_floats_would_tie() -> None:
    # Cardinality utilities: A asks (3e16 + 1) / 3 per supporter, B asks 1e16; as floats both are 1e16
    # and "A" would win the tie; exactly, B is cheaper.
    big = 10**16
    election = Election.build(4 * big + 2, {"A": 3 * big + 1, "B": big}, [["A"], ["A"], ["A"], ["B"]])
    assert mes(election, utilities="cardinality", tie_break="lexico").winners == ["B", "A"]
    assert (3 * big + 1) / 3 == float(big)


@pytest.mark.parametrize(
    ("tie_break", "expected"),
    [("lexico", ["P1", "P2"]), ("cost-votes", ["P2", "P1"]), ("file-order", ["P1", "P2"])],
)
def test_exact_ties_follow_the_tie_break(tie_break: str, expected: list[str]) -> None:
    # Both have rate 1/2 (cost utilities, 2 supporters each, all can pay); P2 is cheaper.
    election = Election.build(100, [Project("P1", 20), Project("P2", 10)], [["P1", "P2"], ["P1", "P2"]])
    assert mes(election, tie_break=tie_break).winners == expected


def _oracle(election: Election, start: Fraction, exhaustive_stop: bool) -> list[str]:
    profile = [
        ({p: Fraction(election.projects[p].cost) for p in b.ids}, m)
        for b, m in zip(election.ballots, election.multiplicity, strict=True)
    ]
    costs = {p: Fraction(pr.cost) for p, pr in election.projects.items()}
    winners, _ = reference_mes.add1(
        costs, profile, Fraction(election.budget), election.num_voters, start, str, exhaustive_stop
    )
    return winners


WIDE = Election.build(
    1000,
    {"a": 400, "b": 300, "c": 250, "d": 200, "e": 120, "f": 90},
    [["a", "b"], ["a", "c"], ["a", "d", "e"], ["b", "f"], ["c", "d"], ["e"], ["a", "b", "f"], []],
)


@pytest.mark.parametrize("exhaustive_stop", [False, True])
@pytest.mark.parametrize("start", ["floor", "exact"])
def test_add1_matches_the_plain_loop(exhaustive_stop: bool, start: str) -> None:
    first = Fraction(1000 // 8) if start == "floor" else Fraction(1000, 8)
    outcome = mes_add1(WIDE, tie_break="lexico", stop_when_exhaustive=exhaustive_stop, start=start)
    assert outcome.winners == _oracle(WIDE, first, exhaustive_stop)
    assert outcome.spent <= 1000
    assert outcome.details["completion_runs"] >= 1


def test_add1_spends_more_than_plain_mes() -> None:
    assert mes_add1(WIDE).spent > mes(WIDE).spent


def test_add1_guard_when_everything_fits() -> None:
    election = Election.build(1000, {"a": 100, "b": 300, "c": 50}, [["a"], ["b"], ["b", "c"], []])
    outcome = mes_add1(election, tie_break="lexico")
    assert sorted(outcome.winners) == ["a", "b", "c"]
    assert outcome.details["stop_reason"] == "funds every supported project"
    assert outcome.winners == _oracle(election, Fraction(250), False)


def test_greedy_fill_adds_by_votes() -> None:
    election = Election.build(100, {"a": 60, "b": 45, "c": 40}, [["a"], ["a"], ["b", "c"], ["c"]])
    plain = mes_add1(election)
    filled = mes_add1(election, greedy_fill=True)
    assert filled.spent >= plain.spent
    assert set(plain.winners) <= set(filled.winners)
    for pid in filled.details["greedy_fill_added"]:
        assert filled.project(pid).explanation["reason"] == "greedy_fill"


def test_comparison_keeps_mes_when_more_voters_prefer_it() -> None:
    outcome = mes_add1(WIDE, comparison=True)
    info = outcome.details["comparison"]
    assert info["published"] == ("greedy" if info["prefer_greedy"] > info["prefer_mes"] else "mes")


def test_comparison_can_publish_greedy() -> None:
    # 6 voters want A, B, C; 4 want D. MES funds A, B, D; greedy A, B, C, which 6 voters prefer.
    election = Election.build(90, {"A": 30, "B": 30, "C": 30, "D": 30}, [["A", "B", "C"]] * 6 + [["D"]] * 4)
    assert mes_add1(election).winners == ["A", "B", "D"]
    outcome = mes_add1(election, comparison=True)
    assert outcome.details["comparison"] == {"prefer_mes": 4, "prefer_greedy": 6, "published": "greedy"}
    assert outcome.winners == ["A", "B", "C"]
    assert outcome.details["mes_winners"] == ["A", "B", "D"]


def test_points_utilities_cumulative() -> None:
    election = Election.build(
        12, {"a": 6, "b": 6, "c": 6}, [{"a": 3}, {"a": 1, "b": 2}, {"c": 3}], vote_type="cumulative"
    )
    outcome = mes(election)
    profile = [
        ({p: Fraction(v) for p, v in zip(b.ids, b.points or (), strict=True)}, m)
        for b, m in zip(election.ballots, election.multiplicity, strict=True)
    ]
    costs = {p: Fraction(6) for p in "abc"}
    assert outcome.winners == reference_mes.mes_run(costs, profile, Fraction(4), lambda p: (6, -1, p))


def test_unknown_options() -> None:
    with pytest.raises(ValueError, match="unknown utilities"):
        mes(_hand(), utilities="happiness")
    with pytest.raises(ValueError, match="unknown start"):
        mes_add1(_hand(), start="middle")
