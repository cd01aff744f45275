"""Template globals and filters."""

from flask import Flask, current_app, get_flashed_messages
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.forms import EmptyForm
from app.core.markdown import render_markdown
from app.core.pagination import page_url

# Main navigation: (endpoint, label, minimum role or None). Entries whose endpoint is not
# registered are left out, so a feature's link appears when its blueprint does.
NAV = [
    ("core.home", _l("Home"), None),
    ("processes.index", _l("Budgets"), None),
    ("results.index", _l("Results"), None),
    ("delivery.index", _l("Delivery"), None),
    ("officer.dashboard", _l("Officer"), "officer"),
    ("admin.dashboard", _l("Admin"), "admin"),
]


def main_nav() -> list[tuple[str, str]]:
    views = current_app.view_functions
    return [
        (endpoint, label)
        for endpoint, label, role in NAV
        if endpoint in views
        and (role is None or (current_user.is_authenticated and current_user.has_role(role)))
    ]


ADMIN_NAV = [
    ("admin.users", _l("People")),
    ("admin.audit", _l("Audit log")),
]


def admin_nav() -> list[tuple[str, str]]:
    return [(endpoint, label) for endpoint, label in ADMIN_NAV if endpoint in current_app.view_functions]


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = lambda v, fmt="medium": format_datetime(v, fmt) if v else ""
    app.jinja_env.filters["date"] = lambda v, fmt="medium": format_date(v, fmt) if v else ""
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        return {
            "city_name": app.config["CITY_NAME"],
            "empty_form": EmptyForm,
            "main_nav": main_nav,
            "admin_nav": admin_nav,
            "flashes": lambda: get_flashed_messages(with_categories=True),
        }
