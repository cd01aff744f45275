"""Error pages in the site's style, and a rollback before any error page is rendered."""

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("We could not find that page. It may have moved or been removed.")),
    405: (_l("Not allowed"), _l("That action is not possible on this page.")),
    413: (_l("Too large"), _l("What you sent is too large. Photos must be under the size limit.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("Sorry, something went wrong on our side. Please try again.")),
}


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        return {"error": {"code": code, "message": str(detail or message)}}, code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def _handle_http(exc: HTTPException):
    db.session.rollback()
    detail = exc.description if exc.code == 400 and exc.description and "CSRF" in exc.description else None
    if detail:
        detail = str(
            _l("Your form expired or was sent from another site. Please reload the page and try again.")
        )
    return render_error(exc.code or 500, detail)


def _handle_unexpected(exc: Exception):
    db.session.rollback()
    return render_error(500)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    if not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
