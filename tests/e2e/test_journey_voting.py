"""Voting on a phone: a resident votes with each ballot type and changes the vote; a visitor votes
with a voter code after choosing; the whole ballot works with the keyboard alone."""

import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.core.images import store_image
from app.demo.voting_images import illustration
from app.extensions import db
from app.processes.models import BallotType, Project
from app.voting.models import Ballot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

TITLES = ["Shade trees on the square", "Safe school crossing", "Repair the bandstand", "Covered bike parking"]
SCENES = ["parks", "streets", "culture", "streets"]


@pytest.fixture
def pictured_vote(app, make_vote):
    """A voting process whose four projects have titles, summaries and pictures."""

    def _make(ballot_type, **fields):
        vote = make_vote(ballot_type, costs=[[48_000_00, 36_000_00, 85_000_00, 27_000_00]], **fields)
        with app.app_context(), app.test_request_context():
            for project_id, title, scene in zip(vote.ids(), TITLES, SCENES, strict=True):
                project = db.session.get(Project, project_id)
                project.title, project.summary = (
                    title,
                    f"{title}: what residents asked for, costed by officers.",
                )
                project.image_id = store_image(BytesIO(illustration(scene, title)), uploader_id=None).id
            db.session.commit()
        return vote

    return _make


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out")).wait_for()


def card(page, title: str):
    return page.locator(".vote-card", has_text=title)


def bar(page) -> str:
    return page.locator("#ballot-total").inner_text()


CASES = {
    BallotType.APPROVAL: {},
    BallotType.K_APPROVAL: {"max_choices": 2},
    BallotType.KNAPSACK: {},
    BallotType.CUMULATIVE: {"total_points": 5, "max_points_per_project": 3},
}


@pytest.mark.parametrize("ballot_type", list(CASES), ids=[t.value for t in CASES])
def test_a_resident_votes_and_changes_the_vote(
    app, live_server, phone, make_user, pictured_vote, ballot_type
):
    vote = pictured_vote(ballot_type, **CASES[ballot_type])
    make_user(email="rosa@example.org", display_name="Rosa")
    page = phone
    sign_in(page, live_server, "rosa@example.org")
    page.goto(f"{live_server}/processes/{vote.slug}")
    page.get_by_role("link", name="Vote now").click()
    page.get_by_role("link", name=re.compile("^Vote in")).click()
    page.shot("ballot")
    choose = {
        BallotType.APPROVAL: lambda: _tick(
            page, TITLES[0], TITLES[2], TITLES[3], expect="Projects chosen: 3"
        ),
        BallotType.K_APPROVAL: lambda: _k_approval(page),
        BallotType.KNAPSACK: lambda: _knapsack(page),
        BallotType.CUMULATIVE: lambda: _cumulative(page),
    }[ballot_type]
    choose()
    page.shot("chosen")
    page.get_by_role("button", name="Review my vote").click()
    page.get_by_role("heading", name=re.compile("Check your vote")).wait_for()
    page.shot("review")
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_role("heading", name="Thank you, your vote is recorded").wait_for()
    receipt = page.locator("#receipt").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt)
    page.shot("done")

    page.get_by_role("link", name="Change my vote").click()
    if ballot_type == BallotType.CUMULATIVE:
        page.get_by_role("button", name=f"One point less: {TITLES[0]}").click()
    else:
        card(page, TITLES[0]).locator("label").click()  # untick the first one
    page.get_by_role("button", name="Review my vote").click()
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_role("heading", name="Your vote is changed").wait_for()
    assert page.locator("#receipt").inner_text() != receipt
    page.shot("changed")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1


def _tick(page, *titles, expect: str) -> None:
    for title in titles:
        card(page, title).locator("label").click()
    assert bar(page) == expect


def _k_approval(page) -> None:
    _tick(page, TITLES[0], TITLES[1], expect="Projects chosen: 2 of 2")
    card(page, TITLES[2]).locator("label").click()
    assert bar(page) == "Projects chosen: 3 of 2"
    warning = "You can choose up to 2 projects. Untick one to choose this one."
    assert page.locator("#ballot-warning").inner_text() == warning
    page.shot("too-many")
    card(page, TITLES[2]).locator("label").click()
    assert page.locator("#ballot-warning").inner_text() == ""


