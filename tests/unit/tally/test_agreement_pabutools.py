"""Same winners, same order, as pabutools 1.2.3 on the real elections.

pabutools is slow on the big files (greedy 15 s, MES with Add1 100-640 s on Warsaw/Krakow), so by
default only the files where it takes a few seconds run; ``TALLY_SLOW=1`` runs all ten files for all
three rules. Our options that reproduce pabutools: ``tie_break="lexico"`` and, for Add1,
``stop_when_exhaustive=True, start="exact"`` (pabutools starts at B/n and stops at the first outcome
that is exhaustive among supported projects).
"""

from __future__ import annotations

import functools

import pytest

from app.tally.greedy import greedy
from app.tally.mes import mes, mes_add1
from app.tally.pb import read_pb

from .conftest import SLOW, pabulib_path

ALL = [
    "Netherlands_Assen_2024",
    "Netherlands_Amsterdam_166",
    "Poland_Czestochowa_2020_Bleszno",
    "Poland_Krakow_2024_Bienczyce",
    "Poland_Swiecie_2023",
    "Poland_Wieliczka_2023_Green_Budget",
    "Poland_Warszawa_2023_Mokotow",
    "Poland_Katowice_2023",
    "Poland_Warszawa_2026",
    "Poland_Krakow_2024",
]
QUICK_RULES = ALL[:6]  # pabutools parses these and runs greedy and MES in about a second each
QUICK_ADD1 = ["Netherlands_Assen_2024", "Poland_Czestochowa_2020_Bleszno"]


def _files(quick: list[str]) -> list:
    return [
        pytest.param(
            name,
            marks=()
            if name in quick or SLOW
            else pytest.mark.skip(reason="pabutools is slow on this file; set TALLY_SLOW=1"),
        )
        for name in ALL
    ]


def _pabutools(name: str):
    pytest.importorskip("pabutools")
    from . import pabu_reference

    path = pabulib_path(name)
    election = read_pb(path)
    instance, profile = _parsed(str(path))
    length = election.ordinal_length() if election.vote_type == "ordinal" else None
    return election, instance, profile, length, pabu_reference


@functools.cache
def _parsed(path: str):
    """pabutools' parse of a file, once per session (it takes seconds on the big files)."""
    from . import pabu_reference

    return pabu_reference.parse(path)


@pytest.mark.parametrize("name", _files(QUICK_RULES))
def test_greedy(name: str) -> None:
    election, instance, profile, length, ref = _pabutools(name)
    ours = greedy(election, tie_break="lexico").winners
    assert ours == ref.greedy_ids(instance, profile, election.vote_type, length)


@pytest.mark.parametrize("name", _files(QUICK_RULES))
def test_mes(name: str) -> None:
    election, instance, profile, length, ref = _pabutools(name)
    ours = mes(election, tie_break="lexico").winners
    assert ours == ref.mes_ids(instance, profile, election.vote_type, length)


@pytest.mark.parametrize("name", _files(QUICK_ADD1))
def test_mes_add1_exhaustive_stop(name: str) -> None:
    election, instance, profile, length, ref = _pabutools(name)
    ours = mes_add1(election, tie_break="lexico", stop_when_exhaustive=True, start="exact").winners
    assert ours == ref.mes_ids(instance, profile, election.vote_type, length, add1=True)
