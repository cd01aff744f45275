"""Ballots in progress, kept on the server under a random token.

The review page, a reload, a dropped connection and a sign-in in the middle all find the draft
again through the token in the address (`?d=…`); the choices never appear in an address, so they
never reach a web server's access log next to an IP address. A draft names nobody. It is deleted
when the ballot is cast, and drafts older than DRAFT_DAYS are purged whenever a new one is saved.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete

from app.db import utcnow
from app.extensions import db
from app.voting.ballots import DistrictBallot
from app.voting.models import BallotDraft

DRAFT_DAYS = 2


def save_draft(ballot: DistrictBallot, choices: dict[int, int], *, now: datetime | None = None) -> str:
    """Keep `choices` (already checked) for a district's ballot; returns the new draft's token. Flushes."""
    now = now or utcnow()
    db.session.execute(delete(BallotDraft).where(BallotDraft.created_at < now - timedelta(days=DRAFT_DAYS)))
    token = secrets.token_urlsafe(16)
    db.session.add(
        BallotDraft(
            id=token,
            process_id=ballot.process.id,
            district_id=ballot.budget.district_id,
            choices={str(project_id): points for project_id, points in sorted(choices.items())},
        )
    )
    db.session.flush()
    return token


def load_draft(ballot: DistrictBallot, token: str | None) -> dict[int, int] | None:
    """The choices of a draft of this district's ballot, or None (unknown, expired, or another ballot's)."""
    draft = db.session.get(BallotDraft, token) if token and len(token) <= 32 else None
    if draft is None or (draft.process_id, draft.district_id) != (
        ballot.process.id,
        ballot.budget.district_id,
    ):
        return None
    on_ballot = {p.id for p in ballot.projects}
    return {int(k): v for k, v in draft.choices.items() if int(k) in on_ballot}


def drop_draft(token: str | None) -> None:
    """Forget a draft (once its ballot is cast)."""
    if token:
        db.session.execute(delete(BallotDraft).where(BallotDraft.id == token))
