import re

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.forms import LanguageForm
from app.core.images import SIZES, upload_dir
from app.core.migrations import migration_heads
from app.core.pagecache import cached_page
from app.core.redirects import redirect_next
from app.extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.route("/")
@cached_page
def home():
    return render_template("core/home.html")


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the chosen language: on the account when signed in, and in a cookie for a year."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = form.lang.data
        db.session.commit()
    response = redirect_next("core.home")
    response.set_cookie(
        "lang",
        form.lang.data,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


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


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """Ready to take traffic: the database answers, its schema is at the latest migration, Redis answers."""
    checks = {"database": _database_ready(), "redis": _redis_ready()}
    ok = all(value in ("ok", "not configured") for value in checks.values())
    return {"status": "ready" if ok else "not ready", **checks}, 200 if ok else 503


def _database_ready() -> str:
    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        db.session.rollback()
        return "down or not migrated"
    return "ok" if set(current) == migration_heads() else "migrations pending"


def _redis_ready() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=1).ping()
    except Exception:
        return "down"
    return "ok"


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
