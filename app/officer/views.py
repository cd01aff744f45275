from collections.abc import Callable

from flask import Blueprint, render_template

from app.core.permissions import officer_required

bp = Blueprint("officer", __name__, url_prefix="/officer")

#: (template, data) per feature: `data()` returns the panel's template variables. Features add theirs
#: with `add_panel` when imported, so the dashboard need not know them.
PANELS: list[tuple[str, Callable[[], dict]]] = []


def add_panel(template: str, data: Callable[[], dict]) -> None:
    if all(existing != template for existing, _data in PANELS):
        PANELS.append((template, data))


@bp.route("/")
@officer_required
def dashboard():
    panels = [(template, data()) for template, data in PANELS]
    return render_template("officer/dashboard.html", panels=panels)
