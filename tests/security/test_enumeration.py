"""Account enumeration and brute force: the pages tell nobody whether an address has an account, and
guessing passwords, voter codes, census details or receipts is limited per account, address and process.

(Already covered in tests/web: the sign-in message, per-account and per-address sign-in limits, and
per-address and per-process voter-code limits.)
"""

import re

import pytest

from app.auth import services
from app.processes.models import Phase
from tests.conftest import PASSWORD


def _page(resp, *emails: str) -> str:
    """The page without what differs by design: the address typed, and the form token."""
    text = resp.get_data(as_text=True)
    for email in emails:
        text = text.replace(email, "EMAIL")
    return re.sub(r'name="csrf_token"[^>]*>', "", text)


def test_sign_in_does_the_same_work_for_an_unknown_address(client, make_user, monkeypatch):
    make_user(email="known@example.org")
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    known = client.post("/login", data={"email": "known@example.org", "password": "wrong password!"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password!"})
    assert len(calls) == 2 and calls[0] != calls[1]  # one real hash check each: no early return
    assert calls[1].startswith("scrypt:")  # the unknown address is checked against a real hash
    assert known.status_code == unknown.status_code == 200
    assert _page(known, "known@example.org") == _page(unknown, "nobody@example.org")


def test_a_deleted_account_signs_in_like_an_unknown_one(client, make_user):
    from app.db import utcnow

    make_user(email="gone@example.org", deleted_at=utcnow())
    gone = client.post("/login", data={"email": "gone@example.org", "password": PASSWORD})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    assert _page(gone, "gone@example.org") == _page(unknown, "nobody@example.org")


def test_password_reset_answers_the_same_for_an_unknown_address(client, make_user, outbox):
    make_user(email="known@example.org")
    known = client.post("/password/forgot", data={"email": "known@example.org"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known, "known@example.org") == _page(unknown, "nobody@example.org")
    assert [m["To"] for m in outbox] == ["known@example.org"]  # only the owner learns anything


def test_registration_answers_the_same_for_a_taken_address(client, make_user, outbox):
    make_user(email="known@example.org")
    form = {"display_name": "Lucia", "password": "a fine long password", "confirm": "a fine long password"}
    taken = client.post("/register", data={**form, "email": "known@example.org"})
    new = client.post("/register", data={**form, "email": "new@example.org"})
    assert taken.status_code == new.status_code == 200
    assert _page(taken, "known@example.org") == _page(new, "new@example.org")
    assert {m["To"] for m in outbox} == {"known@example.org", "new@example.org"}  # each told by e-mail


def test_password_guesses_for_one_account_are_limited_across_addresses(client, make_user):
    make_user(email="target@example.org")
    for n in range(5):
        client.post(
            "/login",
            data={"email": "Target@Example.org ", "password": f"guess number {n}"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )
    resp = client.post(
        "/login",
        data={"email": "target@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
    )
    assert resp.status_code == 429  # the key is the normalised address, not the client's IP


def test_successful_sign_ins_do_not_use_up_the_account_limit(client, make_user):
    make_user(email="often@example.org")
    for _ in range(6):
        assert (
            client.post("/login", data={"email": "often@example.org", "password": PASSWORD}).status_code
            == 302
        )
        client.post("/logout")


@pytest.mark.parametrize(
    ("url", "data", "allowed"),
    [
        ("/password/forgot", {"email": "someone@example.org"}, 5),
        (
            "/register",
            {"display_name": "Bot", "email": "bot@example.org", "password": "x", "confirm": "y"},
            10,
        ),
    ],
)
def test_reset_and_registration_are_limited_per_address(client, url, data, allowed):
    codes = [client.post(url, data=data).status_code for _ in range(allowed + 1)]
    assert codes[:allowed] == [200] * allowed and codes[allowed] == 429


def test_census_guesses_are_limited_per_address(client, make_vote):
    vote = make_vote(allow_census=True)
    codes = [
        client.post(
            f"/processes/{vote.slug}/vote/census", data={"id_number": f"X{n}", "postcode": "AB1"}
        ).status_code
        for n in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_census_guesses_are_limited_per_process_across_addresses(client, make_vote):
    vote = make_vote(allow_census=True)
    codes = [
        client.post(
            f"/processes/{vote.slug}/vote/census",
            data={"id_number": f"X{n}", "postcode": "AB1"},
            environ_base={"REMOTE_ADDR": f"10.1.{n // 200}.{n % 200}"},
        ).status_code
        for n in range(101)
    ]
    assert codes[:100] == [200] * 100 and codes[100] == 429


def test_receipt_lookups_are_limited_per_address(client, make_process):
    process = make_process(Phase.RESULTS)
    url = f"/processes/{process.slug}/results/receipt"
    codes = [client.get(url, query_string={"code": f"R{n:04d}"}).status_code for n in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
