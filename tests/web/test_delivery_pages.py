"""Delivery pages: public lists and the project page, officers' forms and queues, residents' offers,
reports, ratings and comments, and the open data API."""

import html
import re
from datetime import date, timedelta
from io import BytesIO

from sqlalchemy import func, select

from app.auth.models import Role
from app.core.audit import AuditEvent
from app.delivery.models import (
    DeliveryProject,
    DeliveryStatus,
    GroundReport,
    HelpOffer,
    OfferStatus,
    Rating,
    ReportStatus,
    Serves,
)
from app.extensions import db
from app.notifications.models import Notification
from app.processes.models import OutcomeRule, Phase, Process
from app.proposals.models import Follow
from app.results import services as results
from tests.factories import jpeg_bytes
from tests.factories_results import BUDGET, COSTS, VOTES
from tests.web.query_counter import count_queries

S = DeliveryStatus


def _text(resp) -> str:
    return html.unescape(resp.text)


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _record(app, record_id: int) -> DeliveryProject:
    with app.app_context():
        record = db.session.get(DeliveryProject, record_id)
        _ = record.milestones
        return record


# Public pages -----------------------------------------------------------------------------------


def test_the_city_wide_list_shows_status_progress_money_and_next_milestone(
    app, client, make_process, make_delivery
):
    riverside = make_process(Phase.DELIVERY)
    make_delivery(
        riverside,
        status=S.IN_PROGRESS,
        progress_percent=40,
        spent_cents=10_000_00,
        allocated_cents=40_000_00,
        project_fields={"title": "Shade trees"},
        milestones=(("Trees delivered", date.today() + timedelta(days=9), None),),
    )
    make_delivery(
        riverside, status=S.DELAYED, status_reason="Wet spring.", project_fields={"title": "Cycle lane"}
    )
    other = make_process(Phase.DELIVERY)
    make_delivery(
        other,
        status=S.COMPLETED,
        spent_cents=12_000_00,
        allocated_cents=10_000_00,
        project_fields={"title": "Orchard"},
    )
    page = _text(client.get("/delivery"))
    assert "3 funded projects" in page
    assert "Shade trees" in page and "Cycle lane" in page and "Orchard" in page
    assert '<progress class="meter" max="100" value="40"' in page and "40% done" in page
    assert "€10,000 spent of €40,000" in page and "Trees delivered" in page
    assert "Wet spring." in page and "over budget" in page
    assert "<script" not in page.split("</head>")[1]  # no script needed in the page itself
    only_delayed = _text(client.get("/delivery?status=delayed"))
    assert "Cycle lane" in only_delayed and "Shade trees" not in only_delayed
    by_process = _text(client.get(f"/delivery?budget={other.id}"))
    assert "Orchard" in by_process and "Cycle lane" not in by_process
    district = riverside.budgets[0].district_id
    assert "Orchard" not in _text(client.get(f"/delivery?district={district}"))
    assert client.get("/delivery?status=nonsense").status_code == 200  # a bad filter is ignored


def test_the_delivery_list_runs_the_same_number_of_queries_whatever_its_length(
    app, client, make_process, make_delivery
):
    process = make_process(Phase.DELIVERY)
    soon = (("Start", date(2030, 1, 1), None), ("End", date(2030, 6, 1), None))
    for _ in range(2):
        make_delivery(process, status=S.IN_PROGRESS, milestones=soon)
    few = count_queries(app, lambda: client.get("/delivery"))
    for _ in range(10):
        make_delivery(make_process(Phase.DELIVERY), status=S.IN_PROGRESS, milestones=soon)
    many = count_queries(app, lambda: client.get("/delivery"))
    assert many == few, (few, many)
    per_process = count_queries(app, lambda: client.get(f"/processes/{process.slug}/delivery"))
    for _ in range(5):
        make_delivery(process, milestones=soon)
    assert count_queries(app, lambda: client.get(f"/processes/{process.slug}/delivery")) == per_process


