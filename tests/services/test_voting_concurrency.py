"""Fifty submissions of one voter's ballot at the same moment, on PostgreSQL: exactly one ballot remains,
whole (the choices of one submission), and every request ends on the confirmation page."""

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.processes.models import BallotType
from app.voting.models import Ballot, BallotChoice
from tests.conftest import ON_POSTGRES

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL (TEST_DATABASE_URL): in-memory SQLite has one connection, so nothing races",
    ),
]

SUBMISSIONS = 50


def test_fifty_concurrent_submissions_for_one_voter_leave_one_ballot(app, make_vote, make_user):
    vote = make_vote(BallotType.APPROVAL, costs=[[100, 200, 300, 400]])
    user = make_user()
    ids = vote.ids()
    wanted = [[ids[n % 4], ids[(n + 1) % 4]] for n in range(SUBMISSIONS)]
    start = threading.Barrier(SUBMISSIONS)
    outcomes: list = []

    def submit(n: int) -> None:
        client = app.test_client(user=user)  # each request runs in its own app context and session
        start.wait()
        try:
            resp = client.post(vote.url("cast"), data={"p": wanted[n]})
            outcomes.append((resp.status_code, resp.headers.get("Location", "")))
        except Exception as exc:  # an error page, had the app not been in testing mode
            outcomes.append((500, repr(exc)))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == SUBMISSIONS
    failures = [o for o in outcomes if o[0] != 302 or "/done" not in o[1]]
    assert failures == [], failures
    with app.app_context():
        ballots = list(db.session.scalars(select(Ballot)))
        assert len(ballots) == 1
        chosen = sorted(db.session.scalars(select(BallotChoice.project_id)))
        assert chosen in [sorted(w) for w in wanted]  # one submission's choices, never a mix
