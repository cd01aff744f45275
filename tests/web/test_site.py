"""Health, error pages, security headers and the base layout."""

import pytest
from sqlalchemy.exc import OperationalError

from app.auth.models import Role
from app.config import TestConfig
from app.extensions import db


def test_healthz_is_up(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok", "database": "up"}


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json["database"] == "down"


def test_404_page_in_the_site_style(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404 and "Page not found" in resp.text and 'class="skip-link"' in resp.text


def test_403_page(login):
    client, _ = login(Role.RESIDENT)
    resp = client.get("/admin/users")
    assert resp.status_code == 403 and "Not allowed" in resp.text


@pytest.mark.parametrize("app_config", [type("OwnApp", (TestConfig,), {})])  # it adds a route: its own app
def test_500_page_rolls_back_and_renders(app, client):
    app.testing = False  # let the catch-all handler render

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    from app.core.errors import register_error_handlers

    register_error_handlers(app)
    resp = client.get("/boom")
    assert resp.status_code == 500 and "Something went wrong" in resp.text


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_same_site(client, make_user):
    from tests.conftest import PASSWORD

    make_user(email="s@example.org")
    client.post("/login", data={"email": "s@example.org", "password": PASSWORD})
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_layout_has_viewport_skip_link_and_city_name(client):
    page = client.get("/").text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert 'href="#main"' in page and 'id="main"' in page and "Riverside" in page
    assert "<script>" not in page and " style=" not in page  # CSP: no inline script or style


@pytest.mark.parametrize(
    ("role", "links"),
    [(None, ["Register"]), (Role.ADMIN, ["Admin", "Sign out"]), (Role.OFFICER, ["Sign out"])],
)
def test_navigation_depends_on_role(app, make_user, role, links):
    client = app.test_client(user=make_user(role)) if role else app.test_client()
    page = client.get("/").text
    for link in links:
        assert link in page
    assert ("/admin/" in page) == (role == Role.ADMIN)


def test_flash_messages_are_announced(app, make_user):
    client = app.test_client(user=make_user())
    resp = client.post("/logout", follow_redirects=True)
    assert 'role="status"' in resp.text and "You are signed out." in resp.text


def test_language_follows_the_browser(client):
    assert '<html lang="es">' in client.get("/", headers={"Accept-Language": "es"}).text


def test_readyz_checks_the_schema_version(client):
    resp = client.get("/readyz")  # the test schema is made by create_all, not by migrations
    assert resp.status_code == 503 and resp.json["database"] == "down or not migrated"


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert (
        len(first.headers["X-Request-ID"]) == 32
        and first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    )
    assert (
        client.get("/", headers={"X-Request-ID": "from-the-proxy-1"}).headers["X-Request-ID"]
        == "from-the-proxy-1"
    )
    assert client.get("/", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"] != "bad id!"


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/").text
    href = page.split('rel="stylesheet" href="')[1].split('"')[0]
    assert "?v=" in href
    resp = client.get(href)
    assert "immutable" in resp.headers["Cache-Control"]
    resp.close()


def test_language_switch_is_remembered_in_a_cookie_and_on_the_account(app, make_user):
    from app.auth.models import User

    anonymous = app.test_client()
    resp = anonymous.post("/language", data={"lang": "es", "next": "/processes"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/processes"
    assert '<html lang="es">' in anonymous.get("/").text
    user = make_user()
    client = app.test_client(user=user)
    client.post("/language", data={"lang": "es", "next": "//evil.example"})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "es"
    assert client.post("/language", data={"lang": "xx"}).status_code == 400


def test_pages_and_static_files_are_gzipped_for_clients_that_accept_it(client):
    import gzip

    page = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    assert b"Riverside" in gzip.decompress(page.data)
    href = (
        page.headers and gzip.decompress(page.data).decode().split('rel="stylesheet" href="')[1].split('"')[0]
    )
    css = client.get(href, headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip" and b":root" in gzip.decompress(css.data)
    assert "Content-Encoding" not in client.get("/").headers  # no Accept-Encoding, no gzip
