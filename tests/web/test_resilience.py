"""Failures a voter can meet on voting day: the database briefly out of reach (a clean 503 that says
to try again), and the same ballot sent twice (a retry after a lost answer leaves one ballot)."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.auth.models import Role
from app.extensions import db
from app.voting import views as voting_views
from app.voting.models import Ballot, BallotChoice


def _database_down(*_args, **_kwargs):
    raise OperationalError("SELECT processes.id FROM processes", {}, Exception("connection refused"))


def test_a_page_answers_503_with_retry_after_while_the_database_is_down(client, make_vote, monkeypatch):
    vote = make_vote()
    monkeypatch.setattr(voting_views, "get_by_slug", _database_down)
    resp = client.get(vote.url())
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "5"
    assert "Briefly unavailable" in resp.text and "try again in a few seconds" in resp.text
    assert "Traceback" not in resp.text and "OperationalError" not in resp.text


def test_a_signed_in_voter_gets_the_503_page_too(app, login, make_vote, monkeypatch):
    """The voter's row, loaded before the failure, is not read again for the error page."""
    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    assert client.get(vote.url()).status_code == 200
    monkeypatch.setattr(voting_views, "get_by_slug", _database_down)
    resp = client.post(vote.url("cast"), data={"p": vote.ids()[:1]})
    assert resp.status_code == 503 and "Briefly unavailable" in resp.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_the_api_answers_503_in_json(client, monkeypatch):
    from app.api import views as api_views

    monkeypatch.setattr(api_views, "public_processes", _database_down)
    resp = client.get("/api/v1/processes")
    assert resp.status_code == 503
    assert resp.json["error"]["code"] == 503


def test_other_database_errors_are_not_passed_off_as_unavailability(client, make_vote, monkeypatch):
    vote = make_vote()

    def clash(*_args, **_kwargs):
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(voting_views, "get_by_slug", clash)
    with pytest.raises(IntegrityError):  # tests see the error; production renders the 500 page
        client.get(vote.url())


def test_sending_the_same_ballot_again_leaves_one_ballot(app, login, make_vote, outbox):
    """A browser (or a person) that sends the cast again, after an answer that never came, gets a
    clean confirmation, and the ballot is stored once, with the same choices and receipt."""
    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    choices = vote.ids()[:2]
    first = client.post(vote.url("cast"), data={"p": choices})
    again = client.post(vote.url("cast"), data={"p": choices})
    assert first.status_code == again.status_code == 302
    assert "changed=0" in first.headers["Location"] and "/done" in again.headers["Location"]
    assert client.get(again.headers["Location"]).status_code == 200
    with app.app_context():
        ballots = db.session.scalars(select(Ballot)).all()
        assert len(ballots) == 1
        stored = db.session.scalars(
            select(BallotChoice.project_id).where(BallotChoice.ballot_id == ballots[0].id)
        )
        assert sorted(stored) == sorted(choices)
    assert len(outbox) == 1  # the ballot sent again keeps its receipt, so no second e-mail


def test_an_answer_is_sent_even_if_the_database_goes_away_while_closing(client, make_vote, monkeypatch):
    """A restart just after the work was done (a committed ballot, a rendered page) must not turn a
    true answer into a 500."""
    from sqlalchemy.orm import Session

    vote = make_vote()
    closing = Session.close

    def close_on_a_dead_connection(self):
        closing(self)
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    resp = client.get(vote.url())
    assert resp.status_code == 200 and "<form" in resp.text
