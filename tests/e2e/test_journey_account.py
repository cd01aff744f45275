"""A new resident registers on a phone, confirms the e-mail, signs in; the admin makes them an officer."""

import re

import pytest

from app.auth.models import Role
from tests.conftest import PASSWORD, link_in
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def test_register_verify_sign_in_and_promotion(live_server, phone, outbox, make_user, browser):
    page = phone
    page.goto(live_server + "/")
    page.shot("home")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Name shown to others").fill("Lucia")
    page.get_by_label("Email").fill("lucia@example.org")
    page.get_by_label("Password", exact=True).fill("a fine long password")
    page.get_by_label("Repeat password").fill("a fine long password")
    page.shot("register-filled")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    page.shot("check-email")

    page.goto(live_server + link_in(outbox[-1], "/verify/"))
    page.get_by_text("your email address is confirmed").wait_for()
    page.get_by_label("Password").fill("a fine long password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Lucia").wait_for()
    page.shot("signed-in")

    make_user(Role.ADMIN, email="ada@example.org")
    admin = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    admin.goto(live_server + "/login")
    admin.get_by_label("Email").fill("ada@example.org")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.goto(live_server + "/admin/users?q=lucia")
    admin.get_by_role("link", name="Lucia").click()
    admin.get_by_label("Role").select_option("officer")
    admin.get_by_role("button", name="Change role").click()
    admin.get_by_text("Lucia is now: officer.").wait_for()
    admin.goto(live_server + "/admin/audit")
    assert re.search(r"role: resident → officer", admin.content())
    admin.screenshot(path=str(ARTIFACTS / "test_register_verify_sign_in_and_promotion" / "99-audit.png"))
