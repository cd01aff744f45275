"""Hundreds of random small elections: our rules against pabutools and against the naive exact oracle.

Costs and points are small integers so that exact ties are frequent; ties are broken
lexicographically on both sides. Project costs are positive (pabutools' greedy puts free projects
first whatever their votes; ours ranks them by votes like every other project).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.tally.greedy import greedy
from app.tally.mes import mes, mes_add1
from app.tally.model import Election

from . import reference_mes

IDS = ["p1", "p2", "p10", "p3", "p9", "a"]
SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def elections(draw, vote_type: str = "approval") -> Election:
    ids = IDS[: draw(st.integers(2, len(IDS)))]
    costs = {pid: draw(st.integers(1, 20)) for pid in ids}
    if vote_type == "approval":
        ballot = st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))
    else:
        ballot = st.dictionaries(st.sampled_from(ids), st.integers(1, 3), max_size=len(ids))
    votes = draw(st.lists(ballot, min_size=1, max_size=8))
    votes = [v for v in votes for _ in range(draw(st.integers(1, 3)))]
    return Election.build(draw(st.integers(1, 60)), costs, votes, vote_type=vote_type)


def _profile(election: Election, cost_utilities: bool) -> list[tuple[dict[str, Fraction], int]]:
    out = []
    for ballot, mult in zip(election.ballots, election.multiplicity, strict=True):
        points = election.points_of(ballot)
        out.append(
            (
                {
                    p: Fraction(election.projects[p].cost if cost_utilities else v)
                    for p, v in points.items()
                    if v > 0
                },
                mult,
            )
        )
    return out


def _pabutools_all(election: Election) -> tuple[list[str], list[str], list[str]]:
    from . import pabu_reference

    instance, profile = pabu_reference.from_election(election)
    kind = election.vote_type
    return (
        pabu_reference.greedy_ids(instance, profile, kind),
        pabu_reference.mes_ids(instance, profile, kind),
        pabu_reference.mes_ids(instance, profile, kind, add1=True),
    )


def _ours_all(election: Election) -> tuple[list[str], list[str], list[str]]:
    return (
        greedy(election, tie_break="lexico").winners,
        mes(election, tie_break="lexico").winners,
        mes_add1(election, tie_break="lexico", stop_when_exhaustive=True, start="exact").winners,
    )


@SETTINGS
@given(elections("approval"))
def test_approval_like_pabutools(election: Election) -> None:
    pytest.importorskip("pabutools")
    assert _ours_all(election) == _pabutools_all(election)


@SETTINGS
@given(elections("cumulative"))
def test_cumulative_like_pabutools(election: Election) -> None:
    pytest.importorskip("pabutools")
    assert _ours_all(election) == _pabutools_all(election)


@settings(max_examples=150, deadline=None, database=None)
@given(elections("approval"), st.sampled_from(["floor", "exact"]), st.booleans())
def test_add1_like_the_plain_loop(election: Election, start: str, exhaustive: bool) -> None:
    n = election.num_voters
    first = Fraction(election.budget // n) if start == "floor" else Fraction(election.budget, n)
    costs = {p: Fraction(pr.cost) for p, pr in election.projects.items()}
    expected, _ = reference_mes.add1(
        costs, _profile(election, True), Fraction(election.budget), n, first, str, exhaustive
    )
    outcome = mes_add1(election, tie_break="lexico", start=start, stop_when_exhaustive=exhaustive)
    assert outcome.winners == expected
    quick = mes_add1(
        election, tie_break="lexico", start=start, stop_when_exhaustive=exhaustive, explain=False
    )
    assert quick.winners == expected
    assert quick.details == outcome.details
    assert all(not p.explanation for p in quick.projects)


@settings(max_examples=100, deadline=None, database=None)
@given(elections("cumulative"), st.sampled_from(["points", "cardinality", "cost"]))
def test_mes_utilities_like_the_oracle(election: Election, utilities: str) -> None:
    costs = {p: Fraction(pr.cost) for p, pr in election.projects.items()}
    profile = _profile(election, utilities == "cost")
    if utilities == "cardinality":
        profile = [({p: Fraction(1) for p in u}, m) for u, m in profile]
    expected = reference_mes.mes_run(costs, profile, Fraction(election.budget, election.num_voters), str)
    assert mes(election, utilities=utilities, tie_break="lexico").winners == expected
