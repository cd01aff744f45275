"""On a 360 px phone: a resident proposes a project with a photo and comments on it; an officer hides a
reported comment, and once the review phase starts, accepts the proposal onto the ballot."""

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.processes.models import Phase, Process, Project
from app.processes.phase_changes import change_phase
from app.proposals.models import Comment, Flag, FlagReason
from tests.conftest import PASSWORD
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.e2e
SMALL_PHONE = {"width": 360, "height": 740}


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out")).wait_for()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"], page.url


def test_propose_comment_moderate_and_accept(app, live_server, phone, browser, make_user, make_process):
    process = make_process(Phase.PROPOSALS)
    make_user(email="rosa@example.org", display_name="Rosa")
    reporter = make_user()
    make_user(Role.OFFICER, email="omar@example.org", display_name="Omar")
    make_user(Role.ADMIN, email="ada@example.org")
    page = phone
    page.set_viewport_size(SMALL_PHONE)

    sign_in(page, live_server, "rosa@example.org")
    page.goto(f"{live_server}/processes/{process.slug}")
    page.get_by_role("link", name="Propose a project").click()
    page.get_by_label("Title").fill("Benches along the river")
    page.get_by_role("button", name="Publish").or_(page.locator("input[name=publish]")).click()
    page.get_by_text("Please check the form").wait_for()
    page.shot("form-errors")
    no_sideways_scroll(page)
    page.get_by_label("One-line summary").fill("Six benches between the bridges")
    page.get_by_label("Description").fill("There is **nowhere to sit** on the whole path.")
    page.get_by_label("Estimated cost").fill("12,000")
    page.get_by_label("District").select_option(index=1)
    page.get_by_label("Address or place").fill("River path")
    page.get_by_label("Photos").set_input_files(
        [{"name": "bench.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.shot("form-filled")
    page.locator("input[name=publish]").click()
    page.get_by_text("Your proposal is published.").wait_for()
    assert page.locator(".photos img").count() == 1
    page.shot("published")
    no_sideways_scroll(page)

    page.get_by_label("Your comment").fill("I can help choose the spots.")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted.").wait_for()
    page.shot("commented")

    with app.app_context():
        comment = db.session.scalar(select(Comment))
        db.session.add(Flag(reporter_id=reporter.id, comment_id=comment.id, reason=FlagReason.OFF_TOPIC))
        db.session.commit()

    officer = browser.new_context(viewport=SMALL_PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(officer, live_server, "omar@example.org")
    officer.get_by_role("link", name="Officer").click()
    officer.get_by_role("link", name="Moderation queue").click()
    officer.get_by_text("I can help choose the spots.").wait_for()
    officer.screenshot(path=str(page_folder(page) / "90-officer-moderation.png"), full_page=True)
    officer.get_by_label("Public reason for hiding").fill("Test of the moderation tools.")
    officer.get_by_role("button", name="Hide").click()
    officer.get_by_text("Nothing to look at").wait_for()

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
        change_phase(db.session.get(Process, process.id), Phase.REVIEW, admin)
        db.session.commit()

    officer.goto(live_server + "/officer/")
    officer.get_by_role("link", name=f"Review queue: {process.title}").click()
    officer.get_by_role("link", name="Benches along the river").click()
    officer.get_by_label("Official cost").fill("13,500")
    officer.get_by_label("Feasibility note").fill("Parks agree; two benches need new paving.")
    officer.screenshot(path=str(page_folder(page) / "91-officer-review.png"), full_page=True)
    assert officer.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    officer.get_by_role("button", name="Accept").click()
    officer.get_by_text("The decision is recorded and published.").wait_for()

    page.reload()
    page.get_by_text("On the ballot").first.wait_for()
    assert "Hidden by the moderators" in page.content() and "Parks agree" in page.content()
    page.shot("accepted")
    page.goto(live_server + "/notifications")
    page.get_by_text("is accepted onto the ballot").wait_for()
    page.shot("notifications")
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project.cost_cents == 1_350_000 and project.image_id is not None


def page_folder(page):
    from tests.e2e.conftest import ARTIFACTS

    return ARTIFACTS / "test_propose_comment_moderate_and_accept"
