"""Refuse requests carrying NUL characters, which no form or link of ours ever sends.

PostgreSQL cannot hold a NUL in text (the query fails), and SQLite ends a LIKE pattern at one (a
search for "\\x00anything" matches everything); refusing them up front answers a clear 400 on both.
"""

from flask import Flask, abort, request


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
