"""Error pages in the site's style, and a rollback before any error page is rendered.

When the database cannot be reached (restarting, failing over, out of connections), the answer is a
503 page with Retry-After, not a 500: nothing was saved, and sending the same request again is the
right thing to do (casting a ballot again, for one, replaces it with itself).
"""

import logging

from flask import Flask, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.extensions import db, login_manager

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("We could not find that page. It may have moved or been removed.")),
    405: (_l("Not allowed"), _l("That action is not possible on this page.")),
    413: (_l("Too large"), _l("What you sent is too large. Photos must be under the size limit.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("Sorry, something went wrong on our side. Please try again.")),
    503: (
        _l("Briefly unavailable"),
        _l("We cannot save or show this right now. Please try again in a few seconds."),
    ),
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
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()
    return render_error(500)


def _close_session(_exc: BaseException | None) -> None:
    """End the request's session. When the database went away after the answer was made (say a
    commit that succeeded, then a restart), the answer still goes out: it is true."""
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        log.warning("database gone while closing the session: %s", str(error).split("\n", 1)[0])
        db.session.registry.clear()


def _database_unavailable(exc: Exception) -> bool:
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _handle_database(exc: DBAPIError):
    if not _database_unavailable(exc):
        raise exc  # a programming or data error: the generic handler (or the test) sees it
    log.warning("database unavailable: %s", str(exc).split("\n", 1)[0])
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()
    # Rows loaded before the failure are expired by the rollback and cannot be loaded again now, so
    # the page is drawn for an anonymous visitor (the session cookie is left as it is).
    login_manager._update_request_context_with_user()
    response = make_response(render_error(503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(DBAPIError, _handle_database)
    # Teardown functions run in reverse order: this one before Flask-SQLAlchemy's, which then has
    # nothing left to close.
    app.teardown_appcontext(_close_session)
    if not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
