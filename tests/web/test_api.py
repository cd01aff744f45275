"""The open data API: shapes, paging, drafts hidden, CORS for reads, an OpenAPI document."""

import re

from app.processes.models import Phase


def test_processes_are_paged_with_links(client, make_process):
    for _ in range(3):
        make_process(Phase.VOTING)
    make_process(Phase.DRAFT)
    body = client.get("/api/v1/processes?per_page=2").json
    assert body["meta"] == {"page": 1, "per_page": 2, "total": 3}
    assert len(body["data"]) == 2 and body["links"]["prev"] is None
    second = client.get(body["links"]["next"]).json
    assert len(second["data"]) == 1 and second["links"]["next"] is None


def test_a_process_shows_budgets_and_ballot_settings(client, make_process, make_project):
    process = make_process(Phase.VOTING, budgets=[5_000_00, 7_000_00])
    make_project(process, cost_cents=1_000_00)
    body = client.get(f"/api/v1/processes/{process.slug}").json
    assert body["total_budget_cents"] == 12_000_00 and len(body["districts"]) == 2
    assert body["ballot"]["type"] == "approval" and body["phase"] == "voting"
    projects = client.get(f"/api/v1/processes/{process.slug}/projects").json
    assert projects["data"][0]["cost_cents"] == 1_000_00 and projects["data"][0]["currency"] == "EUR"


def test_projects_filter_by_district(client, make_process, make_project):
    process = make_process(Phase.VOTING, budgets=[5_000_00, 7_000_00])
    first, second = (b.district_id for b in process.budgets)
    make_project(process, district_id=first)
    make_project(process, district_id=second)
    slug = client.get(f"/api/v1/processes/{process.slug}").json["districts"][1]["slug"]
    body = client.get(f"/api/v1/processes/{process.slug}/projects?district={slug}").json
    assert body["meta"]["total"] == 1 and body["data"][0]["district"] == slug


def test_drafts_and_unknown_processes_are_404_in_json(client, make_process):
    draft = make_process(Phase.DRAFT)
    resp = client.get(f"/api/v1/processes/{draft.slug}")
    assert resp.status_code == 404 and resp.json["error"]["code"] == 404


def test_bad_paging_is_a_400_in_json(client):
    for query in ("page=0", "per_page=1000", "page=abc"):
        resp = client.get(f"/api/v1/processes?{query}")
        assert resp.status_code == 400 and "error" in resp.json, query


def test_reads_allow_any_origin(client):
    resp = client.get("/api/v1/processes", headers={"Origin": "https://elsewhere.example"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]
    preflight = client.options(
        "/api/v1/processes", headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_writes_are_not_allowed(client):
    assert client.post("/api/v1/processes").status_code == 405


def test_openapi_lists_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = set(doc["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule)
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("api.") and r.endpoint not in ("api.index", "api.openapi")
    }
    assert routes <= documented, routes - documented
