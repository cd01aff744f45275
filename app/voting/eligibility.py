"""Who may vote, where, and under which pseudonymous key.

A voter is an identity within one process: "user:<id>" (a verified account), "census:<entry id>"
(someone who proved they are on the census list) or "code:<code id>" (a voter code). The ballot
key is a keyed hash of it (keys.voter_key), so one person has one key however they come back.

When a process uses a census list, the list is the electoral roll: an account votes online once it
has been linked to its census entry (the person types their details once, signed in). So an account
and the census entry of the same person always share one key, and nobody votes once each way.
Paper ballots name a census entry, an account or a code, so they share the key too (paper.py).

Residents-only processes: a voter may vote in their home district (the census entry's district,
the code's district, or the account's district) and in any city-wide pot. Otherwise in every district.
A minimum age is checked on the last day of voting (in the city's time zone): on accounts here,
on census rows when the list is uploaded (census_import.py). Codes are handed out by people who check it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date, format_time, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.core.timeutil import city_tz
from app.extensions import db
from app.i18n import localized
from app.processes.models import Phase, Process, ProcessDistrict
from app.voting import rules
from app.voting.errors import NotEligible, VotingClosed
from app.voting.keys import voter_key
from app.voting.models import CensusEntry, Channel, VoterCode


@dataclass(frozen=True)
class Voter:
    process_id: int
    identity: str
    channel: Channel
    home_district_id: int | None
    key: str

    @property
    def kind(self) -> str:
        return self.identity.split(":", 1)[0]


def when(moment: datetime) -> str:
    """A moment in the city's time zone, in the reader's language: "March 15, 2027 at 8:00 PM"."""
    return gettext(
        "%(date)s at %(time)s", date=format_date(moment, "long"), time=format_time(moment, "short")
    )


def make_voter(process: Process, identity: str, channel: Channel, home_district_id: int | None) -> Voter:
    return Voter(process.id, identity, channel, home_district_id, voter_key(process.id, identity))


def last_voting_day(process: Process, now: datetime) -> date:
    """The city date of the last moment of voting (end time exclusive); today when there is no end."""
    dates = process.dates(Phase.VOTING)
    moment = dates.ends_at - timedelta(microseconds=1) if dates and dates.ends_at else now
    return moment.astimezone(city_tz()).date()


def check_age(process: Process, birth_date: date | None, now: datetime) -> None:
    if not process.min_age:
        return
    if birth_date is None:
        raise NotEligible(
            _l(
                "This vote is for people aged %(age)d and over. Add your date of birth on your account page.",
                age=process.min_age,
            ),
            reason="birth_date",
        )
    day = last_voting_day(process, now)
    if rules.age_on(birth_date, day) < process.min_age:
        raise NotEligible(
            _l(
                "This vote is for people aged %(age)d and over on %(day)s.",
                age=process.min_age,
                day=format_date(day, "long"),
            ),
            reason="age",
        )


def linked_census_entry(process: Process, user: User) -> CensusEntry | None:
    """The census entry this account proved, if any."""
    key = voter_key(process.id, f"user:{user.id}")
    return db.session.scalar(
        select(CensusEntry).where(CensusEntry.process_id == process.id, CensusEntry.claimed_by_key == key)
    )


def account_voter(process: Process, user: User, *, now: datetime) -> Voter:
    """The voter a signed-in account is in `process`; raises NotEligible saying what is missing.

    An account linked to its census entry votes as that entry, even where accounts alone may not vote
    (its channel is then "census", as it is for a confirmed e-mail address that is missing)."""
    entry = linked_census_entry(process, user) if process.allow_census else None
    if entry is not None:
        channel = Channel.ACCOUNT if process.allow_accounts and user.is_verified else Channel.CENSUS
        return make_voter(process, f"census:{entry.id}", channel, entry.district_id or user.district_id)
    if not process.allow_accounts:
        raise NotEligible(_l("In this vote you cannot vote with your account."), reason="accounts_off")
    if not user.is_verified:
        raise NotEligible(
            _l("Confirm your email address first: open the link we sent you."), reason="unverified"
        )
    if process.allow_census:
        raise NotEligible(
            _l("Confirm once that you are on the voters' list, with the details below."), reason="census_link"
        )
    check_age(process, user.birth_date, now)
    return make_voter(process, f"user:{user.id}", Channel.ACCOUNT, user.district_id)


def pass_voter(process: Process, kind: str, ref: int) -> Voter | None:
    """The voter a census or code pass (kept in the person's session) stands for, or None."""
    if kind == "census" and process.allow_census:
        entry = db.session.get(CensusEntry, ref)
        if entry is not None and entry.process_id == process.id:
            return make_voter(process, f"census:{entry.id}", Channel.CENSUS, entry.district_id)
    if kind == "code" and process.allow_codes:
        code = db.session.get(VoterCode, ref)
        if code is not None and code.process_id == process.id:
            return make_voter(process, f"code:{code.id}", Channel.CODE, code.district_id)
    return None


def allowed_budgets(process: Process, voter: Voter) -> list[ProcessDistrict]:
    """The districts (with their budgets) this voter may vote in."""
    if not process.residents_only:
        return list(process.budgets)
    return [b for b in process.budgets if b.district.is_citywide or b.district_id == voter.home_district_id]


def check_district(process: Process, voter: Voter, district_id: int) -> None:
    if any(b.district_id == district_id for b in allowed_budgets(process, voter)):
        return
    budget = process.budget_for(district_id)
    name = localized(budget.district, "name") if budget else ""
    if voter.home_district_id is None and voter.kind == "user":
        raise NotEligible(
            _l(
                "Only residents of %(district)s can vote on its projects. "
                "Set the district you live in on your account page.",
                district=name,
            ),
            reason="no_district",
        )
    raise NotEligible(
        _l("Only residents of %(district)s can vote on its projects.", district=name), reason="district"
    )


def check_open(process: Process, now: datetime) -> None:
    """Raise VotingClosed unless the process is in the voting phase and `now` is within its dates.

    The end time is exclusive: at the end time exactly, voting is closed."""
    if process.is_open_for(Phase.VOTING, now):
        return
    dates = process.dates(Phase.VOTING)
    starts, ends = (dates.starts_at, dates.ends_at) if dates else (None, None)
    if process.phase.index < Phase.VOTING.index or (starts and now < starts):
        message = _l("Voting opens on %(when)s.", when=when(starts)) if starts and now < starts else None
        raise VotingClosed(message or _l("Voting has not started yet."), reason="not_yet")
    if ends and ends <= now:
        raise VotingClosed(
            _l("Voting closed on %(when)s. Votes sent after that are not counted.", when=when(ends)),
            reason="closed",
        )
    raise VotingClosed(_l("Voting is closed."), reason="closed")