def test_the_dashboard_runs_the_same_number_of_queries_whatever_the_number_of_budgets(
    app, client, make_process, make_delivery
):
    make_delivery(make_process(Phase.DELIVERY), status=S.IN_PROGRESS)
    few = count_queries(app, lambda: client.get("/delivery/dashboard"))
    for _ in range(4):
        make_delivery(make_process(Phase.DELIVERY), status=S.IN_PROGRESS)
    assert count_queries(app, lambda: client.get("/delivery/dashboard")) == few


def test_the_process_page_has_headline_figures_and_drafts_are_hidden(
    app, client, make_process, make_delivery, make_rating
):
    process = make_process(Phase.DELIVERY)
    done = make_delivery(process, status=S.COMPLETED, ends_on=date(2026, 6, 1), completed_on=date(2026, 5, 1))
    make_delivery(process, status=S.IN_PROGRESS)
    make_rating(done, stars=4, serves=Serves.YES)
    page = _text(client.get(f"/processes/{process.slug}/delivery"))
    assert "Delivered" in page and "50%" in page and "1 of 2 projects" in page
    assert "4.0 / 5" in page and "100% say it serves them" in page and "Residents involved" in page
    dashboard = _text(client.get("/delivery/dashboard"))
    assert process.title in dashboard and "On time" in dashboard
    draft = make_process(Phase.DRAFT)
    hidden = make_delivery(draft)
    assert client.get(f"/processes/{draft.slug}/delivery").status_code == 404
    assert client.get(f"/delivery/projects/{hidden.project_id}").status_code == 404
    assert client.get("/delivery/projects/99999").status_code == 404


def test_publishing_results_shows_the_winners_on_delivery_pages_and_links_to_them(app, client, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    with app.test_request_context():
        process = db.session.get(Process, election.process.id)
        results.count_process(process, None)
        results.publish(process, None)
        db.session.commit()
    assert (
        f'href="/processes/{election.slug}/delivery"'
        in client.get(f"/processes/{election.slug}/results").text
    )
    assert "Follow delivery" in client.get(f"/processes/{election.slug}").text
    page = _text(client.get(f"/processes/{election.slug}/delivery"))
    assert "Project A" in page and "Planned" in page


def test_the_project_page_shows_the_timeline_ratings_and_helpers(
    app, client, make_delivery, make_offer, make_report, make_rating, make_user
):
    record = make_delivery(status=S.COMPLETED, milestones=(("Planted", date(2026, 3, 1), date(2026, 3, 2)),))
    make_offer(record, user=make_user(display_name="Rosa Resident"), status=OfferStatus.ACCEPTED)
    make_offer(record, status=OfferStatus.PENDING)
    make_report(record, status=ReportStatus.CONFIRMED, body="Saw the trees going in.")
    make_report(record, status=ReportStatus.PENDING, body="Secret pending report.")
    make_rating(record, stars=5, serves=Serves.YES)
    make_rating(record, stars=2, serves=Serves.NO)
    page = _text(client.get(f"/delivery/projects/{record.project_id}"))
    assert "Milestone reached: Planted" in page and "Funded: delivery is planned." in page
    assert "Saw the trees going in." in page and "Secret pending report." not in page
    assert "3.5 out of 5" in page and "2 ratings" in page and "Yes: 50%" in page
    assert "2 offers of help so far." in page and "<strong>Rosa</strong>: Water the new trees" in page
    assert "Sign in to follow and take part" in page


# Officers ---------------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    return {
        "status": "in_progress",
        "status_reason": "",
        "progress_percent": "40",
        "starts_on": "2026-03-01",
        "ends_on": "2026-09-30",
        "allocated": "48,000",
        "spent": "12000.50",
        **overrides,
    }


