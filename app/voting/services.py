"""Voting as other features see it: the ballots of a district, turnout, and whether ballots exist.

For the results feature:

- `ballots_for(process_id, district_id) -> list[tuple[str, dict[int, int]]]`: every ballot of one
  district as (receipt code, {project id: points}), sorted by receipt code (an order that says
  nothing about when or how anyone voted). Approval-style ballots give each chosen project 1 point;
  cumulative ballots the points given. The receipt code is the ballot's public id: use it as the
  `voter_id` column of the Pabulib `.pb` file, so that each voter can find their own ballot.
  Only once the process has left the voting phase (phase results or later); before, it raises
  VotingError, so that nobody sees per-project counts while voting is open.
- `turnout(process) -> Turnout`: ballots per district and channel (account, census, code, paper).
- `has_ballots(process) -> bool`.

The verbs of voting live in their own modules: eligibility (who may vote where, under which key),
ballots (cast and change), census, codes and paper.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.processes.models import Phase, Process
from app.voting.errors import VotingError
from app.voting.models import Ballot, BallotChoice, Channel


def has_ballots(process: Process) -> bool:
    return db.session.scalar(select(Ballot.id).where(Ballot.process_id == process.id).limit(1)) is not None


def ballots_for(process_id: int, district_id: int) -> list[tuple[str, dict[int, int]]]:
    """Every ballot of a district as (receipt code, {project id: points}), by receipt code."""
    process = db.session.get(Process, process_id)
    if process is None or process.phase.index < Phase.RESULTS.index:
        raise VotingError(_l("Ballots can be read only once voting is over."))
    rows = db.session.execute(
        select(Ballot.receipt, BallotChoice.project_id, BallotChoice.points)
        .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.process_id == process_id, Ballot.district_id == district_id)
        .order_by(Ballot.receipt, BallotChoice.project_id)
    ).all()
    ballots: dict[str, dict[int, int]] = {}
    for receipt, project_id, points in rows:
        ballots.setdefault(receipt, {})[project_id] = points
    empty = db.session.scalars(
        select(Ballot.receipt).where(
            Ballot.process_id == process_id, Ballot.district_id == district_id, ~Ballot.choices.any()
        )
    )
    for receipt in empty:  # possible when a process lets voters choose no project
        ballots[receipt] = {}
    return sorted(ballots.items())


@dataclass(frozen=True)
class TurnoutRow:
    district_id: int
    district_name: str
    by_channel: dict[Channel, int]

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


@dataclass(frozen=True)
class Turnout:
    rows: list[TurnoutRow]
    by_channel: dict[Channel, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


def turnout(process: Process) -> Turnout:
    """Ballots cast so far, per district (in the process's order) and channel. Counts only, no choices."""
    counts: dict[int, dict[Channel, int]] = defaultdict(dict)
    for district_id, channel, n in db.session.execute(
        select(Ballot.district_id, Ballot.channel, func.count())
        .where(Ballot.process_id == process.id)
        .group_by(Ballot.district_id, Ballot.channel)
    ):
        counts[district_id][channel] = n
    rows = [
        TurnoutRow(b.district_id, b.district.name, {c: counts[b.district_id].get(c, 0) for c in Channel})
        for b in process.budgets
    ]
    by_channel = {c: sum(r.by_channel[c] for r in rows) for c in Channel}
    return Turnout(rows, by_channel)
