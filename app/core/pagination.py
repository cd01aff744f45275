"""Paging for list pages, with next/previous links that keep the other query arguments."""

from flask import abort, request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db

PER_PAGE = 20
# No list comes near this many pages; beyond it, an offset could overflow the database's integers.
MAX_PAGE = 1_000_000


def page_number() -> int:
    """The `page` query argument: a whole number from 1 to MAX_PAGE, else a 404 (as past the end)."""
    raw = request.args.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def paginate(stmt: Select, per_page: int = PER_PAGE) -> Pagination:
    """One page of `stmt`, from the `page` query argument; a page past the end is a 404."""
    return db.paginate(stmt, page=page_number(), per_page=per_page, max_per_page=100, error_out=True)


def page_url(page: int, endpoint: str | None = None) -> str:
    """The current URL with `page` replaced, other query arguments kept. `endpoint` names the list
    when another route renders it (an answer sent back with errors), so the links lead to the list."""
    view_args = {} if endpoint else (request.view_args or {})
    # Arguments that url_for would take as its own (_anchor, _external...) or as the route's are dropped.
    given = request.args.to_dict(flat=False)
    args = {k: v for k, v in given.items() if not k.startswith("_") and k not in view_args}
    args["page"] = [str(page)]
    return url_for(endpoint or request.endpoint, **view_args, **args)
