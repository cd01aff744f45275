"""Delivery on a phone: a resident follows a funded project, offers help and rates a finished one; a
visitor finds the delivery pages from the published results."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from app.core.images import store_image
from app.delivery.models import DeliveryStatus, HelpOffer, Rating
from app.demo.voting_images import illustration
from app.extensions import db
from app.processes.models import OutcomeRule, Phase, Process, Project
from app.results import services as results
from tests.conftest import PASSWORD
from tests.factories_results import BUDGET, COSTS, VOTES

pytestmark = pytest.mark.e2e


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def _picture(app, project_id: int, scene: str) -> None:
    with app.app_context(), app.test_request_context():
        project = db.session.get(Project, project_id)
        project.image_id = store_image(BytesIO(illustration(scene, project.title)), uploader_id=None).id
        db.session.commit()


def test_a_resident_offers_help_and_rates_a_finished_project(
    app, live_server, phone, make_process, make_delivery, make_user
):
    process = make_process(Phase.DELIVERY)
    soon = date.today() + timedelta(days=12)
    trees = make_delivery(
        process,
        status=DeliveryStatus.IN_PROGRESS,
        progress_percent=45,
        spent_cents=20_000_00,
        project_fields={"title": "Shade trees on the square", "summary": "Twelve trees and benches."},
        milestones=(("Trees delivered", soon, None),),
    )
    orchard = make_delivery(
        process,
        status=DeliveryStatus.COMPLETED,
        spent_cents=9_500_00,
        project_fields={"title": "Orchard on the allotments"},
    )
    _picture(app, trees.project_id, "parks")
    resident = make_user(email="rosa@example.org", display_name="Rosa")
    page = phone
    sign_in(page, live_server, "rosa@example.org")
    page.get_by_role("link", name="Delivery", exact=True).click()
    page.get_by_role("heading", name="Delivery of funded projects").wait_for()
    page.shot("delivery-list")
    page.get_by_role("link", name="Shade trees on the square").click()
    page.get_by_text("45% done").wait_for()
    page.shot("project")
    page.get_by_role("link", name="Offer help").click()
    page.get_by_role("button", name="Send my offer").click()
    page.get_by_text("Say what you can do.").first.wait_for()
    page.shot("offer-error")
    page.get_by_label("What you can do").fill("I can water the new trees in the evenings.")
    page.get_by_label("When you are free").fill("Weekday evenings in May")
    page.get_by_role("button", name="Send my offer").click()
    page.get_by_text("Council officers will answer your offer soon").wait_for()
    page.get_by_role("button", name="Stop following").wait_for()  # offering help follows the project
    page.shot("offer-sent")

    page.goto(f"{live_server}/delivery/projects/{orchard.project_id}")
    page.get_by_role("link", name="Rate this project").click()
    page.get_by_label("4 stars: good").check()
    page.get_by_label("Partly").check()
    page.get_by_label("Comment (optional)").fill("Lovely, but it needs a bench.")
    page.shot("rating-form")
    page.get_by_role("button", name="Save my rating").click()
    page.get_by_text("Thank you for your rating.").wait_for()
    page.get_by_text("You gave it 4 stars.").wait_for()
    page.shot("rated")
    with app.app_context():
        offer = db.session.scalar(select(HelpOffer).where(HelpOffer.user_id == resident.id))
        rating = db.session.scalar(select(Rating).where(Rating.user_id == resident.id))
        assert offer.availability == "Weekday evenings in May" and offer.delivery_id == trees.id
        assert (rating.stars, rating.delivery_id) == (4, orchard.id)


def test_a_visitor_follows_delivery_from_the_published_results(app, live_server, phone, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    with app.app_context(), app.test_request_context():
        process = db.session.get(Process, election.process.id)
        process.phase = Phase.DELIVERY
        results.count_process(process, None)
        results.publish(process, None)
        db.session.commit()
    page = phone
    page.goto(f"{live_server}/processes/{election.slug}/results")
    page.get_by_role("link", name="Follow delivery").first.click()
    page.get_by_role("heading", name=f"Delivery: {election.process.title}").wait_for()
    page.shot("process-delivery")
    page.get_by_role("link", name="Project A").click()
    page.get_by_text("Funded: delivery is planned.").wait_for()
    page.shot("delivery-project")
    page.goto(f"{live_server}/delivery/dashboard")
    page.get_by_role("heading", name="Delivery in figures").wait_for()
    page.shot("dashboard")