def test_bad_figures_come_back_at_their_fields_with_what_was_typed_and_nothing_saved(
    app, login, make_delivery
):
    record = make_delivery()
    client, _ = login(Role.OFFICER)
    url = f"/officer/delivery/projects/{record.id}"
    cases = [
        ({"spent": "-5"}, "spent", "The amount cannot be negative."),
        ({"progress_percent": "120"}, "progress_percent", "Give a percentage from 0 to 100."),
        ({"ends_on": "2026-02-01"}, "ends_on", "The end date cannot be before the start date."),
        ({"status": "delayed"}, "status_reason", "Say why, in a sentence residents will read."),
        ({"starts_on": "31/02/2026"}, "starts_on", "Enter a date like 2026-03-31."),
        ({"allocated": "lots"}, "allocated", "Enter an amount in numbers"),
    ]
    for overrides, field, message in cases:
        resp = client.post(url, data=_form(**overrides))
        page = _text(resp)
        assert resp.status_code == 400 and f'id="{field}-error"' in page and message in page, field
        typed = overrides.get(field, "48,000")
        assert f'value="{typed}"' in page or field == "status_reason"
    assert _record(app, record.id).progress_percent == 0
    assert _count(app, AuditEvent) == 0


def test_an_officer_updates_a_record_adds_milestones_and_sees_the_overdue_ones(app, login, make_delivery):
    record = make_delivery()
    client, officer = login(Role.OFFICER)
    resp = client.post(f"/officer/delivery/projects/{record.id}", data=_form(allocated="", spent="300"))
    assert resp.status_code == 302
    saved = _record(app, record.id)
    assert (saved.status, saved.progress_percent, saved.allocated_cents, saved.spent_cents) == (
        S.IN_PROGRESS,
        40,
        None,
        300_00,
    )
    assert (
        _count(app, AuditEvent, AuditEvent.action == "delivery.updated", AuditEvent.actor_id == officer.id)
        == 1
    )
    late = (date.today() - timedelta(days=5)).isoformat()
    resp = client.post(
        f"/officer/delivery/projects/{record.id}/milestones/new",
        data={"title": "Trees delivered", "due_on": late, "evidence_url": "not a link"},
    )
    assert resp.status_code == 400 and "Give a web address starting with https://" in _text(resp)
    assert (
        client.post(
            f"/officer/delivery/projects/{record.id}/milestones/new",
            data={"title": "Trees delivered", "due_on": late},
        ).status_code
        == 302
    )
    overview = _text(client.get(f"/officer/delivery/processes/{record.process_id}"))
    assert 'class="row-overdue"' in overview and "1 overdue" in overview
    assert "Overdue: was due" in _text(app.test_client().get(f"/delivery/projects/{record.project_id}"))
    assert "1 milestone is overdue." in _text(client.get("/officer/"))


