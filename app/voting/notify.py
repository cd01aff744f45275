"""The receipt e-mail. It is queued in the outbox (app/core/outbox.py) in the ballot's own transaction,
and built and sent after the answer, or later by `flask mail flush` if that try fails.

It names no project: a mailbox must not hold a record of how its owner voted. Nor does the queued
row hold the receipt code: an address next to a code would tie a person to their line of the
published ballot file in any copy of the database. The row holds the voter's identity ("user:<id>"
or "census:<id>"), and the code is read from the ballot through the voter key when the message is
built, which takes the ballot secret. The row's key is a keyed hash of the code: one message per
receipt. A ballot sent again unchanged keeps its receipt (ballots.store_ballot), so it queues
nothing; a ballot changed before its receipt went out cancels that receipt, as the change queued
one of its own with the new code.
"""

from datetime import datetime
from email.message import EmailMessage
from types import SimpleNamespace

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.core import outbox
from app.core.mail import build_message
from app.extensions import db
from app.processes.models import Phase, ProcessDistrict
from app.voting.ballots import CastResult
from app.voting.eligibility import Voter
from app.voting.keys import keyed_hash, voter_key
from app.voting.models import Ballot

KIND = "ballot_receipt"


def receipt_key(receipt: str) -> str:
    return keyed_hash("receipt-mail", receipt)


def queue_receipt(user: User, voter: Voter, budget: ProcessDistrict, result: CastResult) -> None:
    """Queue the receipt of the ballot just cast, from plain values. Flushes; the caller commits."""
    process = budget.process
    dates = process.dates(Phase.VOTING)
    outbox.enqueue(
        KIND,
        receipt_key(result.ballot.receipt),
        user.email,
        {
            "identity": voter.identity,
            "process_id": process.id,
            "district_id": budget.district_id,
            "changed": result.changed,
            "locale": user.locale,
            "name": user.display_name,
            "title": process.title,
            "translations": dict(process.translations or {}),
            "district": budget.district.name,
            "district_translations": dict(budget.district.translations or {}),
            "ends_at": dates.ends_at.isoformat() if dates and dates.ends_at else None,
            "url": url_for("voting.done", slug=process.slug, district=budget.district.slug, _external=True),
        },
    )


@outbox.builder(KIND, label=_l("Vote receipt"))
def build_receipt(message: outbox.Claimed) -> EmailMessage | None:
    """The receipt, in the voter's language; None if the ballot has another receipt by now, or is gone."""
    values = message.payload
    receipt = db.session.scalar(
        select(Ballot.receipt).where(
            Ballot.process_id == values["process_id"],
            Ballot.district_id == values["district_id"],
            Ballot.voter_key == voter_key(values["process_id"], values["identity"]),
        )
    )
    if receipt is None or receipt_key(receipt) != message.key:
        return None
    title = values["title"]
    return build_message(
        message.recipient,
        _l("Your vote is changed: %(title)s", title=title)
        if values["changed"]
        else _l("Your vote is cast: %(title)s", title=title),
        "ballot_receipt",
        values["locale"],
        user=SimpleNamespace(display_name=values["name"]),
        process=SimpleNamespace(title=title, translations=values["translations"]),
        district=SimpleNamespace(
            name=values["district"], translations=values.get("district_translations", {})
        ),
        receipt=receipt,
        changed=values["changed"],
        ends_at=datetime.fromisoformat(values["ends_at"]) if values["ends_at"] else None,
        url=values["url"],
    )
