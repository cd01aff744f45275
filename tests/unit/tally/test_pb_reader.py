"""The .pb reader: every tolerated variant of RULES.md §1, and errors that name the line."""

from __future__ import annotations

from fractions import Fraction

import pytest

from app.tally.model import Ballot
from app.tally.pb import PbFormatError, parse_pb, read_pb

BASIC = """META
key;value
description;Test
num_projects;3
num_votes;3
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name
a;60;2;Park
b;50;2;Library
c;30;1;Bench
VOTES
voter_id;vote;age
v1;a,b;30
v2;a,c;41
v3;b;None
"""


def test_basic_file() -> None:
    election = parse_pb(BASIC)
    assert election.budget == 100
    assert election.vote_type == "approval"
    assert list(election.projects) == ["a", "b", "c"]
    assert election.projects["a"].name == "Park"
    assert election.projects["a"].meta == {"votes": "2"}
    assert election.voter_ids == ["v1", "v2", "v3"]
    assert election.ballot_of("v2") == Ballot(("a", "c"))
    assert election.ballot_of("nobody") is None
    assert election.voter_columns == ("age",)
    assert election.voter_extra == [("30",), ("41",), ("None",)]


def test_bom_crlf_and_empty_lines() -> None:
    text = "\ufeff" + BASIC.replace("\n", "\r\n").replace("PROJECTS", "\r\nPROJECTS")
    election = parse_pb(text + "\r\n\r\n")
    assert election.voter_ids == ["v1", "v2", "v3"]
    assert election.budget == 100


def test_bom_in_file(tmp_path) -> None:
    path = tmp_path / "bom.pb"
    path.write_bytes(b"\xef\xbb\xbf" + BASIC.encode())
    assert read_pb(path).num_voters == 3


def test_case_insensitive_titles_and_whitespace() -> None:
    text = BASIC.replace("META", "  meta ").replace("PROJECTS", "Projects").replace("VOTES", "votes ")
    text = text.replace("budget;100", "budget ; 100 ").replace("v1;a,b;30", " v1 ; a, b ;30")
    election = parse_pb(text)
    assert election.budget == 100
    assert election.ballot_of("v1") == Ballot(("a", "b"))


def test_quoted_cells_with_separator_and_quotes() -> None:
    text = BASIC.replace("a;60;2;Park", 'a;60;2;"Park; ""Green"" edition"')
    assert parse_pb(text).projects["a"].name == 'Park; "Green" edition'


def test_none_cells_and_empty_vote() -> None:
    text = BASIC.replace("c;30;1;Bench", "c;30;None;None").replace("v3;b;None", "v3;None;None")
    election = parse_pb(text)
    assert election.projects["c"].name == ""
    assert "votes" not in election.projects["c"].meta
    assert election.ballot_of("v3") == Ballot(())


def test_comma_decimal_in_cost_and_budget() -> None:
    text = BASIC.replace("budget;100", "budget;100,5").replace("a;60;", "a;60,25;")
    election = parse_pb(text)
    assert election.budget == Fraction(201, 2)
    assert election.projects["a"].cost == Fraction(241, 4)


def test_cumulative_points() -> None:
    text = BASIC.replace("approval", "cumulative").replace("voter_id;vote;age", "voter_id;vote;points;age")
    text = text.replace("v1;a,b;30", "v1;a,b;3,1.5;30").replace("v2;a,c;41", "v2;a,c;2,2;41")
    text = text.replace("v3;b;None", "v3;b;4;None")
    election = parse_pb(text)
    assert election.ballot_of("v1") == Ballot(("a", "b"), (3, Fraction(3, 2)))
    assert election.tallies()[0] == {"a": 5, "b": Fraction(11, 2), "c": 2}


def test_ordinal_keeps_order() -> None:
    election = parse_pb(BASIC.replace("approval", "ordinal").replace("v1;a,b", "v1;b,a"))
    assert election.ballot_of("v1").ids == ("b", "a")
    assert election.points_of(election.ballot_of("v1"), 3) == {"b": 3, "a": 2}


def test_identical_ballots_are_grouped() -> None:
    text = BASIC.replace("v3;b;None", "v3;a,b;None")
    election = parse_pb(text)
    assert len(election.ballots) == 2
    assert sorted(election.multiplicity) == [1, 2]


def _error(text: str) -> PbFormatError:
    with pytest.raises(PbFormatError) as info:
        parse_pb(text)
    return info.value


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("v2;a,c;41", "v2;a,x;41"), 17, "unknown project id 'x'"),
        (("budget;100\n", ""), 2, "no budget"),
        (("a;60;", "a;sixty;"), 11, "cost of project 'a' is not a number"),
        (("c;30;1;Bench", "a;30;1;Bench"), 13, "duplicate project id 'a'"),
        (("v2;a,c;41", "v1;a,c;41"), 17, "duplicate voter_id 'v1'"),
        (("budget;100", "budget;lots"), 6, "budget is not a number"),
        (("vote_type;approval", "vote_type;lottery"), 7, "unknown vote_type"),
        (("num_votes;3", "num_votes;4"), 5, "num_votes"),
        (("v2;a,c;41", "v2;a,a;41"), 17, "lists a project twice"),
        (("v2;a,c;41", "v2;a,c"), 17, "expected 3 cells"),
        (("key;value", "name;value"), 2, "key;value"),
    ],
)
def test_errors_name_the_line(change: tuple[str, str], line: int, words: str) -> None:
    error = _error(BASIC.replace(*change, 1))
    assert error.line == line
    assert words in str(error)
    assert str(error).startswith(f"line {line}:")


def test_bad_section_order() -> None:
    text = BASIC.replace("PROJECTS\n", "VOTES_TMP\n").replace("VOTES\n", "PROJECTS\n")
    error = _error(text.replace("VOTES_TMP\n", "VOTES\n"))
    assert error.line == 9
    assert "out of order" in str(error)


def test_repeated_section_in_votes() -> None:
    error = _error(BASIC + "PROJECTS\n")
    assert error.line == 19
    assert "out of order" in str(error)


def test_points_length_mismatch() -> None:
    text = BASIC.replace("approval", "cumulative").replace("voter_id;vote;age", "voter_id;vote;points;age")
    text = text.replace("v1;a,b;30", "v1;a,b;3;30").replace("v2;a,c;41", "v2;a,c;2,2;41")
    error = _error(text.replace("v3;b;None", "v3;b;4;None"))
    assert error.line == 16
    assert "points has 1 values" in str(error)


def test_points_column_required() -> None:
    error = _error(BASIC.replace("approval", "cumulative"))
    assert error.line == 15
    assert "points column" in str(error)


def test_missing_votes_section() -> None:
    error = _error(BASIC.split("VOTES")[0])
    assert "missing section VOTES" in str(error)


def test_text_before_meta() -> None:
    assert _error("hello\n" + BASIC).line == 1


def test_invalid_utf8(tmp_path) -> None:
    path = tmp_path / "bad.pb"
    path.write_bytes(BASIC.encode().replace(b"Bench", b"B\xffnch"))
    with pytest.raises(PbFormatError) as info:
        read_pb(path)
    assert info.value.line == 13
