"""Paper ballots, typed in twice by two different officers.

A paper ballot sheet carries a number, the district, the voter's identity (their details on the
census list, the e-mail of their account, or a voter code) and their choices. The first officer's
entry waits; a second entry by another officer must agree on all of it. Then the ballot counts under
the voter's key, the same key as online, so nobody votes both on paper and online. If the entries
differ, both are discarded and the sheet must be entered twice again. Entries are deleted once a
sheet is settled; officers never see who voted what, only sheet numbers and their state.
Paper ballots are entered while the process is in the voting phase, also after voting has closed
(counting follows the close of the polling stations); the process cannot move on while a sheet waits.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.auth.services import find_user_by_email
from app.core import audit
from app.db import utcnow
from app.extensions import db
from app.processes.models import Phase, Process
from app.voting import census, codes
from app.voting.ballots import check_choices, district_ballot, store_ballot
from app.voting.eligibility import Voter, check_age, check_district, linked_census_entry, make_voter
from app.voting.errors import NotEligible, VotingClosed, VotingError
from app.voting.models import CensusEntry, Channel, PaperEntry, PaperSheet, SheetStatus


@dataclass(frozen=True)
class PaperIdentity:
    kind: str  # "census", "account" or "code"
    id_number: str = ""
    birth_date: date | None = None
    postcode: str = ""
    email: str = ""
    code: str = ""


@dataclass(frozen=True)
class PaperOutcome:
    number: str
    status: SheetStatus
    message: str


def paper_voter(process: Process, who: PaperIdentity, now: datetime) -> Voter:
    """The voter a paper sheet names; raises NotEligible when the details do not identify one."""
    if who.kind == "census" and process.allow_census:
        entry = census.find_entry(process, who.id_number, birth_date=who.birth_date, postcode=who.postcode)
        return make_voter(process, f"census:{entry.id}", Channel.PAPER, entry.district_id)
    if who.kind == "code" and process.allow_codes:
        code = codes.redeem_code(process, who.code)
        return make_voter(process, f"code:{code.id}", Channel.PAPER, code.district_id)
    if who.kind == "account":
        return _account_voter(process, find_user_by_email(who.email), now)
    raise NotEligible(_l("This process does not use this kind of identity."), "identity", "kind")


def _account_voter(process: Process, user: User | None, now: datetime) -> Voter:
    if user is None or not user.is_active:
        raise NotEligible(_l("No account has this email address."), "email", "no_account")
    if process.allow_census:
        entry = linked_census_entry(process, user)
        if entry is None:
            raise NotEligible(
                _l("This account is not linked to the voters' list: use the voter's census details."),
                "email",
                "census_link",
            )
        return make_voter(process, f"census:{entry.id}", Channel.PAPER, entry.district_id or user.district_id)
    check_age(process, user.birth_date, now)
    return make_voter(process, f"user:{user.id}", Channel.PAPER, user.district_id)


def enter_paper_ballot(
    process: Process,
    officer: User,
    *,
    number: str,
    district_id: int,
    who: PaperIdentity,
    choices: dict[int, int],
    now: datetime | None = None,
) -> PaperOutcome:
    """Record one officer's entry of a paper sheet and settle the sheet when it is the second entry.

    Entries with an unknown voter, a district the voter may not vote in, or choices that break the
    ballot's rules are refused at once (VotingError), so a typing slip is caught while typing. Flushes."""
    now = now or utcnow()
    if process.phase != Phase.VOTING:
        raise VotingClosed(_l("Paper ballots can be entered only in the voting phase."), reason="closed")
    voter = paper_voter(process, who, now)
    check_district(process, voter, district_id)
    ballot = district_ballot(process, district_id)
    if ballot is None:
        raise VotingError(_l("This district has no ballot in this process."), "district_id")
    cleaned = check_choices(ballot, choices)
    sheet = _sheet(process, number)
    if sheet.status == SheetStatus.COUNTED:
        raise VotingError(_l("Sheet %(number)s is already counted.", number=number), "number")
    if any(e.entered_by_id == officer.id for e in sheet.entries):
        raise VotingError(
            _l(
                "You have already entered sheet %(number)s. Another officer must enter it the second time.",
                number=number,
            ),
            "number",
        )
    entry = PaperEntry(
        district_id=district_id, voter_key=voter.key, choices=_json(cleaned), entered_by_id=officer.id
    )
    outcome = _settle(process, sheet, entry, voter, cleaned, now)
    audit.record(officer, "paper.entered", sheet, after={"status": outcome.status.value})
    return outcome


