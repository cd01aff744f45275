"""Paging for list pages, with next/previous links that keep the other query arguments."""

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db

PER_PAGE = 20


def paginate(stmt: Select, per_page: int = PER_PAGE) -> Pagination:
    """One page of `stmt`, from the `page` query argument; a page past the end is a 404."""
    return db.paginate(stmt, per_page=per_page, max_per_page=100, error_out=True)


def page_url(page: int) -> str:
    """The current URL with `page` replaced, other query arguments kept."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)
