"""Rows of the route-by-role access matrix, one module per feature.

Each module defines `ROWS = {endpoint: (method, url arguments, expected code by role)}` and may define
`world(make) -> dict` returning the objects its URLs point at (`@name` keys). `make` gives the factory
fixtures by name: `make("make_user")(...)`. A row's URL may only use its own module's world.
"""

import importlib
import pkgutil

ROLES = ("anonymous", "resident", "officer", "admin")

PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {"anonymous": 302, "resident": 200, "officer": 200, "admin": 200}
GUESTS = {"anonymous": 200, "resident": 302, "officer": 302, "admin": 302}
OFFICER = {"anonymous": 302, "resident": 403, "officer": 200, "admin": 200}
OFFICER_REDIRECT = {"anonymous": 302, "resident": 403, "officer": 302, "admin": 302}
ADMIN = {"anonymous": 302, "resident": 403, "officer": 403, "admin": 200}
ADMIN_REDIRECT = {"anonymous": 302, "resident": 403, "officer": 403, "admin": 302}
BAD_TOKEN = dict.fromkeys(ROLES, 400)
NOT_FOUND = dict.fromkeys(ROLES, 404)
ALWAYS_REDIRECT = dict.fromkeys(ROLES, 302)
SIGNED_IN_REDIRECT = {"anonymous": 302, "resident": 302, "officer": 302, "admin": 302}

#: Policies under which an anonymous visitor is sent to the sign-in page.
NEEDS_SIGN_IN = (SIGNED_IN, OFFICER, OFFICER_REDIRECT, ADMIN, ADMIN_REDIRECT, SIGNED_IN_REDIRECT)


def feature_modules():
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]


def all_rows() -> dict:
    """{endpoint: (module, row)}; a test builds only the world of the module its row comes from."""
    rows: dict = {}
    for module in feature_modules():
        clash = rows.keys() & module.ROWS.keys()
        assert not clash, f"routes listed twice: {clash}"
        rows.update({endpoint: (module, row) for endpoint, row in module.ROWS.items()})
    return rows
