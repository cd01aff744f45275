"""One structured (JSON) log line per request, with a request id that is also sent back to the client."""

import json
import logging
import re
import time
import uuid

from flask import Flask, g, request, session
from flask_login import current_user

log = logging.getLogger("app.requests")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id() -> str:
    return getattr(g, "request_id", "-")


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
        return (
            f'{{"ts":"{when}.{int(record.msecs):03d}Z","level":"{record.levelname}",{record.getMessage()[1:]}'
        )


def _user_id() -> str | None:
    """The signed-in user's id, read from the session: after a commit the user's row is expired,
    and asking the row would cost a query per request just for this line."""
    if current_user.is_anonymous:
        return None
    return str(session.get("_user_id", "")).split(":")[0] or None


def register_request_logging(app: Flask) -> None:
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(_JsonLines())
        handler.formatter.converter = time.gmtime
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        response.headers["X-Request-ID"] = request_id()
        if request.endpoint in ("static", "core.healthz"):
            return response
        log.info(
            json.dumps(
                {
                    "request_id": request_id(),
                    "method": request.method,
                    "path": request.path,
                    "endpoint": request.endpoint,
                    "status": response.status_code,
                    "ms": round(
                        (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1
                    ),
                    "user": _user_id(),
                    "ip": request.remote_addr,
                },
                separators=(",", ":"),
            )
        )
        return response
