"""Same-site redirects only."""

from urllib.parse import urlsplit

from flask import redirect, request, url_for
from werkzeug.wrappers import Response


def is_safe_path(target: str | None) -> bool:
    """True for a same-site relative path: one leading slash, no `//`, no backslash, no control chars."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or "//" in target.split("?", 1)[0]:
        return False
    return all(ch.isprintable() and ch != " " for ch in target)


def redirect_next(default_endpoint: str, **values: object) -> Response:
    """Redirect to `next` (form or query) when it is a safe path, else to the default endpoint."""
    target = request.form.get("next") or request.args.get("next")
    if is_safe_path(target):
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


def return_path() -> str:
    """Where a form on this page (the language switch) brings the visitor back: this page, or, when the
    page answers a POST (a form sent back with its errors), the page the form was sent from."""
    if request.method in ("GET", "HEAD"):
        return request.full_path if request.query_string else request.path
    sent_from = urlsplit(request.referrer or "")
    path = sent_from.path + (f"?{sent_from.query}" if sent_from.query else "")
    return path if sent_from.netloc == request.host and is_safe_path(path) else "/"
