"""Voting's say in changes to a process (connected when app.voting is imported).

- Once ballots exist, the process cannot go back before voting, and its ballot settings and
  budgets cannot change.
- The process cannot leave the voting phase while a paper sheet waits for its second entry.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.processes.models import Phase, Process
from app.processes.signals import phase_change_requested, settings_change_requested
from app.voting.models import PaperSheet, SheetStatus
from app.voting.services import has_ballots


@phase_change_requested.connect
def refuse_phase_change(process: Process, target: Phase):
    if target.index < Phase.VOTING.index and has_ballots(process):
        return _l("Ballots have been cast, so the process cannot go back before voting.")
    if process.phase == Phase.VOTING and target.index > Phase.VOTING.index:
        waiting = db.session.scalar(
            select(func.count()).where(
                PaperSheet.process_id == process.id, PaperSheet.status == SheetStatus.WAITING
            )
        )
        if waiting:
            return _l(
                "%(num)d paper ballot sheets wait for their second entry. Enter them before voting ends.",
                num=waiting,
            )
    return None


@settings_change_requested.connect
def refuse_settings_change(process: Process):
    if has_ballots(process):
        return _l("Ballots have been cast, so the ballot settings and budgets cannot change.")
    return None
