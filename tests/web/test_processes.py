"""Process pages: the admin creates, edits and moves a process; the public sees it."""

from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.processes.models import Phase, Process, Project


def _form(district_id, **overrides):
    data = {
        "title": "Riverside 2027",
        "slug": "",
        "summary": "Parks and streets",
        "description": "**Hello**",
        "currency": "EUR",
        "ballot_type": "approval",
        "min_choices": "1",
        "rule": "mes-add1",
        "allow_accounts": "y",
        f"budget_{district_id}": "250,000",
        "voting_start": "2027-03-01T09:00",
        "voting_end": "2027-03-15T20:00",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_process_with_budgets_and_city_time_dates(app, login, make_district):
    client, _ = login(Role.ADMIN)
    district = make_district("Old Town")
    resp = client.post("/admin/processes/new", data=_form(district.id))
    assert resp.status_code == 302, resp.text
    with app.app_context():
        process = db.session.scalar(select(Process))
        assert process.slug == "riverside-2027" and process.total_budget_cents == 25_000_000
        # 20:00 in London in March (GMT) is 20:00 UTC
        assert process.dates(Phase.VOTING).ends_at.isoformat() == "2027-03-15T20:00:00+00:00"
    page = client.get(f"/admin/processes/{process.id}/edit").text
    assert 'value="2027-03-15T20:00"' in page and 'value="25000000"' not in page and 'value="250000"' in page


def test_bad_process_input_is_explained_and_kept(app, login, make_district):
    client, _ = login(Role.ADMIN)
    district = make_district()
    resp = client.post(
        "/admin/processes/new",
        data=_form(
            district.id,
            slug="Not A Slug!",
            ballot_type="k_approval",
            **{f"budget_{district.id}": "lots"},
            voting_end="2027-02-01T00:00",
        ),
    )
    assert resp.status_code == 200
    for field in ("slug", "max_choices", f"budget_{district.id}", "voting_end"):
        assert f'id="{field}-error"' in resp.text, field
    assert 'value="Riverside 2027"' in resp.text
    with app.app_context():
        assert db.session.scalar(select(Process)) is None


def test_a_process_needs_a_budget(login, make_district):
    client, _ = login(Role.ADMIN)
    district = make_district()
    resp = client.post("/admin/processes/new", data=_form(district.id, **{f"budget_{district.id}": ""}))
    assert "Give at least one district a budget." in resp.text


def test_phase_change_from_the_admin_page(app, login, make_process):
    client, _ = login(Role.ADMIN)
    process = make_process(Phase.DRAFT)
    resp = client.post(f"/admin/processes/{process.id}/phase", data={"phase": "proposals"})
    assert resp.status_code == 302
    resp = client.post(f"/admin/processes/{process.id}/phase", data={"phase": "voting"})
    assert resp.status_code == 400 and "no projects on the ballot" in resp.text
    with app.app_context():
        assert db.session.get(Process, process.id).phase == Phase.PROPOSALS


def test_admin_adds_edits_and_removes_a_project(app, login, make_process):
    client, _ = login(Role.ADMIN)
    process = make_process(Phase.REVIEW)
    district_id = process.budgets[0].district_id
    data = {"title": "New benches", "district_id": district_id, "cost": "12,000"}
    assert client.post(f"/admin/processes/{process.id}/projects/new", data=data).status_code == 302
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert (project.code, project.cost_cents) == ("P1", 1_200_000)
    resp = client.post(f"/admin/processes/{process.id}/projects/{project.id}", data={**data, "cost": "0"})
    assert "The cost must be more than zero." in resp.text
    resp = client.post(f"/admin/processes/{process.id}/projects/{project.id}/delete")
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Project)) is None


def test_a_project_of_another_process_is_not_found(login, make_process, make_project):
    client, _ = login(Role.ADMIN)
    one, other = make_process(), make_process()
    project = make_project(other)
    assert client.get(f"/admin/processes/{one.id}/projects/{project.id}").status_code == 404


def test_public_pages_hide_drafts(client, make_process):
    shown, draft = make_process(Phase.VOTING), make_process(Phase.DRAFT)
    listing = client.get("/processes").text
    assert shown.title in listing and draft.title not in listing
    assert client.get(f"/processes/{draft.slug}").status_code == 404
    page = client.get(f"/processes/{shown.slug}").text
    assert 'aria-current="step"' in page and "€100,000" in page


def test_process_description_is_sanitised(app, client, make_process):
    process = make_process(Phase.PROPOSALS, description="<script>alert(1)</script> **bold**")
    page = client.get(f"/processes/{process.slug}").text
    assert "<script>alert" not in page and "<strong>bold</strong>" in page


def test_process_list_query_count_does_not_grow(app, client, make_process):
    from tests.web.query_counter import count_queries

    make_process(Phase.VOTING)
    few = count_queries(app, lambda: client.get("/processes"))
    for _ in range(6):
        make_process(Phase.VOTING)
    assert count_queries(app, lambda: client.get("/processes")) == few
