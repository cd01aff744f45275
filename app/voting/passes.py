"""Who is voting in this request: a census or code pass kept in the session, else the signed-in account.

A pass is what a person gets for proving they are on the census list or typing a voter code, when
they have no account: it lasts PASS_MINUTES, for one process, on that device only, and "Finish"
ends it at once (kiosks). A pass takes precedence over the account signed in on the device.
"""

import secrets
import time

from flask import session
from flask_login import current_user

from app.db import utcnow
from app.processes.models import Process
from app.voting import eligibility
from app.voting.eligibility import Voter
from app.voting.errors import NotEligible

PASS_MINUTES = 30
_SESSION_KEY = "vote_pass"


def set_pass(process: Process, kind: str, ref: int) -> None:
    session[_SESSION_KEY] = {
        "p": process.id,
        "k": kind,
        "r": ref,
        "exp": int(time.time()) + PASS_MINUTES * 60,
    }


def clear_pass() -> None:
    session.pop(_SESSION_KEY, None)


def current_pass(process: Process) -> tuple[str, int] | None:
    held = session.get(_SESSION_KEY)
    if not held or held.get("p") != process.id or held.get("exp", 0) < time.time():
        return None
    return held["k"], held["r"]


def current_voter(process: Process) -> tuple[Voter | None, NotEligible | None]:
    """(the voter of this request, or None) and, for a signed-in account that may not vote, why not."""
    held = current_pass(process)
    if held and (voter := eligibility.pass_voter(process, *held)):
        return voter, None
    if not current_user.is_authenticated:
        return None, None
    try:
        return eligibility.account_voter(process, current_user, now=utcnow()), None
    except NotEligible as exc:
        return None, exc


def shuffle_seed(voter: Voter | None) -> str:
    """What orders the projects for this person: their voter key, else a random value in the session."""
    if voter is not None:
        return voter.key
    return session.setdefault("ballot_seed", secrets.token_hex(8))


def save_draft(process: Process, district_id: int, token: str) -> None:
    """Remember the token of this person's latest draft of a district's ballot (drafts.py)."""
    drafts = dict(session.get("ballot_drafts", {}))
    drafts[f"{process.id}:{district_id}"] = token
    session["ballot_drafts"] = drafts


def saved_draft(process: Process, district_id: int) -> str | None:
    return session.get("ballot_drafts", {}).get(f"{process.id}:{district_id}")


def drop_draft(process_id: int, district_id: int) -> None:
    drafts = dict(session.get("ballot_drafts", {}))
    if drafts.pop(f"{process_id}:{district_id}", None) is not None:
        session["ballot_drafts"] = drafts
