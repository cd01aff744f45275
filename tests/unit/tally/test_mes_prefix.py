"""The exact engine going on from rounds already proven: a run replayed from a known prefix of winners
(and the lower bounds known then) funds exactly what the full run funds. This is how a run the batch
engine cannot finish is completed."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.tally.mes import _problem
from app.tally.mes_batch import batch_winners
from app.tally.mes_classes import Voters
from app.tally.mes_run import RecordStore, run_mes
from app.tally.model import Election
from app.tally.pb import read_pb

from .conftest import pabulib_path
from .test_random_elections import elections


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(), st.integers(0, 30))
def test_a_run_replayed_from_any_prefix_funds_what_the_full_run_funds(election, extra) -> None:
    prob = _problem(election, None, "lexico", "max_length")
    endowment = Fraction(election.budget, election.num_voters) + extra
    full = run_mes(prob, endowment, RecordStore(prob))
    for j in range(len(full.sequence) + 1):
        known = full.sequence[:j]
        # the full run's own lower bounds after round j, in currency per unit of utility
        after = full.rounds[j - 1].bounds if j else {}
        bounds = {q: Fraction(b, prob.scale) for q, b in after.items() if q not in known}
        replay = run_mes(prob, endowment, RecordStore(prob), prefix=(known, bounds or None))
        assert replay.sequence == full.sequence


def test_a_prefix_the_run_cannot_fund_falls_back_to_the_full_run() -> None:
    election = Election.build(10, {"a": 6, "b": 6}, [["a"], ["a"], ["b"]])
    prob = _problem(election, None, "lexico", "max_length")
    full = run_mes(prob, Fraction(10, 3), RecordStore(prob))
    b = list(election.projects).index("b")  # b's one supporter has 10/3, b costs 6
    wrong = run_mes(prob, Fraction(10, 3), RecordStore(prob), prefix=([b], None))
    assert wrong.sequence == full.sequence == (0,)


def test_mokotow_runs_the_batch_cannot_decide_are_finished_exactly_from_its_prefix() -> None:
    election = read_pb(pabulib_path("Poland_Warszawa_2023_Mokotow"))
    prob = _problem(election, None, "lexico", "max_length")
    start = Fraction(election.budget // election.num_voters)
    endowments = [start + k for k in range(16)]
    found = batch_winners(Voters(prob), endowments)
    undecided = [k for k, run in enumerate(found) if not run.decided]
    assert undecided, "Mokotów has runs the batch engine leaves to the exact one"
    for k in undecided[:3]:
        run = found[k]
        replay = run_mes(prob, endowments[k], RecordStore(prob), prefix=(run.sequence, run.bounds))
        full = run_mes(prob, endowments[k], RecordStore(prob))
        assert replay.sequence == full.sequence
        assert list(full.sequence[: len(run.sequence)]) == run.sequence
