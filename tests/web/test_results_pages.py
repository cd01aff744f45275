"""Results pages: public results with reasons, downloads that match the hash, receipts, the admin flow."""

import csv
import hashlib
import io

from app.auth.models import Role
from app.extensions import db
from app.processes.models import OutcomeRule, Process
from app.results import services
from tests.factories_results import BUDGET, COSTS, VOTES


def _publish(app, election):
    with app.test_request_context():
        process = db.session.get(Process, election.process.id)
        services.count_process(process, None)
        services.publish(process, None)
        db.session.commit()


def test_admin_counts_previews_and_publishes(app, login, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    client, _ = login(Role.ADMIN)
    url = f"/admin/processes/{election.process.id}/results"
    assert client.post(url).status_code == 302
    page = client.get(url).text
    assert "Preview (not public)" in page and "Project A" in page
    public = app.test_client().get(f"/processes/{election.slug}/results").text
    assert "not published yet" in public
    resp = client.post(f"{url}/publish")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/processes/{election.slug}/results"
    public = app.test_client().get(f"/processes/{election.slug}/results").text
    assert "Project A" in public and "Funded as number 1 in the ranking." in public


def test_republishing_without_a_reason_is_refused_at_the_field(app, login, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET)
    _publish(app, election)
    client, _ = login(Role.ADMIN)
    url = f"/admin/processes/{election.process.id}/results"
    client.post(url)
    resp = client.post(f"{url}/publish", data={"reason": ""})
    assert resp.status_code == 400 and 'id="reason-error"' in resp.text
    client.post(f"{url}/publish", data={"reason": "A paper box arrived late."})
    assert "A paper box arrived late." in app.test_client().get(f"/processes/{election.slug}/results").text


def test_public_results_explain_equal_shares_and_what_greedy_would_do(app, client, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.MES_ADD1)
    _publish(app, election)
    page = client.get(f"/processes/{election.slug}/results").text
    assert "Method of Equal Shares" in page and "equal share of the budget was" in page
    assert "its supporters had only" in page and "What counting by votes alone would have changed" in page
    assert 'role="img"' in page and "spent on" in page  # the budget bar has a text equivalent


def test_downloads_match_the_published_hash(app, client, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    _publish(app, election)
    base = f"/processes/{election.slug}/results/{election.district}"
    page = client.get(f"/processes/{election.slug}/results").text
    pb = client.get(f"{base}.pb")
    digest = hashlib.sha256(pb.data).hexdigest()
    assert digest in page and pb.headers["Digest"] == f"sha-256={digest}"
    assert "attachment" in pb.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}.csv").text)))
    assert [r["code"] for r in rows if r["funded"] == "1"] == ["A", "C"]
    body = client.get(f"{base}.json").json
    assert body["winners"] == ["A", "C"] and body["pb_sha256"] == digest
    assert client.get(f"/processes/{election.slug}/results/nowhere.pb").status_code == 404


def test_a_voter_finds_their_ballot_by_receipt(app, client, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    _publish(app, election)
    url = f"/processes/{election.slug}/results/receipt"
    found = client.get(url, query_string={"code": election.receipts[3].lower()}).text
    assert "Your ballot is in the published file" in found and "Project C" in found and "Project D" in found
    missing = client.get(url, query_string={"code": "NOPE-NOPE-NOPE"}).text
    assert "No ballot with this code" in missing
    empty = client.get(url, query_string={"code": ""}).text
    assert 'id="code-error"' in empty


def test_results_before_voting_ends_are_not_shown(client, make_election):
    from app.processes.models import Phase

    election = make_election(COSTS, VOTES, budget=BUDGET, phase=Phase.VOTING)
    assert "not published yet" in client.get(f"/processes/{election.slug}/results").text


def test_results_api(app, client, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    assert client.get(f"/api/v1/processes/{election.slug}/results").json == {"data": []}
    _publish(app, election)
    (result,) = client.get(f"/api/v1/processes/{election.slug}/results").json["data"]
    assert result["rule"] == "greedy" and result["spent_cents"] == 9_000_00
    assert result["winners"] == [election.projects["A"].id, election.projects["C"].id]


def test_results_page_query_count_does_not_grow_with_districts(app, client, make_process):
    from tests.web.query_counter import count_queries

    def publish(n_districts):
        process = make_process(budgets=[BUDGET] * n_districts)
        with app.test_request_context():
            from app.processes.models import Phase

            p = db.session.get(Process, process.id)
            p.phase = Phase.RESULTS
            services.count_process(p, None)
            services.publish(p, None)
            db.session.commit()
        return process.slug

    one, three = publish(1), publish(3)
    assert count_queries(app, lambda: client.get(f"/processes/{one}/results")) == count_queries(
        app, lambda: client.get(f"/processes/{three}/results")
    )
