"""Every route, every role: who may open what.

Rows live in tests/web/access/<feature>.py; the completeness test fails until every route has one.
Expected codes: 200 shown, 302 redirected (anonymous: to sign in), 400 bad link, 403 forbidden, 404.
"""

import pytest
from flask import url_for

from app.auth.models import Role
from tests.web.access import NEEDS_SIGN_IN, ROLES, all_rows

MATRIX = all_rows()


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - MATRIX.keys())
    assert not missing, f"add these routes to the access matrix: {missing}"
    assert not sorted(MATRIX.keys() - endpoints), "the matrix names routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(app, make_user, request, endpoint, role):
    module, (method, args, expected) = MATRIX[endpoint]
    world = module.world(request.getfixturevalue) if hasattr(module, "world") and args else {}
    client = app.test_client() if role == "anonymous" else app.test_client(user=make_user(Role(role)))
    with app.test_request_context():
        url = url_for(endpoint, **{k: world.get(v, v) for k, v in args.items()})
    resp = client.open(url, method=method)
    resp.close()
    assert resp.status_code == expected[role], f"{method} {url} as {role}"
    if role == "anonymous" and any(expected is policy for policy in NEEDS_SIGN_IN):
        assert resp.headers["Location"].startswith("/login?next=")
