"""Outgoing e-mail, sent only after the request's transaction commits.

Services call `queue_mail`; the message goes out after a successful commit (and is dropped on
rollback), so nobody receives mail about something that was never saved.
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


def queue_mail_after_response(
    to: str, subject: str, template: str, locale: str | None = None, **context
) -> None:
    """As `queue_mail`, but the message is rendered and sent once the answer has gone out.

    The request that commits does not pay for the e-mail (a receipt was ~20% of a cast's CPU): the
    message is built and sent when the server closes the response, in the worker that served it.
    `context` must hold plain values, not rows: the request's session is gone by then. A message
    that cannot be built or sent is logged; one queued outside a request is sent at the commit.
    """
    app = current_app._get_current_object()

    def job() -> None:
        with app.app_context():
            try:
                send_now(app, build_message(to, subject, template, locale, **context))
            except Exception:
                log.exception("could not build or send e-mail %r to %s", template, to)

    on_commit(lambda: _after_response(job))


_JOBS = "after_response_jobs"


def _after_response(job: Callable[[], None]) -> None:
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
        # A response that never passed the after_request hooks: send now rather than lose the mail.
        _run(g.pop(_JOBS, None) or [])


def send_now(app, msg: EmailMessage) -> None:
    backend = app.config["MAIL_BACKEND"]
    if backend == "memory":
        app.extensions.setdefault("mail_outbox", []).append(msg)
    elif backend == "log":
        log.info("e-mail (not sent: MAIL_BACKEND=log)\n%s", msg.as_string())
    else:
        _send_smtp(app.config, msg)


def _send_smtp(config, msg: EmailMessage) -> None:
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        # The change is already committed; a lost mail is logged rather than turned into an error page.
        log.exception("could not send e-mail %r to %s", msg["Subject"], msg["To"])
