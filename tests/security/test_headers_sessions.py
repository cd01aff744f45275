"""Security headers, cookie flags, HSTS behind a proxy, and sessions that cannot be fixed or replayed."""

import re
from pathlib import Path

import pytest

from app.config import ProductionConfig, TestConfig
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/", "/login", "/processes", "/api/v1/processes", "/no-such-page"])
def test_every_kind_of_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = csp_directives(headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no hosts
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored or wrong


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_have_nothing_the_policy_would_block(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>: move it to static/js"
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.I), "inline event handler (on...=)"
    assert not re.search(r"<[a-z][^>]*\sstyle\s*=", text, re.I), "inline style attribute"
    assert "javascript:" not in text.lower()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_need_no_unsafe_eval(script):
    text = script.read_text()
    assert not re.search(r"\beval\(|new Function\(|set(Timeout|Interval)\(\s*['\"]", text)
    assert not re.search(r"setAttribute\(\s*['\"](on|style)", text)


class HstsConfig(TestConfig):
    HSTS = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class ProxiedConfig(HstsConfig):
    TRUSTED_PROXIES = 1


class TestHstsOnlyOverHttps:
    @pytest.fixture
    def app_config(self):
        return HstsConfig

    def test_https_gets_hsts_and_http_does_not(self, client):
        hsts = client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]
        assert "max-age=63072000" in hsts and "includeSubDomains" in hsts
        assert "Strict-Transport-Security" not in client.get("/").headers

    def test_a_forwarded_scheme_is_ignored_without_a_trusted_proxy(self, client):
        resp = client.get("/", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" not in resp.headers

    def test_cookies_are_secure_http_only_and_same_site(self, client, make_user):
        make_user(email="s@example.org")
        client.post(
            "/login",
            data={"email": "s@example.org", "password": PASSWORD, "remember": "y"},
            base_url="https://localhost",
        )
        for name in ("session", "remember_token"):
            cookie = client.get_cookie(name, domain="localhost")
            assert cookie is not None, name
            assert cookie.secure and cookie.http_only and cookie.same_site == "Lax", name


class TestBehindAProxy:
    @pytest.fixture
    def app_config(self):
        return ProxiedConfig

    def test_the_trusted_proxys_scheme_counts(self, client):
        resp = client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        assert "Strict-Transport-Security" in resp.headers
        assert "Strict-Transport-Security" not in client.get("/").headers


def test_production_defaults_are_strict():
    assert ProductionConfig.HSTS is True
    assert ProductionConfig.SESSION_COOKIE_SECURE is True and ProductionConfig.REMEMBER_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY and ProductionConfig.REMEMBER_COOKIE_HTTPONLY
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax" == ProductionConfig.REMEMBER_COOKIE_SAMESITE
    assert ProductionConfig.PREFERRED_URL_SCHEME == "https"


class CsrfConfig(TestConfig):
    WTF_CSRF_ENABLED = True


def _token(page: str) -> str:
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def _session(app, client) -> dict:
    cookie = client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


class TestSessionFixation:
    """A session cookie obtained before sign-in (e.g. planted by an attacker) never becomes signed in."""

    @pytest.fixture
    def app_config(self):
        return CsrfConfig

    def _sign_in(self, client, email, **extra):
        token = _token(client.get("/login").text)
        data = {"email": email, "password": PASSWORD, "csrf_token": token, **extra}
        resp = client.post("/login", data=data)
        assert resp.status_code == 302
        return token

    def test_sign_in_starts_a_new_session(self, app, client, make_user):
        make_user(email="v@example.org")
        client.get("/processes/none/proposals")  # anything that puts state in the session
        before_token = _token(client.get("/login").text)
        planted = client.get_cookie("session").value
        with client.session_transaction() as sess:
            sess["planted"] = "by someone else"

        self._sign_in(client, "v@example.org")
        after = _session(app, client)
        assert "_user_id" in after and "planted" not in after
        assert after.get("csrf_token") != before_token  # the form token is renewed too
        assert client.get_cookie("session").value != planted

        attacker = app.test_client()
        attacker.set_cookie("session", planted, domain="localhost")
        assert attacker.get("/account").status_code == 302  # the pre-sign-in cookie is still anonymous

    def test_a_copied_session_cookie_stops_working_at_sign_out(self, app, client, make_user):
        make_user(email="w@example.org")
        self._sign_in(client, "w@example.org", remember="y")
        session_copy = client.get_cookie("session").value
        remember_copy = client.get_cookie("remember_token").value
        thief = app.test_client()
        thief.set_cookie("session", session_copy, domain="localhost")
        assert thief.get("/account").status_code == 200  # a stolen live cookie works (as anywhere)

        page = client.get("/account").text
        assert client.post("/logout", data={"csrf_token": _token(page)}).status_code == 302

        for name, value in (("session", session_copy), ("remember_token", remember_copy)):
            replay = app.test_client()
            replay.set_cookie(name, value, domain="localhost")
            assert replay.get("/account").status_code == 302, f"the old {name} cookie still signs in"
