"""The receipt e-mail, sent once the ballot is committed. It names no project: a mailbox must not
hold a record of how its owner voted."""

from types import SimpleNamespace

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.mail import queue_mail_after_response
from app.processes.models import Phase, ProcessDistrict
from app.voting.ballots import CastResult


def queue_receipt(user: User, budget: ProcessDistrict, result: CastResult) -> None:
    """Queue the receipt; it is rendered and sent after the answer, from these plain values."""
    process = budget.process
    dates = process.dates(Phase.VOTING)
    title = process.title
    queue_mail_after_response(
        user.email,
        _l("Your vote is changed: %(title)s", title=title)
        if result.changed
        else _l("Your vote is cast: %(title)s", title=title),
        "ballot_receipt",
        user.locale,
        user=SimpleNamespace(display_name=user.display_name),
        process=SimpleNamespace(title=title, translations=dict(process.translations or {})),
        district=SimpleNamespace(
            name=budget.district.name, translations=dict(budget.district.translations or {})
        ),
        receipt=result.ballot.receipt,
        changed=result.changed,
        ends_at=dates.ends_at if dates else None,
        url=url_for("voting.done", slug=process.slug, district=budget.district.slug, _external=True),
    )
