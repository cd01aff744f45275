"""Input no page of ours ever sends, refused before it reaches the database.

- NUL characters: PostgreSQL cannot hold a NUL in text (the query fails), and SQLite ends a LIKE
  pattern at one (a search for "\\x00anything" matches everything); they get a clear 400 on both.
- Ids in URLs (`<int:...>`) larger than a database integer: PostgreSQL refuses to compare an integer
  column with them (an error, not "no such row"); such a URL matches no route, so it is a 404.
"""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer, the type of every primary key


class IdConverter(IntegerConverter):
    """Flask's `int` converter, bounded to what an id column can hold."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_id_converter(app: Flask) -> None:
    """Must run before any blueprint adds its routes: a rule binds its converters when added."""
    app.url_map.converters["int"] = IdConverter


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def register_input_checks(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        form = (
            request.form
            if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
            else {}
        )
        if (
            "\x00" in request.path
            or _has_nul(request.args.keys())
            or _has_nul(request.args.values())
            or _has_nul(form.keys())
            or _has_nul(form.values())
        ):
            abort(400)
