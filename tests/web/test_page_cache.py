"""Public pages kept rendered for people not signed in (app/core/pagecache.py): what is shared, what
never is, and that a change made through the app shows at once."""

import re

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.config import TestConfig
from app.extensions import db
from app.processes.models import Phase, Process
from app.voting.models import BallotDraft

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _rename_behind_the_apps_back(app, process_id: int, title: str) -> None:
    """Change a row without the app knowing (as another program would): only the expiry shows it."""
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.update(Process.__table__).where(Process.id == process_id).values(title=title))


@pytest.fixture
def cache(app):
    return app.extensions["page_cache"]


def test_an_anonymous_page_is_served_again_until_it_expires(app, client, cache, make_process):
    process = make_process(Phase.PROPOSALS)
    path, title = f"/processes/{process.slug}", process.title
    now = [1000.0]
    cache.clock = lambda: now[0]
    assert title in client.get(path).text
    _rename_behind_the_apps_back(app, process.id, "Renamed quietly")
    assert title in app.test_client().get(path).text  # the stored page
    now[0] += cache.seconds - 1
    assert title in client.get(path).text
    now[0] += 2
    page = client.get(path).text
    assert "Renamed quietly" in page and title not in page


def test_a_change_through_the_app_shows_at_once(app, client, login, make_process, make_proposal):
    process = make_process(Phase.PROPOSALS)
    proposal = make_proposal(process, title="Shade trees")
    listing, page = f"/processes/{process.slug}/proposals", f"/proposals/{proposal.id}"
    assert "0 supports" in client.get(page).text and "0 supports" in client.get(listing).text
    resident, _user = login(Role.RESIDENT)
    assert resident.post(f"/proposals/{proposal.id}/support").status_code == 302
    assert "1 support" in client.get(page).text
    assert "1 support" in client.get(listing).text
    make_proposal(process, title="A new fountain")  # a new row, committed by the ORM
    assert "A new fountain" in client.get(listing).text


def test_ballots_and_drafts_leave_the_stored_pages_alone(app, cache, make_process):
    """Voting day writes ballots and drafts all the time; no public page shows them."""
    process = make_process(Phase.VOTING)
    with app.app_context():
        before = cache.version()
        district_id = process.budgets[0].district_id
        db.session.add(BallotDraft(id="t" * 22, process_id=process.id, district_id=district_id, choices={}))
        db.session.commit()
        assert cache.version() == before
        db.session.execute(sa.delete(BallotDraft))
        db.session.commit()
        assert cache.version() == before
        db.session.execute(sa.update(Process).where(Process.id == process.id).values(title="Changed"))
        db.session.commit()
        assert cache.version() != before


def test_a_cast_and_its_receipt_leave_the_stored_pages_alone(app, cache, login, make_vote, outbox):
    """The cast writes the ballot, its choices and its queued receipt; the send after the answer
    marks the receipt sent. None of it is on a public page."""
    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    with app.app_context():
        before = cache.version()
    assert client.post(vote.url("cast"), data={"p": [vote.ids()[0]]}).status_code == 302
    assert len(outbox) == 1
    with app.app_context():
        assert cache.version() == before


def test_a_rolled_back_change_does_not_move_the_version(app, cache, make_process):
    process = make_process(Phase.PROPOSALS)
    with app.app_context():
        before = cache.version()
        db.session.get(Process, process.id).title = "Never saved"
        db.session.flush()
        db.session.rollback()
        db.session.execute(sa.select(1))
        db.session.commit()
        assert cache.version() == before


def test_signed_in_pages_are_never_shared(app, client, login, make_process):
    process = make_process(Phase.PROPOSALS)
    path = f"/processes/{process.slug}"
    anonymous = client.get(path).text
    assert "Sign in" in anonymous
    resident, _user = login(Role.RESIDENT, display_name="Ada Lovelace")
    mine = resident.get(path).text
    assert "Ada Lovelace" in mine and "Sign out" in mine
    assert "Ada Lovelace" not in client.get(path).text
    assert "Ada Lovelace" not in app.test_client().get(path).text


def test_a_flashed_message_is_shown_once_and_not_stored(app, client, make_process):
    process = make_process(Phase.PROPOSALS)
    path = f"/processes/{process.slug}"
    client.get(path)  # stored
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Only for this visitor")]
    assert "Only for this visitor" in client.get(path).text
    assert "Only for this visitor" not in client.get(path).text
    assert "Only for this visitor" not in app.test_client().get(path).text


def test_languages_are_kept_apart(client, make_process):
    process = make_process(Phase.PROPOSALS)
    path = f"/processes/{process.slug}"
    english = client.get(path, headers={"Accept-Language": "en"})
    spanish = client.get(path, headers={"Accept-Language": "es"})
    assert '<html lang="en">' in english.text and '<html lang="es">' in spanish.text
    assert '<html lang="es">' in client.get(path, headers={"Accept-Language": "es"}).text
    assert '<html lang="en">' in client.get(path, headers={"Accept-Language": "en"}).text


def test_headers_say_private_and_what_the_page_varies_on(client, make_process):
    process = make_process(Phase.PROPOSALS)
    path = f"/processes/{process.slug}/proposals"
    for response in (client.get(path), client.get(path)):  # rendered, then stored
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-cache"
        assert {"Cookie", "Accept-Language", "Accept-Encoding"} <= set(response.vary)


class CsrfConfig(TestConfig):
    WTF_CSRF_ENABLED = True


class TestWithCsrf:
    """Each visitor gets a page with their own CSRF token, which works for their own session only."""

    @pytest.fixture
    def app_config(self):
        return CsrfConfig

    def test_each_visitor_gets_their_own_working_token(self, app, make_process):
        process = make_process(Phase.PROPOSALS)
        path = f"/processes/{process.slug}/proposals"
        first, second = app.test_client(), app.test_client()
        one, two = first.get(path), second.get(path)  # rendered, then served from the cache
        assert len(app.extensions["page_cache"]) == 1
        token_one, token_two = CSRF.search(one.text).group(1), CSRF.search(two.text).group(1)
        assert token_one != token_two
        assert second.get_cookie("session") is not None
        assert second.post("/language", data={"lang": "es", "csrf_token": token_one}).status_code == 400
        assert second.post("/language", data={"lang": "es", "csrf_token": token_two}).status_code == 302
        assert first.post("/language", data={"lang": "es", "csrf_token": token_one}).status_code == 302
