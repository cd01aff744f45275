"""The census list: who may vote, proved by an identity number with a birth date or a postcode.

Only keyed hashes are stored: the identity number as a lookup hash per process, the birth date (or,
if absent, the postcode) as a salted hash. The list is uploaded as a CSV file: census_import.py.

Proving an entry claims it for the claimant: a signed-in account (the entry is then linked to it,
see eligibility.py) or the entry itself. One entry unlocks one voter: an entry claimed by one
account cannot be used by another.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.processes.models import Process
from app.voting.errors import NotEligible
from app.voting.keys import keyed_hash, same, voter_key
from app.voting.models import CensusEntry, ProofKind


def normalise_id(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def normalise_postcode(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def id_hash(process_id: int, id_number: str) -> str:
    return keyed_hash("census-id", process_id, normalise_id(id_number))


def proof_hash(salt: str, kind: ProofKind, proof: str) -> str:
    return keyed_hash("census-proof", salt, kind.value, proof)


def census_size(process: Process) -> tuple[int, int]:
    """(entries, claimed entries) of a process's census list."""
    total, claimed = db.session.execute(
        select(func.count(), func.count(CensusEntry.claimed_at)).where(CensusEntry.process_id == process.id)
    ).one()
    return total, claimed


def proof_kinds(process: Process) -> set[ProofKind]:
    """Which proofs this process's census list asks for (so the form shows only those fields)."""
    return set(
        db.session.scalars(
            select(CensusEntry.proof_kind).where(CensusEntry.process_id == process.id).distinct()
        )
    )


NO_MATCH = _l("We could not find these details on the voters' list. Check them and try again.")


def find_entry(
    process: Process, id_number: str, *, birth_date: date | None, postcode: str | None
) -> CensusEntry:
    """The census entry these details prove. Raises NotEligible with one message for every mismatch,
    so that the form reveals nothing about who is on the list."""
    entry = db.session.scalar(
        select(CensusEntry).where(
            CensusEntry.process_id == process.id, CensusEntry.id_hash == id_hash(process.id, id_number)
        )
    )
    if entry is None:
        keyed_hash("census-proof", "timing", "", "")  # about the same work as a real check
        raise NotEligible(NO_MATCH, "id_number", reason="census_no_match")
    given = birth_date.isoformat() if entry.proof_kind == ProofKind.BIRTH_DATE and birth_date else None
    if entry.proof_kind == ProofKind.POSTCODE:
        given = normalise_postcode(postcode or "") or None
    if given is None or not same(entry.proof_hash, proof_hash(entry.salt, entry.proof_kind, given)):
        raise NotEligible(NO_MATCH, "id_number", reason="census_no_match")
    return entry


def prove_census(
    process: Process,
    id_number: str,
    *,
    birth_date: date | None,
    postcode: str | None,
    user: User | None,
    now: datetime | None = None,
) -> CensusEntry:
    """The census entry these details prove, claimed for `user` (signed in) or for itself. Flushes.

    Raises NotEligible when the details do not match, or the entry is linked to another account."""
    entry = find_entry(process, id_number, birth_date=birth_date, postcode=postcode)
    _claim(process, entry, user, now or utcnow())
    return entry


def _claim(process: Process, entry: CensusEntry, user: User | None, now: datetime) -> None:
    own = voter_key(process.id, f"census:{entry.id}")
    claimant = voter_key(process.id, f"user:{user.id}") if user else own
    if (
        entry.claimed_by_key
        and not same(entry.claimed_by_key, claimant)
        and not same(entry.claimed_by_key, own)
    ):
        message = (
            _l("These details are linked to another account. If that was not you, contact the council.")
            if user
            else _l("These details are linked to an account: sign in with it to vote.")
        )
        raise NotEligible(message, "id_number", reason="census_claimed")
    if user is not None and (entry.claimed_by_key is None or same(entry.claimed_by_key, own)):
        taken = _linked_elsewhere(process, claimant, entry)
        if taken:
            raise NotEligible(
                _l("Your account is already linked to other details on the voters' list."),
                "id_number",
                reason="census_claimed",
            )
    if entry.claimed_by_key is None or user is not None:
        entry.claimed_by_key = claimant
    entry.claimed_at = entry.claimed_at or now
    db.session.flush()


def _linked_elsewhere(process: Process, claimant: str, entry: CensusEntry) -> bool:
    return (
        db.session.scalar(
            select(CensusEntry.id).where(
                CensusEntry.process_id == process.id,
                CensusEntry.claimed_by_key == claimant,
                CensusEntry.id != entry.id,
            )
        )
        is not None
    )
