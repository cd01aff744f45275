"""Single-use voter codes: for kiosks and for people without an account or e-mail.

An admin generates a batch of codes (for one district, or any) and prints them; only keyed hashes
are stored, so the printed sheet (or the CSV file) made at generation is the only copy. A code is
spent by the first ballot cast with it; the person can still change that ballot, and cast their
city-wide one, on the same device until their voting pass runs out (views: PASS_MINUTES).
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.core import audit
from app.extensions import db
from app.processes.models import Phase, Process
from app.voting.errors import NotEligible, VotingError
from app.voting.keys import keyed_hash, normalise_code, random_code
from app.voting.models import VoterCode

MAX_BATCH = 2000


@dataclass(frozen=True)
class CodeBatch:
    batch: int
    district_name: str
    issued: int
    used: int
    created_at: datetime


def code_hash(process_id: int, code: str) -> str:
    return keyed_hash("voter-code", process_id, normalise_code(code))


def generate_codes(
    process: Process, actor: User, count: int, district_id: int | None
) -> tuple[int, list[str]]:
    """Make `count` new codes for the process (and district, if given); returns (batch, codes).

    The codes exist in clear only in the return value. Audited. Flushes."""
    if process.phase.index > Phase.VOTING.index:
        raise VotingError(_l("The voting phase is over: no more codes can be made."), "count")
    if not 1 <= count <= MAX_BATCH:
        raise VotingError(_l("Make between 1 and %(max)d codes at a time.", max=MAX_BATCH), "count")
    if district_id is not None and process.budget_for(district_id) is None:
        raise VotingError(_l("This district has no budget in this process."), "district_id")
    batch = (
        db.session.scalar(select(func.max(VoterCode.batch)).where(VoterCode.process_id == process.id)) or 0
    ) + 1
    codes = sorted({random_code(2, 5) for _ in range(count)})
    while len(codes) < count:  # a repeat in 50 random bits: practically never
        codes = sorted(set(codes) | {random_code(2, 5)})
    db.session.add_all(
        VoterCode(
            process_id=process.id, code_hash=code_hash(process.id, c), batch=batch, district_id=district_id
        )
        for c in codes
    )
    db.session.flush()
    audit.record(
        actor,
        "voter_codes.generated",
        process,
        after={"batch": batch, "count": count, "district_id": district_id},
    )
    return batch, codes


def redeem_code(process: Process, code: str) -> VoterCode:
    """The unused code of this process that `code` is, typed in any case, with or without its dash."""
    found = db.session.scalar(
        select(VoterCode).where(
            VoterCode.process_id == process.id, VoterCode.code_hash == code_hash(process.id, code)
        )
    )
    if found is None:
        raise NotEligible(
            _l("We do not recognise this code. Check it and try again."), "code", "code_unknown"
        )
    if found.used_at is not None:
        raise NotEligible(
            _l("This code has already been used to vote. Each code works once."), "code", "code_used"
        )
    return found


def spend_code(code_id: int, now: datetime) -> None:
    """Mark a code used by its first ballot (a no-op later)."""
    code = db.session.get(VoterCode, code_id)
    if code is not None and code.used_at is None:
        code.used_at = now


def batches(process: Process) -> list[CodeBatch]:
    rows = db.session.execute(
        select(
            VoterCode.batch,
            VoterCode.district_id,
            func.count(),
            func.count(VoterCode.used_at),
            func.min(VoterCode.created_at),
        )
        .where(VoterCode.process_id == process.id)
        .group_by(VoterCode.batch, VoterCode.district_id)
        .order_by(VoterCode.batch)
    ).all()
    names = {b.district_id: b.district.name for b in process.budgets}
    return [
        CodeBatch(batch, names.get(district_id, "") if district_id else "", issued, used, created)
        for batch, district_id, issued, used, created in rows
    ]


def code_counts(process: Process) -> tuple[int, int]:
    """(codes issued, codes used) in a process."""
    issued, used = db.session.execute(
        select(func.count(), func.count(VoterCode.used_at)).where(VoterCode.process_id == process.id)
    ).one()
    return issued, used
