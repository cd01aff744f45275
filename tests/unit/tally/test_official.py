"""Official outcomes: the ``selected`` column of the Pabulib files, with the rule their META names."""

from __future__ import annotations

import pytest

from app.tally.model import Election
from app.tally.pb import read_pb
from app.tally.rules import rule_for_meta, run_rule

from .conftest import pabulib_path

OFFICIAL = [
    "Netherlands_Assen_2024",  # equalshares/add1
    "Poland_Krakow_2024_Bienczyce",  # greedy, ordinal 3/2/1
    "Poland_Swiecie_2023",  # equalshares/add1
    "Poland_Wieliczka_2023_Green_Budget",  # equalshares/add1-comparison
    "Poland_Warszawa_2023_Mokotow",  # greedy
    "Poland_Katowice_2023",  # greedy-threshold, cumulative
    "Poland_Warszawa_2026",  # greedy-threshold (3,000 votes)
    "Poland_Krakow_2024",  # greedy, ordinal 3/2/1
]


def _selected(election: Election) -> set[str]:
    return {pid for pid, p in election.projects.items() if p.meta.get("selected") == "1"}


@pytest.mark.parametrize("name", OFFICIAL)
def test_official_outcome(name: str) -> None:
    election = read_pb(pabulib_path(name))
    rule, options = rule_for_meta(election.meta["rule"])
    outcome = run_rule(election, rule, **options)
    assert set(outcome.winners) == _selected(election)


def test_wieliczka_needs_add1_without_the_exhaustive_stop() -> None:
    election = read_pb(pabulib_path("Poland_Wieliczka_2023_Green_Budget"))
    pabulib = run_rule(election, "mes-add1", comparison=True)
    assert pabulib.details["endowment"] == 315
    assert pabulib.spent == 995079
    stopped = run_rule(election, "mes-add1", comparison=True, stop_when_exhaustive=True)
    assert stopped.details["endowment"] == 302
    assert stopped.spent == 984579
    assert set(stopped.winners) ^ set(pabulib.winners) == {"46", "66", "67"}


def test_score_column_is_reproduced_by_positional_points() -> None:
    """Krakow: L - position with L = max_length (all ballots are full, so L = own length too)."""
    election = read_pb(pabulib_path("Poland_Krakow_2024_Bienczyce"))
    for scheme in ("max_length", "ballot_length"):
        score, votes = election.tallies(scheme)
        assert all(str(score[pid]) == p.meta["score"] for pid, p in election.projects.items())
        assert all(str(votes[pid]) == p.meta["votes"] for pid, p in election.projects.items())


def test_warsaw_2026_equal_shares_with_and_without_explanations() -> None:
    """Warsaw 2026 (officially greedy-threshold) under equalshares/add1: 49 winners at 576 PLN per voter
    after 186 runs (RULES.md §3), the same without the explanations (which take an exact rerun)."""
    election = read_pb(pabulib_path("Poland_Warszawa_2026"))
    full = run_rule(election, "mes-add1")
    quick = run_rule(election, "mes-add1", explain=False)
    assert len(full.winners) == 49
    assert quick.winners == full.winners
    assert full.details["endowment"] == quick.details["endowment"] == 576
    assert full.details["completion_runs"] == 186
    assert all(p.explanation for p in full.projects)
