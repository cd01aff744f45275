"""Every route, every role: who may open what.

Add a row for every new route; the completeness test fails until you do. Expected codes:
200 shown, 302 redirected (anonymous: to sign in), 400 bad link/token, 403 forbidden, 405 not allowed.
"""

import pytest

from app.auth.models import Role

ROLES = ("anonymous", "resident", "officer", "admin")

PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {"anonymous": 302, "resident": 200, "officer": 200, "admin": 200}
GUESTS = {"anonymous": 200, "resident": 302, "officer": 302, "admin": 302}
ADMIN = {"anonymous": 302, "resident": 403, "officer": 403, "admin": 200}
ADMIN_REDIRECT = {"anonymous": 302, "resident": 403, "officer": 403, "admin": 302}
BAD_TOKEN = dict.fromkeys(ROLES, 400)
ALWAYS_REDIRECT = dict.fromkeys(ROLES, 302)
SIGNED_IN_REDIRECT = {"anonymous": 302, "resident": 302, "officer": 302, "admin": 302}

NEEDS_SIGN_IN = (SIGNED_IN, ADMIN, ADMIN_REDIRECT, SIGNED_IN_REDIRECT)

# endpoint: (method, url arguments (names of world objects or literals), expected code by role)
MATRIX: dict[str, tuple[str, dict, dict]] = {
    "static": ("GET", {"filename": "css/app.css"}, PUBLIC),
    "core.home": ("GET", {}, PUBLIC),
    "core.healthz": ("GET", {}, PUBLIC),
    "auth.register": ("GET", {}, GUESTS),
    "auth.login": ("GET", {}, GUESTS),
    "auth.logout": ("POST", {}, ALWAYS_REDIRECT),
    "auth.verify_email": ("GET", {"token": "forged"}, BAD_TOKEN),
    "auth.resend_verification": ("POST", {}, SIGNED_IN_REDIRECT),
    "auth.forgot_password": ("GET", {}, PUBLIC),
    "auth.reset_password": ("GET", {"token": "forged"}, BAD_TOKEN),
    "auth.account": ("GET", {}, SIGNED_IN),
    "auth.change_password": ("GET", {}, SIGNED_IN),
    "auth.delete_account": ("GET", {}, SIGNED_IN),
    "admin.dashboard": ("GET", {}, ADMIN_REDIRECT),
    "admin.users": ("GET", {}, ADMIN),
    "admin.user": ("GET", {"user_id": "@resident"}, ADMIN),
    "admin.audit": ("GET", {}, ADMIN),
}


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - MATRIX.keys())
    assert not missing, f"add these routes to the access matrix: {missing}"
    assert not sorted(MATRIX.keys() - endpoints), "the matrix names routes that no longer exist"


@pytest.fixture
def world(make_user):
    """Objects that URLs point at, named with a leading @."""
    return {"@resident": make_user(Role.RESIDENT).id}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(app, make_user, world, endpoint, role):
    method, args, expected = MATRIX[endpoint]
    client = app.test_client() if role == "anonymous" else app.test_client(user=make_user(Role(role)))
    values = {k: world.get(v, v) if isinstance(v, str) else v for k, v in args.items()}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **values)
    resp = client.open(url, method=method)
    resp.close()
    assert resp.status_code == expected[role], f"{method} {url} as {role}"
    if role == "anonymous" and any(expected is p for p in NEEDS_SIGN_IN):
        assert resp.headers["Location"].startswith("/login?next=")
