"""The demo vote: projects with pictures, census, codes, residents who may vote, ballots; loaded twice."""

from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.processes.models import Phase, Process, Project
from app.voting import services
from app.voting.eligibility import account_voter
from app.voting.models import Ballot, BallotChoice, CensusEntry, Channel, VoterCode

MODELS = (Project, Ballot, BallotChoice, CensusEntry, VoterCode, User)


def _counts() -> dict:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def test_the_demo_vote_loads_once_with_turnout_codes_and_voters(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "TWN2A-VT8KQ" in first.output and "hana@riverside.example" in first.output
    with app.app_context():
        counts = _counts()
        process = db.session.scalar(select(Process).where(Process.slug == "riverside-2026"))
        assert process.phase == Phase.VOTING and process.residents_only
        assert counts["Project"] >= 20 and counts["Ballot"] >= 300 and counts["CensusEntry"] >= 20
        assert all(p.image is not None for p in db.session.scalars(select(Project)))
        figures = services.turnout(process)
        assert all(row.total > 0 for row in figures.rows)
        assert all(n > 0 for c, n in figures.by_channel.items() if c != Channel.IMPORT)
        rosa = db.session.scalar(select(User).where(User.email == "resident@riverside.example"))
        with app.test_request_context():
            voter = account_voter(
                process, rosa, now=process.dates(Phase.VOTING).starts_at + timedelta(hours=1)
            )
        assert voter.home_district_id == rosa.district_id
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already loaded" in second.output
    with app.app_context():
        assert _counts() == counts


def test_a_printed_demo_code_lets_a_visitor_vote(app, runner, client):
    runner.invoke(args=["demo"])
    resp = client.post("/processes/riverside-2026/vote/code", data={"code": "hbr2a-qz6ne"})
    assert resp.status_code == 302
    page = client.get("/processes/riverside-2026/vote").text
    assert "Vote in Harbour" in page and "Vote in Old Town" not in page
