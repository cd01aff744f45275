"""Outgoing e-mail, sent only after the request's transaction commits.

Services call `queue_mail`; the message goes out after a successful commit (and is dropped on
rollback), so nobody receives mail about something that was never saved. Mail that must not be
lost if the worker dies (the ballot receipt) goes through the outbox table instead (outbox.py).
Backends: `smtp` (MAIL_SERVER set), `log` (development: the whole message is logged, links included),
`memory` (tests: messages are appended to `app.extensions["mail_outbox"]`).
"""

import logging
import smtplib
from collections.abc import Callable
from email.message import EmailMessage

from flask import Flask, Response, current_app, g, has_request_context, render_template
from flask_babel import force_locale

from app.core.aftercommit import on_commit

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, template: str, locale: str | None = None, **context) -> EmailMessage:
    """A plain-text message rendered from `templates/emails/<template>.txt` in the reader's language.

    `subject` may be a lazy translation; it is rendered in `locale` too. It can quote what people typed
    (a title, a reason), so line breaks and runs of white space become one space: a header has one line.
    """
    msg = EmailMessage()
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        msg["Subject"] = " ".join(str(subject).split())
        msg.set_content(render_template(f"emails/{template}.txt", **context))
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    return msg


def queue_mail(to: str, subject: str, template: str, locale: str | None = None, **context) -> None:
    """Render a message now and send it once the current transaction commits."""
    msg = build_message(to, subject, template, locale, **context)
    app = current_app._get_current_object()
    on_commit(lambda: send_now(app, msg))


_JOBS = "after_response_jobs"


def after_response(job: Callable[[], None]) -> None:
    """Run `job` once the answer has gone out, in the worker that served it (at once outside a request).

    The request does not pay for the job; a worker that dies before the job runs loses it, so a job
    that must happen is recorded first (the outbox, app/core/outbox.py) and the job only speeds it up.
    """
    if has_request_context():
        g.setdefault(_JOBS, []).append(job)
    else:
        job()


def _run(jobs: list[Callable[[], None]]) -> None:
    for job in jobs:
        job()


def register_mail(app: Flask) -> None:
    @app.after_request
    def _send_after_response(response: Response) -> Response:
        jobs = g.pop(_JOBS, None)
        if jobs:
            response.call_on_close(lambda: _run(jobs))
        return response

    @app.teardown_request
    def _send_leftovers(_exc) -> None:
        # A response that never passed the after_request hooks: run the jobs now rather than drop them.
        _run(g.pop(_JOBS, None) or [])


def send_now(app, msg: EmailMessage) -> None:
    """Send `msg`; a failure is logged, not raised: what the message tells about is already saved."""
    try:
        deliver(app, msg)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send e-mail %r to %s", msg["Subject"], msg["To"])


def deliver(app, msg: EmailMessage) -> None:
    """Hand `msg` to the configured backend; raises OSError or SMTPException when the server fails."""
    backend = app.config["MAIL_BACKEND"]
    if backend == "memory":
        app.extensions.setdefault("mail_outbox", []).append(msg)
    elif backend == "log":
        log.info("e-mail (not sent: MAIL_BACKEND=log)\n%s", msg.as_string())
    else:
        _send_smtp(app.config, msg)


def _send_smtp(config, msg: EmailMessage) -> None:
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)
