"""The pb commands: count a file, import an election, export it again (on generated files and real ones)."""

import json
import os
from pathlib import Path

import pytest

from app.tally import Election, dumps_pb, parse_pb

PABULIB = Path(
    os.environ.get("PABULIB_DIR", Path(__file__).resolve().parents[1] / ".." / "shared" / "pabulib")
)


def _small_file(tmp_path) -> Path:
    election = Election.build(
        100,
        {"1": 60, "2": 50, "3": 30, "4": 20},
        [["1", "2"], ["1"], ["3"], ["3", "4"], ["2", "4"], ["1"]],
        meta={
            "description": "Test town",
            "unit": "Test",
            "instance": "2027",
            "rule": "greedy",
            "country": "Nowhere",
            "currency": "EUR",
        },
    )
    path = tmp_path / "test_town.pb"
    path.write_text(dumps_pb(election))
    return path


def test_tally_prints_json_without_a_database(runner, tmp_path):
    result = runner.invoke(args=["pb", "tally", str(_small_file(tmp_path)), "--rule", "greedy"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["rule"] == "greedy" and body["winners"] == ["1", "3"] and body["spent"] == 90
    assert body["budget"] == 100 and "projects" not in body


def test_tally_names_a_broken_line(runner, tmp_path):
    path = tmp_path / "broken.pb"
    path.write_text(_small_file(tmp_path).read_text().replace("1,2\n", "1,99\n"))
    result = runner.invoke(args=["pb", "tally", str(path), "--rule", "mes"])
    assert result.exit_code != 0 and "line" in result.output and "99" in result.output


def test_import_then_export_gives_back_the_same_ballots(app, runner, tmp_path):
    source = _small_file(tmp_path)
    result = runner.invoke(args=["pb", "import", str(source), "--slug", "test-town"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.pb"
    result = runner.invoke(args=["pb", "export", "test-town", "--out", str(out)])
    assert result.exit_code == 0, result.output
    before, after = parse_pb(source.read_text()), parse_pb(out.read_text())
    assert after.budget == before.budget and {p: x.cost for p, x in after.projects.items()} == {
        p: x.cost for p, x in before.projects.items()
    }
    assert sorted(sorted(b.ids) for b in _voters(after)) == sorted(sorted(b.ids) for b in _voters(before))
    again = runner.invoke(args=["pb", "import", str(source), "--slug", "test-town"])
    assert again.exit_code != 0 and "exists already" in again.output


def _voters(election):
    return [election.ballots[i] for i in election.voter_ballot]


@pytest.mark.skipif(
    not (PABULIB / "Netherlands_Assen_2024.pb").exists(), reason="the Pabulib files are not here"
)
def test_a_real_election_imports_counts_and_matches_its_official_outcome(app, runner):
    from app.extensions import db
    from app.processes.services import get_by_slug
    from app.results import services

    result = runner.invoke(
        args=["pb", "import", str(PABULIB / "Netherlands_Assen_2024.pb"), "--slug", "assen"]
    )
    assert result.exit_code == 0, result.output
    official = {
        pid
        for pid, p in parse_pb((PABULIB / "Netherlands_Assen_2024.pb").read_text()).projects.items()
        if p.meta.get("selected") == "1"
    }
    with app.test_request_context():
        (snapshot,) = services.count_process(get_by_slug("assen"), None)
        assert set(snapshot.outcome["winners"]) == official and snapshot.voters == 84
        db.session.rollback()