def _sheet(process: Process, number: str) -> PaperSheet:
    stmt = (
        select(PaperSheet)
        .where(PaperSheet.process_id == process.id, PaperSheet.number == number)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    sheet = db.session.scalar(stmt)
    if sheet is None:
        try:
            with db.session.begin_nested():
                sheet = PaperSheet(process_id=process.id, number=number, status=SheetStatus.WAITING)
                db.session.add(sheet)
        except IntegrityError:  # another officer started this sheet a moment ago
            sheet = db.session.scalar(stmt)
    return sheet


def _settle(process, sheet, entry, voter, cleaned, now) -> PaperOutcome:
    first = next(iter(sheet.entries), None)
    if first is None:
        sheet.entries.append(entry)
        sheet.status, sheet.note = SheetStatus.WAITING, ""
        return PaperOutcome(
            sheet.number,
            SheetStatus.WAITING,
            str(
                _l(
                    "Sheet %(number)s is saved. Another officer must now enter it a second time.",
                    number=sheet.number,
                )
            ),
        )
    sheet.entries.clear()
    if (first.district_id, first.voter_key, first.choices) != (
        entry.district_id,
        entry.voter_key,
        entry.choices,
    ):
        sheet.status = SheetStatus.CONFLICT
        return PaperOutcome(
            sheet.number,
            SheetStatus.CONFLICT,
            str(
                _l(
                    "The two entries of sheet %(number)s differ. "
                    "Check the paper: it must be entered twice again.",
                    number=sheet.number,
                )
            ),
        )
    try:
        store_ballot(process.id, entry.district_id, voter.key, Channel.PAPER, cleaned)
    except NotEligible as exc:
        sheet.status, sheet.note = SheetStatus.REFUSED, exc.reason
        return PaperOutcome(
            sheet.number,
            SheetStatus.REFUSED,
            str(
                _l(
                    "Both entries of sheet %(number)s agree, but it cannot count: %(reason)s",
                    number=sheet.number,
                    reason=exc,
                )
            ),
        )
    _mark_used(voter, now)
    sheet.status, sheet.note = SheetStatus.COUNTED, ""
    db.session.flush()
    return PaperOutcome(
        sheet.number,
        SheetStatus.COUNTED,
        str(_l("Both entries of sheet %(number)s agree: the ballot is counted.", number=sheet.number)),
    )


def _mark_used(voter: Voter, now: datetime) -> None:
    kind, ref = voter.identity.split(":", 1)
    if kind == "code":
        codes.spend_code(int(ref), now)
    elif kind == "census":
        entry = db.session.get(CensusEntry, int(ref))
        entry.claimed_at = entry.claimed_at or now


def _json(choices: dict[int, int]) -> dict[str, int]:
    return {str(project_id): points for project_id, points in sorted(choices.items())}


def open_sheets(process: Process) -> list[PaperSheet]:
    """Sheets that still need work: waiting for a second entry, in conflict, or refused."""
    return list(
        db.session.scalars(
            select(PaperSheet)
            .where(PaperSheet.process_id == process.id, PaperSheet.status != SheetStatus.COUNTED)
            .order_by(PaperSheet.number)
        )
    )


def sheet_counts(process: Process) -> dict[SheetStatus, int]:
    rows = db.session.execute(
        select(PaperSheet.status, func.count())
        .where(PaperSheet.process_id == process.id)
        .group_by(PaperSheet.status)
    ).all()
    return {status: n for status, n in rows}
