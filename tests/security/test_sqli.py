"""SQL injection attempts on search, filters, paging, the API's parameters and receipt lookup.

Every answer must be below 500, carry no database error text, and list no more rows than the harmless
query it stands in for: a search finds nothing (no title contains the attack), a filter that is not
one of the choices is ignored or refused, a slug that is not a process is a 404.
"""

import re

import pytest

from app.auth.models import Role
from app.processes.models import Phase
from tests.factories_results import BUDGET, COSTS, VOTES

ATTACKS = [
    "'",
    '"',
    "' OR '1'='1",
    "' OR 1=1--",
    '" OR ""="',
    "1 OR 1=1",
    "1' OR '1'='1' --",
    "') OR ('1'='1",
    "1; DROP TABLE proposals; --",
    "'; DROP TABLE users; --",
    "' UNION SELECT email, password_hash FROM users --",
    "1 UNION ALL SELECT NULL,NULL,NULL--",
    "' AND 1=CAST((SELECT version()) AS int)--",
    "' AND (SELECT 1 FROM pg_sleep(2))--",
    "1) AND sleep(2)--",
    "%' --",
    "%",
    "_",
    "\\",
    "\\' OR 1=1 --",
    "' || (SELECT sqlite_version()) || '",
    "admin'--",
    "1e309",
    "-1",
    "0x7fffffffffffffff",
    "99999999999999999999999",
    "\x00' OR 1=1",
    "' OR 'x' LIKE '%",
]
DB_ERRORS = re.compile(
    r"sqlite3?\.|psycopg|sqlalchemy|syntax error|SQLSTATE|OperationalError|ProgrammingError|"
    r"DataError|unterminated quoted|Traceback",
    re.I,
)
CARD = 'class="card proposal-card"'


@pytest.fixture
def world(app, make_process, make_proposal, make_election, make_user, login):
    process = make_process(Phase.PROPOSALS, budgets=[5_000_00, 7_000_00])
    for title in ("Benches by the river", "Trees on Mill Lane", "A bike lane to school"):
        make_proposal(process, title=title)
    election = make_election(COSTS, VOTES, budget=BUDGET)
    admin, _ = login(Role.ADMIN, email="ada@example.org")
    return process, election, admin


def _ok(resp, what: str) -> str:
    text = resp.get_data(as_text=True)
    assert resp.status_code < 500, f"{what}: {resp.status_code}"
    assert not DB_ERRORS.search(text), f"{what}: database error text in the answer"
    return text


@pytest.mark.parametrize("attack", ATTACKS)
def test_proposal_search_and_filters(client, world, attack):
    process, _, _ = world
    url = f"/processes/{process.slug}/proposals"
    everything = _ok(client.get(url), url).count(CARD)
    assert everything == 3
    resp = client.get(url, query_string={"q": attack})
    found = _ok(resp, "q").count(CARD)
    assert resp.status_code == (400 if "\x00" in attack else 200)
    assert found == 0, f"search {attack!r} listed {found} proposals"
    for name in ("district", "category", "status", "sort", "page", "per_page", "seed"):
        text = _ok(client.get(url, query_string={name: attack}), name)
        assert text.count(CARD) <= everything


@pytest.mark.parametrize("attack", ATTACKS)
def test_api_parameters(client, world, attack):
    _process, election, _ = world
    for name in ("page", "per_page"):
        resp = client.get("/api/v1/processes", query_string={name: attack})
        _ok(resp, name)
        assert resp.status_code == 400 or len(resp.json["data"]) <= 2
    resp = client.get(f"/api/v1/processes/{election.slug}/projects", query_string={"district": attack})
    _ok(resp, "district")
    assert resp.status_code == 400 if "\x00" in attack else resp.json["meta"]["total"] == 0
    for path in ("", "/projects", "/results"):
        resp = client.get(f"/api/v1/processes/{attack}{path}")
        _ok(resp, f"slug{path}")
        assert resp.status_code in (400, 404), attack


@pytest.mark.parametrize("attack", ATTACKS)
def test_receipt_lookup_and_admin_searches(app, world, attack):
    _, election, admin = world
    page = _ok(
        app.test_client().get(f"/processes/{election.slug}/results/receipt", query_string={"code": attack}),
        "receipt",
    )
    assert "R0" not in page  # no receipt of the election is shown
    for url, params in (
        ("/admin/users", {"q": attack}),
        ("/admin/users", {"role": attack}),
        ("/admin/audit", {"action": attack, "actor": attack, "target_type": attack}),
        ("/admin/audit", {"since": attack, "until": attack}),
    ):
        text = _ok(admin.get(url, query_string=params), url)
        if "q" in params:
            assert "ada@example.org" not in text  # the search matched nobody


def test_the_data_is_intact_after_the_attempts(app, client, world):
    process, _, admin = world
    for attack in ATTACKS:
        client.get(f"/processes/{process.slug}/proposals", query_string={"q": attack, "district": attack})
    assert client.get(f"/processes/{process.slug}/proposals").get_data(as_text=True).count(CARD) == 3
    assert admin.get("/admin/users", query_string={"q": "ada@"}).status_code == 200


def test_ids_too_large_for_the_database_are_not_found(app, make_process):
    """PostgreSQL cannot compare an integer column with 2**31: such URLs match no route (404, not 500)."""
    make_process()
    client = app.test_client()
    for url in (
        "/proposals/2147483648",
        "/delivery/projects/2147483648",
        "/api/v1/delivery/projects/99999999999999999999",
        "/officer/delivery/projects/2147483648",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/proposals/2147483647").status_code == 404  # the largest id: looked up, absent
