"""The front door: tally_file, option checking and Pabulib rule names."""

from __future__ import annotations

import json

import pytest

from app.tally.model import Election
from app.tally.pb import write_pb
from app.tally.rules import RULES, rule_for_meta, run_rule, tally_file


@pytest.fixture
def pb_file(tmp_path):
    election = Election.build(
        100,
        {"a": 60, "b": 50, "c": 30},
        [["a", "b"], ["a", "c"], ["b"], ["a"]],
        meta={"min_project_score_threshold": "2", "rule": "greedy"},
    )
    path = tmp_path / "small.pb"
    write_pb(election, path)
    return path


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_returns_json(pb_file, rule: str) -> None:
    result = tally_file(pb_file, rule)
    assert json.loads(json.dumps(result)) == result
    assert result["rule"] == rule
    assert result["budget"] == 100
    assert result["spent"] <= 100
    assert set(result["winners"]) <= {"a", "b", "c"}
    assert len(result["projects"]) == 3


def test_winners_in_selection_order(pb_file) -> None:
    assert tally_file(pb_file, "greedy")["winners"] == ["a", "c"]
    assert tally_file(pb_file, "greedy-threshold", threshold=3)["winners"] == ["a"]


def test_unknown_rule_and_options(pb_file) -> None:
    with pytest.raises(ValueError, match="unknown rule 'lottery'"):
        tally_file(pb_file, "lottery")
    with pytest.raises(ValueError, match="unknown option 'threshold' for mes"):
        tally_file(pb_file, "mes", threshold=3)
    with pytest.raises(ValueError, match="option greedy_fill must be a bool"):
        tally_file(pb_file, "mes-add1", greedy_fill="yes")
    with pytest.raises(ValueError, match="option threshold must be a number"):
        tally_file(pb_file, "greedy-threshold", threshold="lots")
    with pytest.raises(ValueError, match="unknown tie_break"):
        tally_file(pb_file, "mes", tie_break="coin")


def test_options_are_passed_through(pb_file) -> None:
    result = tally_file(
        pb_file,
        "mes-add1",
        stop_when_exhaustive=True,
        start="exact",
        greedy_fill=True,
        comparison=True,
        utilities="cardinality",
        tie_break="lexico",
    )
    assert result["options"]["utilities"] == "cardinality"
    assert result["options"]["start"] == "exact"
    assert "comparison" in result["details"]
    assert "greedy_winners" in result["details"]


def test_pabulib_rule_names() -> None:
    assert rule_for_meta("equalshares/add1-comparison") == ("mes-add1", {"comparison": True})
    assert rule_for_meta(" Greedy-Threshold ") == ("greedy-threshold", {})
    with pytest.raises(ValueError, match="greedy-custom"):
        rule_for_meta("greedy-custom")


def test_run_rule_on_an_election() -> None:
    election = Election.build(30, {"A": 20, "B": 9, "C": 3}, [["A", "C"], ["A", "C"], ["B", "C"]])
    outcome = run_rule(election, "mes", tie_break="lexico")
    assert outcome.winners == ["C", "B"]
    details = outcome.to_dict()["details"]
    assert details["endowment"] == 10 and details["greedy_winners"] == ["C", "A"]
