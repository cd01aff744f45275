"""Factory fixtures for results: a process whose voting is over, with ballots stored as voting stores them."""

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from flask import has_app_context

from app.extensions import db
from app.processes.models import BallotType, OutcomeRule, Phase, Process, Project
from app.voting.keys import voter_key
from app.voting.models import Ballot, BallotChoice, Channel


@dataclass
class Election:
    process: Process
    projects: dict[str, Project]  # by code
    receipts: list[str]

    @property
    def slug(self) -> str:
        return self.process.slug

    @property
    def district(self) -> str:
        return self.process.budgets[0].district.slug


@pytest.fixture
def make_election(app, make_process, make_project) -> Callable[..., Election]:
    """A one-district process in `phase` (default results) whose ballots are `votes`.

    `costs` maps codes to cents; each vote is a list of codes (approval) or {code: points} (cumulative).
    """

    def _make(
        costs: dict[str, int],
        votes: list,
        *,
        budget: int,
        rule: OutcomeRule = OutcomeRule.MES_ADD1,
        ballot_type: BallotType = BallotType.APPROVAL,
        phase: Phase = Phase.RESULTS,
        **fields,
    ) -> Election:
        process = make_process(phase, budgets=[budget], ballot_type=ballot_type, rule=rule, **fields)
        projects = {
            code: make_project(process, code=code, title=f"Project {code}", cost_cents=cost)
            for code, cost in costs.items()
        }
        receipts = []
        with nullcontext() if has_app_context() else app.app_context():
            for n, vote in enumerate(votes):
                receipt = f"R{process.id:03d}-{n:04d}-TEST"
                chosen = vote if isinstance(vote, dict) else dict.fromkeys(vote, 1)
                ballot = Ballot(
                    process_id=process.id,
                    district_id=process.budgets[0].district_id,
                    voter_key=voter_key(process.id, f"test:{n}"),
                    channel=Channel.ACCOUNT,
                    receipt=receipt,
                    choices=[BallotChoice(project_id=projects[c].id, points=p) for c, p in chosen.items()],
                )
                db.session.add(ballot)
                receipts.append(receipt)
            db.session.commit()
        return Election(process, projects, receipts)

    return _make


#: A small election where equal shares and greedy disagree: 6 voters, budget 100 (euros).
COSTS = {"A": 6_000_00, "B": 5_000_00, "C": 3_000_00, "D": 2_000_00}
VOTES = [["A", "B"], ["A"], ["C"], ["C", "D"], ["B", "D"], ["A"]]
BUDGET = 10_000_00
