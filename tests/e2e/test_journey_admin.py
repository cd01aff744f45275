"""An administrator opens voting on a phone; residents then see the vote on the process page."""

import pytest

from app.auth.models import Role
from app.processes.models import Phase
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_opens_voting(live_server, phone, make_user, make_process, make_project):
    process = make_process(Phase.REVIEW)
    make_project(process, title="Shade trees on the square")
    make_user(Role.ADMIN, email="ada@example.org")
    page = phone
    _sign_in(page, live_server, "ada@example.org")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Processes").first.click()
    page.get_by_role("link", name=process.title).click()
    page.shot("process-admin")
    page.get_by_label("Move to phase").select_option("voting")
    page.get_by_label("Note for the record").fill("Ballot checked by the committee.")
    page.once("dialog", lambda dialog: dialog.accept())  # the confirm step added by app.js
    page.get_by_role("button", name="Change phase").click()
    page.get_by_text("The process is now in the “Voting” phase.").wait_for()
    page.shot("voting-open")
    page.goto(f"{live_server}/processes/{process.slug}")
    page.get_by_role("link", name="Vote now").wait_for()
    page.shot("public-vote-panel")
    page.goto(live_server + "/admin/audit?action=process.phase")
    assert "review → voting" in page.content() and "Ballot checked by the committee." in page.content()
