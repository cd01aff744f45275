"""Public pages kept rendered for a short time, for people who are not signed in.

A results page or a proposal list costs 15-30 ms of CPU to render; on voting day most of the
public traffic asks for the same few pages. `cached_page` keeps the rendered HTML per address
(scheme, host, path and query) and interface language, for `PAGE_CACHE_SECONDS` (30 by default;
0 turns it off), and serves it again to anyone not signed in.

What is never shared:
- a page for someone signed in, or whose session holds anything but a CSRF token (flashed
  messages, a voting pass, a ballot draft, a random sort order): they get their own render;
- a page whose view set a cookie, flashed, or answered anything but 200 with HTML;
- CSRF tokens: the token in a stored page is replaced by a marker, and each answer gets the
  asker's own token in its place (so the session cookie and its token stay per visitor, and the
  page stays `Cache-Control: private, no-cache` for browsers and proxies).

A stored page is used only while the version it was rendered at is current. The version moves
after every commit that changed a table a public page may show (anything but ballots, drafts,
voter lists, notifications, queued e-mail and the audit log; a sign-in's timestamp does not
count), whether through the ORM (`after_flush`) or an `insert`/`update`/`delete` statement run by
the session.
Without Redis the version is per process, so another worker shows a change when its copy
expires (at most `PAGE_CACHE_SECONDS`); with `REDIS_URL` the version is shared and other workers
notice a change within `VERSION_CHECK_SECONDS`.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, Response, current_app, g, has_app_context, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

log = logging.getLogger(__name__)

# Tables no cached page shows: changes to them leave stored pages valid.
PRIVATE_TABLES = frozenset(
    {
        "ballots",
        "ballot_choices",
        "ballot_drafts",
        "census_entries",
        "voter_codes",
        "paper_sheets",
        "paper_entries",
        "notifications",
        "notification_settings",
        "outbox_messages",
        "audit_events",
    }
)
# Columns of public tables that no page shows (a sign-in writes the time of the sign-in).
PRIVATE_COLUMNS = {"users": frozenset({"last_sign_in_at", "password_hash"})}
# What the session of someone who may be shown a shared page can hold.
ANONYMOUS_SESSION_KEYS = frozenset({"csrf_token", "_permanent"})
VERSION_KEY = "pagecache:version"
VERSION_CHECK_SECONDS = 1.0
_CHANGED = "page_cache_changed"


@dataclass(frozen=True)
class _Page:
    version: tuple[int, int]
    expires: float
    status: int
    content_type: str
    body: bytes


class PageCache:
    """Rendered pages in this process (least recently used out first), keyed by address and language."""

    def __init__(self, seconds: float, max_pages: int = 500, redis_url: str | None = None):
        self.seconds = seconds
        self.max_pages = max_pages
        self.clock: Callable[[], float] = time.monotonic
        self.marker = f"csrf-{secrets.token_hex(16)}".encode()
        self._pages: OrderedDict[tuple[str, str], _Page] = OrderedDict()
        self._lock = threading.Lock()
        self._local = 0
        self._shared, self._shared_read_at = 0, float("-inf")
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def version(self) -> tuple[int, int] | None:
        """The current version, or None when the shared version cannot be read (then nothing is cached)."""
        if self._redis is not None and self.clock() - self._shared_read_at >= VERSION_CHECK_SECONDS:
            try:
                self._shared = int(self._redis.get(VERSION_KEY) or 0)
            except Exception:  # Redis down: render every page, as without the cache
                log.warning("page cache: cannot read the shared version", exc_info=True)
                return None
            self._shared_read_at = self.clock()
        return (self._local, self._shared)

    def bump(self) -> None:
        """Something public changed: every stored page is out of date, here and in other workers."""
        with self._lock:
            self._local += 1
        if self._redis is not None:
            try:
                self._shared = int(self._redis.incr(VERSION_KEY))
            except Exception:
                log.warning("page cache: cannot move the shared version", exc_info=True)
                self._shared_read_at = float("-inf")  # read it again before the next use

    def get(self, key: tuple[str, str], version: tuple[int, int]) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.version != version or page.expires <= self.clock():
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, str], page: _Page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


def register_page_cache(app: Flask) -> None:
    seconds = app.config.get("PAGE_CACHE_SECONDS", 0)
    if seconds > 0:
        app.extensions["page_cache"] = PageCache(
            seconds, app.config.get("PAGE_CACHE_MAX_PAGES", 500), app.config.get("REDIS_URL")
        )


def _anonymous() -> bool:
    return set(session.keys()) <= ANONYMOUS_SESSION_KEYS and current_user.is_anonymous


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _storable(response: Response) -> bytes | None:
    """The body to store (its CSRF token replaced by the marker), or None when it must not be shared."""
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or "Set-Cookie" in response.headers
        or not _anonymous()
    ):
        return None
    body = response.get_data()
    token = g.get(_csrf_field())
    if token:
        body = body.replace(token.encode(), current_app.extensions["page_cache"].marker)
    raw = session.get(_csrf_field())
    if raw and raw.encode() in body:
        return None
    return body


def cached_page(view):
    """Serve the view's page from the cache to people not signed in (see the module's docstring)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache: PageCache | None = current_app.extensions.get("page_cache")
        if cache is None or request.method not in ("GET", "HEAD") or not _anonymous():
            return view(*args, **kwargs)
        version = cache.version()
        if version is None:
            return view(*args, **kwargs)
        key = (request.url, str(get_locale()))
        page = cache.get(key, version)
        if page is None:
            response = make_response(view(*args, **kwargs))
            body = _storable(response)
            if body is not None:
                expires = cache.clock() + cache.seconds
                cache.put(key, _Page(version, expires, 200, response.content_type, body))
        else:
            body = page.body
            if cache.marker in body:
                body = body.replace(cache.marker, generate_csrf().encode())
            response = Response(body, page.status, content_type=page.content_type)
        response.vary.add("Accept-Language")  # the language may come from the browser's preference
        return response

    return wrapper


# -- what moves the version -------------------------------------------------------------------------


def _public(table_name: str | None) -> bool:
    return table_name not in PRIVATE_TABLES


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in (*session.new, *session.deleted):
        if _public(getattr(getattr(obj, "__table__", None), "name", None)):
            session.info[_CHANGED] = True
            return
    for obj in session.dirty:
        table = getattr(getattr(obj, "__table__", None), "name", None)
        if not _public(table):
            continue
        ignored = PRIVATE_COLUMNS.get(table)
        if ignored is None or any(
            attr.key not in ignored and attr.history.has_changes() for attr in inspect(obj).attrs
        ):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if _public(getattr(table, "name", None)):
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        cache = current_app.extensions.get("page_cache")
        if cache is not None:
            cache.bump()


@event.listens_for(Session, "after_transaction_end")
def _forget_after_rollback(session: Session, transaction) -> None:
    # After a commit, `after_commit` has already taken the mark; anything left was rolled back.
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
