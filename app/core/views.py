import re

from flask import Blueprint, abort, render_template, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.images import SIZES, upload_dir
from app.extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    return render_template("core/home.html")


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """200 when the app and its database answer, 503 otherwise; no session, no template."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "database": "up"}, 200


_MEDIA_NAME = re.compile(r"^[A-Za-z0-9_-]{22}-(" + "|".join(SIZES) + r")\.jpg$")


@bp.route("/media/<name>")
@limiter.exempt
def media(name: str):
    """A stored photo. Names are random and never reused, so browsers may keep them for a year."""
    if not _MEDIA_NAME.match(name):
        abort(404)
    response = send_from_directory(upload_dir(), name, max_age=365 * 24 * 3600)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
