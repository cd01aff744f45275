"""The receipt e-mail, sent once the ballot is committed. It names no project: a mailbox must not
hold a record of how its owner voted."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.mail import queue_mail
from app.processes.models import Phase, ProcessDistrict
from app.voting.ballots import CastResult


def queue_receipt(user: User, budget: ProcessDistrict, result: CastResult) -> None:
    process = budget.process
    dates = process.dates(Phase.VOTING)
    queue_mail(
        user.email,
        _l("Your vote is changed: %(title)s", title=process.title)
        if result.changed
        else _l("Your vote is cast: %(title)s", title=process.title),
        "ballot_receipt",
        user.locale,
        user=user,
        process=process,
        district=budget.district,
        receipt=result.ballot.receipt,
        changed=result.changed,
        ends_at=dates.ends_at if dates else None,
        url=url_for("voting.done", slug=process.slug, district=budget.district.slug, _external=True),
    )
