"""Uploading a process's census list (see census.py for what is stored and how it is proved).

An admin uploads a CSV file with a header row: `id_number` and `birth_date` and/or `postcode`, and
optionally `district` (its short name or name). Commas, semicolons or tabs separate columns; birth
dates are 2001-04-30, 30.04.2001 or 30/04/2001. People under the process's minimum age on the last
day of voting are left out at upload.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from app.auth.models import User
from app.core import audit
from app.db import utcnow
from app.extensions import db
from app.processes.models import Phase, Process
from app.voting import rules
from app.voting.census import id_hash, normalise_id, normalise_postcode, proof_hash
from app.voting.eligibility import last_voting_day
from app.voting.errors import VotingError
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


def parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


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
