"""The census list: who may vote, proved by an identity number with a birth date or a postcode.

An admin uploads a CSV file with a header row: `id_number` and `birth_date` and/or `postcode`, and
optionally `district` (its short name or name). Commas, semicolons or tabs separate columns; birth
dates are 2001-04-30, 30.04.2001 or 30/04/2001. Only keyed hashes are stored: the identity number
as a lookup hash per process, the birth date (or, if absent, the postcode) as a salted hash.
People under the process's minimum age on the last day of voting are left out at upload.

Proving an entry claims it for the claimant: a signed-in account (the entry is then linked to it,
see eligibility.py) or the entry itself. One entry unlocks one voter: an entry claimed by one
account cannot be used by another.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select

from app.auth.models import User
from app.core import audit
from app.db import utcnow
from app.extensions import db
from app.processes.models import Phase, Process
from app.voting import rules
from app.voting.eligibility import last_voting_day
from app.voting.errors import NotEligible, VotingError
from app.voting.keys import keyed_hash, same, voter_key
from app.voting.models import CensusEntry, ProofKind

COLUMNS = {
    "id_number": ("id_number", "id", "identity_number", "id number", "identity number"),
    "birth_date": ("birth_date", "date_of_birth", "dob", "birth date", "date of birth"),
    "postcode": ("postcode", "post_code", "postal_code", "zip", "postal code"),
    "district": ("district",),
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
MAX_LISTED_PROBLEMS = 20


@dataclass
class CensusImport:
    added: int = 0
    duplicates: int = 0
    under_age: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    skipped: int = 0  # rows with a problem


def normalise_id(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def normalise_postcode(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


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


def import_census(process: Process, actor: User, text: str, *, now: datetime | None = None) -> CensusImport:
    """Add the people in CSV `text` to the process's census list; entries already there are kept.

    Rows with a problem are skipped and reported by line. Audited. Flushes."""
    if process.phase.index > Phase.VOTING.index:
        raise VotingError(_l("The voting phase is over: the census list cannot change any more."), "file")
    reader = _reader(text)
    columns = _columns(reader.fieldnames or [])
    report = CensusImport()
    seen = set(db.session.scalars(select(CensusEntry.id_hash).where(CensusEntry.process_id == process.id)))
    rows = []
    voting_day = last_voting_day(process, now or utcnow())
    for line, row in enumerate(reader, start=2):
        entry = _entry(process, columns, row, voting_day, report, line)
        if entry is None:
            continue
        if entry["id_hash"] in seen:
            report.duplicates += 1
            continue
        seen.add(entry["id_hash"])
        rows.append(entry)
    if rows:
        db.session.execute(insert(CensusEntry), rows)
    report.added = len(rows)
    audit.record(
        actor,
        "census.imported",
        process,
        after={
            "added": report.added,
            "duplicates": report.duplicates,
            "under_age": report.under_age,
            "skipped": report.skipped,
        },
    )
    return report


def _reader(text: str) -> csv.DictReader:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _columns(fieldnames: list[str]) -> dict[str, str]:
    """Our column name → the file's header, for the columns the file has."""
    found = {}
    for header in fieldnames:
        name = (header or "").strip().lower()
        for column, aliases in COLUMNS.items():
            if name in aliases:
                found[column] = header
    if "id_number" not in found or not ({"birth_date", "postcode"} & found.keys()):
        raise VotingError(
            _l(
                "The first line must name the columns: id_number, and birth_date or postcode "
                "(district is optional)."
            ),
            "file",
        )
    return found


class _RowProblem(Exception):
    pass


class _UnderAge(Exception):
    pass


def _entry(process, columns, row, voting_day, report, line) -> dict | None:
    """The census_entries row for one CSV row; None (counted in `report`) when it is skipped."""

    def value(column: str) -> str:
        return (row.get(columns[column]) or "").strip() if column in columns else ""

    if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
        return None  # an empty line
    try:
        number = normalise_id(value("id_number"))
        if not number:
            raise _RowProblem(_l("There is no identity number."))
        district_id = _district_id(process, value("district"))
        if value("district") and district_id is None:
            raise _RowProblem(_l("“%(name)s” is not a district of this process.", name=value("district")))
        kind, proof = _proof(process, value("birth_date"), value("postcode"), voting_day)
    except _UnderAge:
        report.under_age += 1
        return None
    except _RowProblem as exc:
        report.skipped += 1
        if len(report.problems) < MAX_LISTED_PROBLEMS:
            report.problems.append((line, str(exc)))
        return None
    salt = secrets.token_hex(16)
    return {
        "process_id": process.id,
        "id_hash": id_hash(process.id, number),
        "salt": salt,
        "proof_kind": kind,
        "proof_hash": proof_hash(salt, kind, proof),
        "district_id": district_id,
        "created_at": utcnow(),
    }


def _proof(process: Process, birth_date: str, postcode: str, voting_day: date) -> tuple[ProofKind, str]:
    """The birth date (preferred) or postcode a person will prove themselves with."""
    if birth_date:
        born = parse_date(birth_date)
        if born is None:
            raise _RowProblem(_l("The birth date is not a date like 2001-04-30."))
        if process.min_age and rules.age_on(born, voting_day) < process.min_age:
            raise _UnderAge
        return ProofKind.BIRTH_DATE, born.isoformat()
    if normalise_postcode(postcode):
        return ProofKind.POSTCODE, normalise_postcode(postcode)
    raise _RowProblem(_l("There is no birth date or postcode."))


def _district_id(process: Process, name: str) -> int | None:
    wanted = name.strip().lower()
    for budget in process.budgets:
        if wanted and wanted in (budget.district.slug.lower(), budget.district.name.lower()):
            return budget.district_id
    return None


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