def _knapsack(page) -> None:
    assert bar(page) == "€100,000 left of €100,000"
    _tick(page, TITLES[0], TITLES[1], expect="€16,000 left of €100,000")
    page.shot("hint")
    assert "You have €16,000 left; this project costs €85,000." in card(page, TITLES[2]).inner_text()
    card(page, TITLES[2]).locator("label").click()
    assert (
        page.locator("#ballot-warning").inner_text() == "You have €16,000 left; this project costs €85,000."
    )
    assert bar(page) == "€69,000 over the budget of €100,000"
    page.shot("over-budget")
    card(page, TITLES[2]).locator("label").click()
    page.reload()  # the ballot in progress survives a reload (kept on the device, not in the address)
    assert bar(page) == "€16,000 left of €100,000" and "?" not in page.url
    page.get_by_text("We brought back the choices you made on this device").wait_for()
    page.shot("restored-after-reload")
    assert card(page, TITLES[0]).locator("input").is_checked()


def _cumulative(page) -> None:
    assert bar(page) == "Points left: 5 of 5"
    plus = page.get_by_role("button", name=f"One point more: {TITLES[0]}")
    for _ in range(3):
        plus.click()
    page.get_by_role("button", name=f"One point more: {TITLES[1]}").click()
    assert bar(page) == "Points left: 1 of 5"
    page.get_by_role("spinbutton", name=re.compile(TITLES[2])).fill("2")
    assert bar(page) == "Too many points: 6 of 5"
    assert (
        page.locator("#ballot-warning").inner_text()
        == "You have 5 points in all. Take some from another project first."
    )
    page.shot("too-many-points")
    page.get_by_role("spinbutton", name=re.compile(TITLES[2])).fill("1")
    assert bar(page) == "Points left: 0 of 5"


def test_a_visitor_chooses_then_votes_with_a_voter_code(app, live_server, phone, pictured_vote, make_codes):
    vote = pictured_vote(BallotType.APPROVAL, allow_codes=True)
    code = make_codes(vote.id, 1)[0]
    page = phone
    page.goto(f"{live_server}/processes/{vote.slug}/vote")
    page.shot("ways-to-vote")
    page.get_by_role("link", name=re.compile("^Projects in")).click()
    card(page, TITLES[1]).locator("label").click()
    page.get_by_role("button", name="Review my vote").click()
    page.shot("review-anonymous")
    page.get_by_label("Your voter code").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="Use my code").click()
    page.get_by_text("Your code works").wait_for()
    assert TITLES[1] in page.locator(".choice-list").inner_text()  # the choices came along
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_role("heading", name="Thank you, your vote is recorded").wait_for()
    page.shot("done-with-code")
    page.get_by_role("button", name="Finish").click()
    page.get_by_text("no longer holds your voter pass").wait_for()
    page.get_by_label("Your voter code").fill(code)
    page.get_by_role("button", name="Use my code").click()
    page.get_by_text("already been used").wait_for()


def test_voting_with_the_keyboard_alone(app, live_server, browser, make_user, pictured_vote):
    vote = pictured_vote(BallotType.KNAPSACK)
    make_user(email="keys@example.org")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server, "keys@example.org")
        page.goto(vote_url := f"{live_server}/processes/{vote.slug}/ballot/{vote.district}")
        focused = _tab_to(page, lambda el: el.get("type") == "checkbox")
        page.keyboard.press("Space")
        first = focused["value"]
        _tab_to(page, lambda el: el.get("type") == "checkbox" and el.get("value") != first)
        page.keyboard.press("Space")
        assert "left of €100,000" in bar(page)
        _tab_to(page, lambda el: el.get("text") == "Review my vote")
        page.screenshot(path=str(_artifact("keyboard-focus-review.png")))
        page.keyboard.press("Enter")
        page.get_by_role("heading", name=re.compile("Check your vote")).wait_for()
        _tab_to(page, lambda el: el.get("text") == "Cast my vote")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Thank you, your vote is recorded").wait_for()
        page.screenshot(path=str(_artifact("keyboard-done.png")), full_page=True)
        assert vote_url
        with app.app_context():
            assert len(db.session.scalar(select(Ballot)).choices) == 2
    finally:
        context.close()


def _tab_to(page, wanted, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = page.evaluate(
            "() => { const e = document.activeElement;"
            " return {type: e.type || '', value: e.value || '', text: (e.innerText || '').trim()}; }"
        )
        if wanted(element):
            return element
    raise AssertionError("never reached the element with the Tab key")


def _artifact(name: str):
    from tests.e2e.conftest import ARTIFACTS

    folder = ARTIFACTS / "test_voting_with_the_keyboard_alone"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


__all__ = ["Role"]
