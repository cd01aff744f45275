"""The .pb writer: deterministic, round-trips through our reader and through pabutools' parser."""

from __future__ import annotations

from fractions import Fraction

import pytest

from app.tally.model import Election, Project
from app.tally.pb import dumps_pb, parse_pb, read_pb, write_pb

from .conftest import pabulib_path


def _same(a: Election, b: Election) -> None:
    assert a.budget == b.budget and a.vote_type == b.vote_type
    assert a.projects == b.projects
    assert a.ballots == b.ballots and a.multiplicity == b.multiplicity
    assert a.voter_ids == b.voter_ids and a.voter_ballot == b.voter_ballot
    assert a.voter_columns == b.voter_columns and a.voter_extra == b.voter_extra


def _tricky() -> Election:
    projects = [
        Project("p1", 1000, 'Park; with "quotes"\nand a newline', {"category": "green,blue"}),
        Project("p2", Fraction(5001, 2), "Library", {"category": "culture"}),
        Project("p 3", 7, "", {}),
    ]
    votes = [["p1", "p2"], ["p2"], [], ["p 3", "p1"], ["p1", "p2"]]
    return Election.build(3000, projects, votes, meta={"description": "tricky\r\ncase", "rule": "greedy"})


def test_round_trip_ours(tmp_path) -> None:
    election = _tricky()
    path = tmp_path / "out.pb"
    write_pb(election, path)
    again = read_pb(path)
    assert again.projects["p1"].name == 'Park; with "quotes" and a newline'
    assert again.meta["description"] == "tricky case"
    assert again.projects["p2"].cost == Fraction(5001, 2)
    assert dumps_pb(again) == path.read_text(encoding="utf-8")
    assert again.ballot_of("3").ids == ()


def test_integers_written_as_integers() -> None:
    text = dumps_pb(_tricky())
    assert "\nbudget;3000\n" in text
    assert "\np2;2500.5;" in text
    assert "\np1;1000;" in text


def test_cumulative_round_trip() -> None:
    election = Election.build(
        10, {"a": 4, "b": 5}, [{"a": 2, "b": Fraction(1, 2)}, {}, {"b": 3}], vote_type="cumulative"
    )
    again = parse_pb(dumps_pb(election))
    _same(election, again)


def test_ids_that_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="cannot be written"):
        dumps_pb(Election.build(10, {"a,b": 1}, [["a,b"]]))


@pytest.mark.parametrize(
    "name",
    [
        "Netherlands_Assen_2024",
        "Poland_Czestochowa_2020_Bleszno",
        "Poland_Wieliczka_2023_Green_Budget",
        "Poland_Krakow_2024_Bienczyce",
    ],
)
def test_real_files_round_trip(name: str) -> None:
    election = read_pb(pabulib_path(name))
    _same(election, parse_pb(dumps_pb(election)))


def _pabutools_view(path) -> tuple:
    from pabutools.election import parse_pabulib

    instance, profile = parse_pabulib(str(path))
    projects = sorted((p.name, Fraction(p.cost)) for p in instance)
    points = [getattr(b, "get", lambda _: 1) for b in profile]
    pairs = zip(profile, points, strict=True)
    ballots = sorted(sorted((p.name, Fraction(get(p))) for p in b) for b, get in pairs)
    return Fraction(instance.budget_limit), projects, ballots


def _our_view(election: Election) -> tuple:
    projects = sorted((pid, Fraction(p.cost)) for pid, p in election.projects.items())
    ballots = []
    for k in election.voter_ballot:
        ballot = election.ballots[k]
        points = ballot.points or (1,) * len(ballot.ids)
        ballots.append(sorted((pid, Fraction(v)) for pid, v in zip(ballot.ids, points, strict=True)))
    return Fraction(election.budget), projects, sorted(ballots)


@pytest.mark.parametrize("kind", ["approval", "cumulative"])
def test_pabutools_reads_what_we_write(tmp_path, kind: str) -> None:
    pytest.importorskip("pabutools")
    if kind == "approval":
        election = _tricky()
    else:
        election = Election.build(
            Fraction(21, 2),
            {"a": 4, "b": Fraction(11, 2)},
            [{"a": 2, "b": 1}, {}, {"b": 3}],
            vote_type="cumulative",
        )
    path = tmp_path / f"{kind}.pb"
    write_pb(election, path)
    assert _pabutools_view(path) == _our_view(election)


def test_pabutools_reads_rewritten_real_file(tmp_path) -> None:
    pytest.importorskip("pabutools")
    election = read_pb(pabulib_path("Poland_Wieliczka_2023_Green_Budget"))
    path = tmp_path / "wieliczka.pb"
    write_pb(election, path)
    assert _pabutools_view(path) == _our_view(election)
