"""Template globals and filters."""

from decimal import Decimal
from functools import lru_cache

from babel import Locale, numbers
from flask import Flask, current_app, get_flashed_messages
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.forms import ROLE_LABELS
from app.core.forms import EmptyForm, LanguageForm
from app.core.markdown import is_web_url, render_markdown
from app.core.pagination import page_url
from app.core.redirects import return_path
from app.i18n import localized, person_name, show_note
from app.processes.models import Phase
from app.processes.phases import PHASE_LABELS

# Main navigation: (endpoint, label, minimum role or None). Entries whose endpoint is not
# registered are left out, so a feature's link appears when its blueprint does.
NAV = [
    ("core.home", _l("Home"), None),
    ("processes.index", _l("Budgets"), None),
    ("results.index", _l("Results"), None),
    ("delivery.index", _l("Delivery"), None),
    ("officer.dashboard", _l("Officer"), "officer"),
    ("admin.dashboard", _l("Admin"), "admin"),
    ("notifications.index", _l("Notifications"), "resident"),
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
    ("processes_admin.index", _l("Processes")),
    ("districts_admin.index", _l("Districts")),
    ("categories_admin.index", _l("Categories")),
    ("admin.users", _l("People")),
    ("admin.audit", _l("Audit log")),
    ("admin.mail", _l("Email")),
]


def admin_nav() -> list[tuple[str, str]]:
    return [(endpoint, label) for endpoint, label in ADMIN_NAV if endpoint in current_app.view_functions]


# Panels on a process page and links on its admin page, by feature. Like NAV, an entry shows only when
# its feature's endpoint is registered; each panel template decides from the phase whether to show.
PROCESS_PANELS = [
    ("proposals.index", "proposals/_process_panel.html"),
    ("voting.ballot", "voting/_process_panel.html"),
    ("results.show", "results/_process_panel.html"),
    ("delivery.process", "delivery/_process_panel.html"),
]
PROCESS_ADMIN_LINKS = [
    ("voting_admin.overview", _l("Voting: turnout, census, codes, paper ballots")),
    ("results_admin.count", _l("Count and publish results")),
    ("delivery_admin.process", _l("Delivery of funded projects")),
    ("proposals_officer.review_queue", _l("Proposals: review queue")),
]


def process_panels(process) -> list[str]:
    return [template for endpoint, template in PROCESS_PANELS if endpoint in current_app.view_functions]


def process_admin_links(process) -> list[tuple[str, str]]:
    return [
        (endpoint, label) for endpoint, label in PROCESS_ADMIN_LINKS if endpoint in current_app.view_functions
    ]


def phase_label(phase) -> str:
    return str(PHASE_LABELS.get(getattr(phase, "value", phase), phase))


def role_label(role) -> str:
    return str(ROLE_LABELS.get(role, role))


def format_money(cents: int | None, currency: str | None = None) -> str:
    """An amount of money for people: whole units unless there are cents, in the reader's locale."""
    if cents is None:
        return ""
    return _money(int(cents), currency or current_app.config["CITY_CURRENCY"], str(get_locale()))


@lru_cache(maxsize=8192)
def _money(cents: int, currency: str, locale_name: str) -> str:
    """Babel's formatting is slow next to the rest of a page (a ballot shows each cost and total)."""
    locale = Locale.parse(locale_name)
    if cents % 100 == 0:
        whole = locale.currency_formats["standard"].pattern.replace(".00", "")
        return numbers.format_currency(
            cents // 100, currency, format=whole, locale=locale, currency_digits=False
        )
    return numbers.format_currency(Decimal(cents) / 100, currency, locale=locale)


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.tests["web_url"] = is_web_url
    app.jinja_env.filters["datetime"] = lambda v, fmt="medium": format_datetime(v, fmt) if v else ""
    app.jinja_env.filters["date"] = lambda v, fmt="medium": format_date(v, fmt) if v else ""
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["note"] = show_note
    app.jinja_env.filters["number"] = lambda v: format_decimal(v) if v is not None else ""
    app.jinja_env.filters["percent"] = lambda v: format_percent(v) if v is not None else ""
    app.jinja_env.filters["city_time"] = lambda v, fmt="medium": format_datetime(v, fmt) if v else ""
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["return_path"] = return_path
    app.jinja_env.globals["phase_label"] = phase_label
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.filters["localized"] = localized  # names | map("localized", "name")
    app.jinja_env.globals["person_name"] = person_name
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        return {
            "city_name": app.config["CITY_NAME"],
            # Rendered by the layout, never read from the request: formdata=None, so that an error page
            # for a request whose body cannot be read (413: too large) renders instead of failing again.
            "empty_form": lambda: EmptyForm(formdata=None),
            "language_form": lambda: LanguageForm(formdata=None, lang=str(get_locale())),
            "main_nav": main_nav,
            "admin_nav": admin_nav,
            "process_panels": process_panels,
            "process_admin_links": process_admin_links,
            "Phase": Phase,
            "flashes": lambda: get_flashed_messages(with_categories=True),
        }