def test_an_update_with_a_photo_reaches_followers(app, login, make_delivery, make_user):
    record = make_delivery(status=S.IN_PROGRESS)
    follower = make_user()
    with app.app_context():
        db.session.add(Follow(user_id=follower.id, project_id=record.project_id))
        db.session.commit()
    client, _ = login(Role.OFFICER)
    url = f"/officer/delivery/projects/{record.id}/updates/new"
    resp = client.post(url, data={"body": "", "photos": []}, content_type="multipart/form-data")
    assert resp.status_code == 400 and "Write what is new." in _text(resp)
    resp = client.post(
        url,
        data={
            "body": "The **trees** arrived <script>alert(1)</script>",
            "photos": [(BytesIO(jpeg_bytes()), "t.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "Remove the HTML code" in _text(resp)
    resp = client.post(
        url,
        data={"body": "The **trees** arrived.", "photos": [(BytesIO(jpeg_bytes()), "t.jpg")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    page = client.get(f"/delivery/projects/{record.project_id}").text
    assert "<strong>trees</strong>" in page and "-thumb.jpg" in page
    assert _count(app, Notification, Notification.user_id == follower.id) == 1


# Residents --------------------------------------------------------------------------------------


def test_a_resident_offers_help_and_hears_the_answer(app, login, make_delivery):
    record = make_delivery(status=S.IN_PROGRESS)
    resident_client, resident = login()
    url = f"/delivery/projects/{record.project_id}/offer"
    resp = resident_client.post(url, data={"what": "", "availability": "Sundays"})
    assert (
        resp.status_code == 400 and "Say what you can do." in _text(resp) and 'value="Sundays"' in resp.text
    )
    assert (
        resident_client.post(url, data={"what": "Water the trees", "availability": "Sundays"}).status_code
        == 302
    )
    assert _count(app, Follow, Follow.user_id == resident.id, Follow.project_id == record.project_id) == 1
    officer_client, _ = login(Role.OFFICER)
    queue = _text(officer_client.get("/officer/delivery/offers"))
    assert "Water the trees" in queue and "Sundays" in queue
    with app.app_context():
        offer_id = db.session.scalar(select(HelpOffer.id))
    field = f"offer-{offer_id}"
    resp = officer_client.post(
        f"/officer/delivery/offers/{offer_id}",
        data={f"{field}-decision": "coordinating", f"{field}-reply": ""},
    )
    assert resp.status_code == 400 and "Write your reply to the resident." in _text(resp)
    resp = officer_client.post(
        f"/officer/delivery/offers/{offer_id}",
        data={f"{field}-decision": "accepted", f"{field}-reply": "See you Sunday."},
    )
    assert resp.status_code == 302
    assert _count(app, Notification, Notification.user_id == resident.id) == 1
    page = _text(resident_client.get(f"/delivery/projects/{record.project_id}"))
    assert "Your offers of help" in page and "Accepted" in page and "See you Sunday." in page


def test_no_offer_on_a_finished_project(app, login, make_delivery):
    record = make_delivery(status=S.COMPLETED)
    client, _ = login()
    assert "it needs no more help" in _text(client.get(f"/delivery/projects/{record.project_id}/offer"))
    resp = client.post(
        f"/delivery/projects/{record.project_id}/offer", data={"what": "x", "availability": "y"}
    )
    assert resp.status_code == 400 and _count(app, HelpOffer) == 0


def test_a_report_with_a_photo_is_confirmed_onto_the_timeline(app, login, make_delivery):
    record = make_delivery(status=S.IN_PROGRESS)
    client, reporter = login()
    url = f"/delivery/projects/{record.project_id}/report"
    resp = client.post(url, data={"kind": "problem", "body": "Fence down", "latitude": "51.5"})
    assert resp.status_code == 400 and "Give both latitude and longitude, or neither." in _text(resp)
    resp = client.post(
        url,
        data={
            "kind": "problem",
            "body": "Fence down",
            "location": "By the gate",
            "photo": (BytesIO(jpeg_bytes()), "f.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    public = app.test_client()
    assert "Fence down" not in _text(public.get(f"/delivery/projects/{record.project_id}"))
    officer, _ = login(Role.OFFICER)
    with app.app_context():
        report_id = db.session.scalar(select(GroundReport.id))
    assert "Fence down" in _text(officer.get("/officer/delivery/reports"))
    assert (
        officer.post(
            f"/officer/delivery/reports/{report_id}", data={f"report-{report_id}-decision": "confirmed"}
        ).status_code
        == 302
    )
    page = _text(public.get(f"/delivery/projects/{record.project_id}"))
    assert "Report from a resident, confirmed" in page and "Fence down" in page and "By the gate" in page
    assert _count(app, Notification, Notification.user_id == reporter.id) == 1
    assert "Fence down" not in _text(officer.get("/officer/delivery/reports"))  # no longer waiting


def test_rating_once_completed_once_each_and_editable(app, login, make_delivery):
    planned = make_delivery()
    client, resident = login()
    resp = client.post(f"/delivery/projects/{planned.project_id}/rate", data={"stars": "5", "serves": "yes"})
    assert resp.status_code == 400 and "once it is finished" in _text(resp)
    record = make_delivery(status=S.COMPLETED)
    url = f"/delivery/projects/{record.project_id}/rate"
    resp = client.post(url, data={"stars": "9", "serves": "yes"})
    assert resp.status_code == 400 and 'id="stars-error"' in resp.text
    assert "How good is it? " in _text(resp) and "it?:" not in _text(resp)  # no colon after a question
    assert client.post(url, data={"stars": "4", "serves": "partly", "comment": "Nice."}).status_code == 302
    form = client.get(url).text
    assert re.search(r'<input checked[^>]*value="4"', form)
    assert re.search(r'<input checked[^>]*value="partly"', form)
    assert client.post(url, data={"stars": "2", "serves": "no"}).status_code == 302
    with app.app_context():
        rating = db.session.scalar(select(Rating).where(Rating.user_id == resident.id))
        assert (rating.stars, rating.serves) == (2, Serves.NO)
    assert _count(app, Rating) == 1
    assert "You gave it 2 stars." in _text(client.get(f"/delivery/projects/{record.project_id}"))


def test_follow_and_comment_on_a_funded_project(app, login, make_delivery):
    record = make_delivery(status=S.IN_PROGRESS)
    client, resident = login()
    base = f"/delivery/projects/{record.project_id}"
    assert client.post(f"{base}/follow").status_code == 302
    assert "Stop following" in client.get(base).text
    resp = client.post(f"{base}/comments", data={"body": ""})
    assert resp.status_code == 400 and "Write your comment." in _text(resp)
    resp = client.post(f"{base}/comments", data={"body": "When will the benches come?"})
    assert resp.status_code == 302 and resp.headers["Location"].startswith(base)
    page = _text(client.get(base))
    assert "When will the benches come?" in page and "Comments (1)" in page.replace(
        '<span class="muted">', ""
    ).replace("</span>", "")
    assert client.post(f"{base}/unfollow").status_code == 302
    assert _count(app, Follow, Follow.user_id == resident.id) == 0


def test_resident_posts_are_rate_limited(app, login, make_delivery):
    record = make_delivery(status=S.IN_PROGRESS)
    client, _ = login()
    url = f"/delivery/projects/{record.project_id}/offer"
    codes = [
        client.post(url, data={"what": f"Help {n}", "availability": "Any"}).status_code for n in range(21)
    ]
    assert codes[:20] == [302] * 20 and codes[20] == 429


# Open data --------------------------------------------------------------------------------------


def test_the_api_lists_delivery_with_paging_and_filters(app, client, make_process, make_delivery):
    process = make_process(Phase.DELIVERY)
    first = make_delivery(
        process, status=S.IN_PROGRESS, progress_percent=30, milestones=(("Dig", date(2030, 1, 1), None),)
    )
    make_delivery(process, status=S.COMPLETED)
    body = client.get(f"/api/v1/processes/{process.slug}/delivery?per_page=1").get_json()
    assert body["meta"] == {"page": 1, "per_page": 1, "total": 2} and body["links"]["next"]
    item = body["data"][0]
    assert item["project_id"] == first.project_id and item["status"] == "in_progress"
    assert item["progress_percent"] == 30 and item["next_milestone"]["title"] == "Dig"
    assert item["allocated_cents"] == first.allocated_cents
    done = client.get(f"/api/v1/processes/{process.slug}/delivery?status=completed").get_json()
    assert [d["status"] for d in done["data"]] == ["completed"]
    assert client.get(f"/api/v1/processes/{process.slug}/delivery?status=late").status_code == 400
    assert client.get("/api/v1/processes/nope/delivery").status_code == 404
    district = process.budgets[0].district.slug
    assert (
        client.get(f"/api/v1/processes/{process.slug}/delivery?district={district}").get_json()["meta"][
            "total"
        ]
        == 2
    )


def test_the_api_gives_one_record_with_its_history_and_the_openapi_document_describes_it(
    app, client, make_delivery, make_rating, make_report
):
    record = make_delivery(status=S.COMPLETED, milestones=(("Planted", date(2026, 3, 1), date(2026, 3, 2)),))
    make_rating(record, stars=5)
    make_report(record, status=ReportStatus.CONFIRMED, body="All done.")
    body = client.get(f"/api/v1/delivery/projects/{record.project_id}").get_json()
    assert body["status"] == "completed" and body["milestones"][0]["done_on"] == "2026-03-02"
    assert (
        body["history"][0]["to_status"] == "completed" and body["confirmed_reports"][0]["text"] == "All done."
    )
    assert body["ratings"] == {"count": 1, "average_stars": 5.0, "serves": {"yes": 1, "partly": 0, "no": 0}}
    assert client.get("/api/v1/delivery/projects/99999").status_code == 404
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/processes/{slug}/delivery" in paths and "/api/v1/delivery/projects/{project_id}" in paths
