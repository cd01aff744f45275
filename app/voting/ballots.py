"""Casting and changing ballots.

One ballot per voter key per process and district: the database's unique constraint decides, the
code only makes the outcome pleasant. A first ballot is inserted in a savepoint; if a concurrent
request inserted it first, this one becomes a change of that ballot. A change locks the ballot row
(SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at a time anyway), then replaces its
choices and receipt in the same transaction, so a change is all or nothing. The same ballot sent
again (a double tap, a browser or client retrying) changes nothing, not even the receipt.
A paper ballot is final: nobody can vote online over it, nor on paper over an online one.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.db import utcnow
from app.extensions import db
from app.i18n import localized
from app.processes.models import Process, ProcessDistrict, Project
from app.processes.projects import ballot_projects
from app.voting import codes, messages, rules
from app.voting.eligibility import Voter, check_district, check_open
from app.voting.errors import BallotRejected, NotEligible
from app.voting.keys import new_receipt
from app.voting.models import Ballot, BallotChoice, Channel, this_hour


@dataclass(frozen=True)
class DistrictBallot:
    """One district's ballot: its budget, projects (in this voter's order) and rules."""

    process: Process
    budget: ProcessDistrict
    projects: list[Project]
    rules: rules.BallotRules

    @property
    def costs(self) -> dict[int, int]:
        return {p.id: p.cost_cents for p in self.projects}

    @property
    def titles(self) -> dict[int, str]:
        return {p.id: localized(p, "title") for p in self.projects}

    def status(self, choices: dict[int, int]) -> rules.BallotStatus:
        return rules.ballot_status(self.rules, self.costs, choices)


def ballot_rules(process: Process, budget: ProcessDistrict) -> rules.BallotRules:
    return rules.BallotRules(
        ballot_type=process.ballot_type.value,
        budget_cents=budget.budget_cents,
        min_choices=process.min_choices,
        max_choices=process.max_choices,
        total_points=process.total_points,
        max_points_per_project=process.max_points_per_project,
        min_spend_percent=process.min_spend_percent,
    )


def district_ballot(process: Process, district_id: int, *, seed: str | None = None) -> DistrictBallot | None:
    """The ballot of one district of `process` (None if it has no budget there).

    With a `seed`, projects come in an order of their own for that seed (each voter gets a stable
    order of their own, so that no project gains from being first); without, in ballot order."""
    budget = process.budget_for(district_id)
    if budget is None:
        return None
    projects = ballot_projects(process, district_id)
    if seed is not None:
        projects.sort(key=lambda p: hashlib.sha256(f"{seed}:{p.id}".encode()).digest())
    return DistrictBallot(process, budget, projects, ballot_rules(process, budget))


def check_choices(ballot: DistrictBallot, choices: dict[int, int]) -> dict[int, int]:
    """The choices without zero entries; raises BallotRejected with every problem in plain words."""
    problems = rules.check_ballot(ballot.rules, ballot.costs, choices)
    if problems:
        worded = [(p.field, messages.describe(p, ballot.process.currency, ballot.titles)) for p in problems]
        raise BallotRejected(worded[0][1], problems=worded, field=worded[0][0])
    return rules.clean_choices(choices)


def current_ballot(process: Process, district_id: int, key: str) -> Ballot | None:
    return db.session.scalar(
        select(Ballot).where(
            Ballot.process_id == process.id, Ballot.district_id == district_id, Ballot.voter_key == key
        )
    )


@dataclass(frozen=True)
class CastResult:
    ballot: Ballot
    changed: bool  # True when it replaced the voter's earlier ballot (not when it was sent again as it was)


def cast_ballot(
    process: Process,
    district_id: int,
    voter: Voter,
    choices: dict[int, int],
    *,
    now: datetime | None = None,
    ballot: DistrictBallot | None = None,
) -> CastResult:
    """Record `voter`'s ballot in a district, or replace their earlier one, with a new receipt.

    Checks, in order: voting is open at `now` (end time exclusive), the voter may vote in this
    district, the choices keep the ballot's rules. Spends a voter code on its first ballot. Flushes.
    `ballot` is the district's ballot when the caller has it already (the order of its projects
    does not matter here)."""
    now = now or utcnow()
    check_open(process, now)
    check_district(process, voter, district_id)
    if ballot is None or ballot.process.id != process.id or ballot.budget.district_id != district_id:
        ballot = district_ballot(process, district_id)
    if ballot is None:
        raise NotEligible(_l("This district has no ballot in this process."), reason="district")
    cleaned = check_choices(ballot, choices)
    result = store_ballot(process.id, district_id, voter.key, voter.channel, cleaned)
    if voter.kind == "code":
        codes.spend_code(int(voter.identity.split(":", 1)[1]), now)
    db.session.flush()
    return result


def store_ballot(
    process_id: int, district_id: int, key: str, channel: Channel, choices: dict[int, int]
) -> CastResult:
    """Insert the ballot, or lock and replace the existing one (left alone, receipt and all, when it
    has these choices and channel already). Flushes. Raises NotEligible when a paper ballot would meet
    an online one."""
    ballot = _insert_if_new(process_id, district_id, key, channel)
    if ballot is not None:
        _write_choices(ballot, choices)
        return CastResult(ballot, changed=False)
    existing = _locked(process_id, district_id, key)
    if existing is None:
        ballot = Ballot(
            process_id=process_id,
            district_id=district_id,
            voter_key=key,
            channel=channel,
            receipt=new_receipt(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(ballot)
        except IntegrityError:
            existing = _locked(process_id, district_id, key)  # a concurrent request cast it first
            if existing is None:
                raise
        else:
            _write_choices(ballot, choices)
            return CastResult(ballot, changed=False)
    _check_not_paper(existing, channel)
    if existing.channel == channel and existing.points == choices:
        return CastResult(existing, changed=False)  # the same ballot sent again: nothing changes
    existing.channel = channel
    existing.receipt = new_receipt()
    existing.updated_at = this_hour()
    db.session.execute(delete(BallotChoice).where(BallotChoice.ballot_id == existing.id))
    _write_choices(existing, choices)
    return CastResult(existing, changed=True)


def _insert_if_new(process_id: int, district_id: int, key: str, channel: Channel) -> Ballot | None:
    """The new ballot, inserted in one statement (INSERT … ON CONFLICT DO NOTHING RETURNING) where the
    database has it; None when the voter's ballot exists already, or on other databases (the caller
    then takes the slower path: look, then insert in a savepoint)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        return None
    stmt = (
        insert(Ballot)
        .values(
            process_id=process_id,
            district_id=district_id,
            voter_key=key,
            channel=channel,
            receipt=new_receipt(),
        )
        .on_conflict_do_nothing(index_elements=["process_id", "district_id", "voter_key"])
        .returning(Ballot)
    )
    return db.session.scalars(stmt).first()


def _locked(process_id: int, district_id: int, key: str) -> Ballot | None:
    return db.session.scalar(
        select(Ballot)
        .where(Ballot.process_id == process_id, Ballot.district_id == district_id, Ballot.voter_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _check_not_paper(existing: Ballot, channel: Channel) -> None:
    if channel == Channel.PAPER:
        raise NotEligible(_l("This person has already voted in this district."), reason="already_voted")
    if existing.channel == Channel.PAPER:
        raise NotEligible(
            _l("You voted on paper in this district, so you cannot also vote online."),
            reason="voted_on_paper",
        )


def _write_choices(ballot: Ballot, choices: dict[int, int]) -> None:
    db.session.add_all(
        BallotChoice(ballot_id=ballot.id, project_id=project_id, points=points)
        for project_id, points in sorted(choices.items())
    )
    db.session.flush()
    db.session.expire(ballot, ["choices"])
