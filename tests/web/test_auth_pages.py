"""Accounts through the real pages: register, verify, sign in, passwords, deletion."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.config import TestConfig
from app.extensions import db
from tests.conftest import PASSWORD, link_in

NEW_PASSWORD = "my new long password"


def register(client, **overrides):
    data = {
        "display_name": "Lucia",
        "email": "lucia@example.org",
        "password": "a fine long password",
        "confirm": "a fine long password",
        "district_id": "",
    }
    data.update(overrides)
    return client.post("/register", data=data)


def test_register_verify_and_sign_in(app, client, outbox):
    resp = register(client)
    assert resp.status_code == 200 and "Check your email" in resp.text
    path = link_in(outbox[-1], "/verify/")
    resp = client.get(path, follow_redirects=True)
    assert "your email address is confirmed" in resp.text
    resp = client.post("/login", data={"email": "lucia@example.org", "password": "a fine long password"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert "Lucia" in client.get("/").text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter an email address like"),
        ({"display_name": ""}, "display_name", "Enter a name."),
        ({"password": "short", "confirm": "short"}, "password", "Use between 10 and 128"),
        ({"confirm": "something else"}, "confirm", "The passwords differ."),
        ({"password": "1234567890", "confirm": "1234567890"}, "password", "too easy to guess"),
        ({"display_name": "x" * 81}, "display_name", "Use between 2 and 80"),
    ],
)
def test_bad_registration_input_is_explained_at_the_field_and_kept(client, overrides, field, message):
    resp = register(client, **overrides)
    assert resp.status_code == 200
    assert f'id="{field}-error"' in resp.text and message in resp.text
    assert 'aria-invalid="true"' in resp.text
    if field != "email":
        assert 'value="lucia@example.org"' in resp.text  # what was typed is kept
    with client.application.app_context():
        assert db.session.scalar(select(User)) is None  # nothing half-saved


def test_registration_does_not_reveal_existing_accounts(client, make_user, outbox):
    make_user(email="lucia@example.org")
    resp = register(client)
    assert "Check your email" in resp.text
    assert "already have an account" in outbox[-1]["Subject"]


def test_unknown_email_and_wrong_password_get_the_same_message(client, make_user):
    make_user(email="known@example.org")
    wrong = client.post("/login", data={"email": "known@example.org", "password": "nope nope nope"})
    unknown = client.post("/login", data={"email": "who@example.org", "password": "nope nope nope"})
    assert "Invalid email or password." in wrong.text and "Invalid email or password." in unknown.text
    assert 'value="known@example.org"' in wrong.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/account", "/account"), ("//evil.example/x", "/"), ("https://evil.example/", "/")],
)
def test_next_redirects_stay_on_the_site(client, make_user, target, expected):
    make_user(email="n@example.org")
    resp = client.post("/login", data={"email": "n@example.org", "password": PASSWORD, "next": target})
    assert resp.headers["Location"] == expected


def test_protected_page_sends_to_sign_in_and_back(client, make_user):
    resp = client.get("/account")
    assert resp.status_code == 302 and "/login?next=%2Faccount" in resp.headers["Location"]


def test_sign_in_is_rate_limited_per_account(client, make_user):
    make_user(email="target@example.org")
    for _ in range(5):
        client.post("/login", data={"email": "target@example.org", "password": "wrong password!"})
    resp = client.post("/login", data={"email": "target@example.org", "password": PASSWORD})
    assert resp.status_code == 429 and "Too many attempts" in resp.text


def test_sign_in_is_rate_limited_per_address(client):
    for n in range(30):
        client.post("/login", data={"email": f"p{n}@example.org", "password": "wrong password!"})
    resp = client.post("/login", data={"email": "fresh@example.org", "password": "wrong password!"})
    assert resp.status_code == 429


def test_remember_me_sets_a_lasting_cookie(client, make_user):
    make_user(email="r@example.org")
    client.post("/login", data={"email": "r@example.org", "password": PASSWORD, "remember": "y"})
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


def test_sign_out(app, make_user):
    client = app.test_client(user=make_user())
    assert client.post("/logout").headers["Location"] == "/"
    assert client.get("/account").status_code == 302


def test_forgot_and_reset_password(client, make_user, outbox):
    make_user(email="f@example.org")
    resp = client.post("/password/forgot", data={"email": "f@example.org"})
    assert "If an account uses" in resp.text
    path = link_in(outbox[-1], "/password/reset/")
    resp = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert client.get(path).status_code == 400  # used once
    resp = client.post("/login", data={"email": "f@example.org", "password": NEW_PASSWORD})
    assert resp.status_code == 302


def test_a_forged_reset_link_is_refused(client):
    resp = client.get("/password/reset/not-a-token")
    assert resp.status_code == 400 and "This link does not work" in resp.text


def test_change_password_signs_out_other_devices(app, make_user):
    user = make_user()
    here, elsewhere = app.test_client(user=user), app.test_client(user=user)
    resp = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert resp.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_change_password_with_a_wrong_current_password(app, make_user):
    client = app.test_client(user=make_user())
    resp = client.post(
        "/account/password",
        data={"current_password": "wrong wrong", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert "Your current password is not right." in resp.text


def test_profile_update_and_bad_date(app, make_user):
    client = app.test_client(user=make_user())
    resp = client.post(
        "/account", data={"display_name": "New Name", "locale": "es", "birth_date": "1990-02-30"}
    )
    assert resp.status_code == 200 and 'id="birth_date-error"' in resp.text
    resp = client.post(
        "/account", data={"display_name": "New Name", "locale": "es", "birth_date": "1990-02-03"}
    )
    assert resp.status_code == 302


def test_delete_account(app, make_user):
    user = make_user(email="bye@example.org")
    client = app.test_client(user=user)
    resp = client.post("/account/delete", data={"password": "wrong wrong", "confirm": "y"})
    assert "Your password is not right." in resp.text
    resp = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert resp.status_code == 302
    assert client.get("/account").status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Deleted user"


class CsrfConfig(TestConfig):
    WTF_CSRF_ENABLED = True


class TestWithCsrf:
    """The real sign-in form with CSRF protection on."""

    @pytest.fixture
    def app_config(self):
        return CsrfConfig

    def test_a_post_without_the_token_is_refused(self, client, make_user):
        make_user(email="c@example.org")
        resp = client.post("/login", data={"email": "c@example.org", "password": PASSWORD})
        assert resp.status_code == 400 and "Your form expired" in resp.text
        assert client.get("/account").status_code == 302

    def test_the_real_form_signs_in(self, client, make_user):
        make_user(email="c@example.org")
        page = client.get("/login").text
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        resp = client.post(
            "/login", data={"email": "c@example.org", "password": PASSWORD, "csrf_token": token}
        )
        assert resp.status_code == 302
        assert client.get("/account").status_code == 200
