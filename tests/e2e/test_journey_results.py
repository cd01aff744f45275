"""An administrator counts and publishes results on a phone; the public sees them with no account."""

import pytest

from app.auth.models import Role
from tests.conftest import PASSWORD
from tests.factories_results import BUDGET, COSTS, VOTES

pytestmark = pytest.mark.e2e


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_publishes_results_and_the_public_sees_them(live_server, phone, make_user, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET)
    make_user(Role.ADMIN, email="ada@example.org")
    page = phone
    _sign_in(page, live_server, "ada@example.org")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Processes").first.click()
    page.get_by_role("link", name=election.process.title).click()
    page.get_by_role("link", name="Count and publish results").click()
    page.get_by_role("button", name="Count the votes now").click()
    page.get_by_role("heading", name="Preview (not public)").wait_for()
    page.shot("results-preview")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish these results").click()
    page.wait_for_url(f"**/processes/{election.slug}/results")
    page.shot("results-published")

    page.context.clear_cookies()  # the public, with no account
    page.goto(f"{live_server}/processes/{election.slug}/results")
    page.shot("public-results")
    funded = page.locator("li", has=page.get_by_text("Funded", exact=True))
    assert funded.get_by_role("heading").all_inner_texts() == ["D Project D"]  # code, then title
    assert "What counting by votes alone would have changed" in page.content()
    assert election.process.title in page.content()
