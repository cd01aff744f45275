"""Factory fixtures for voting: a process in the voting phase with projects, census lists, voter codes.

Each returns plain values (ids, codes) or committed, loaded objects, like tests/factories.py.
"""

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

import pytest
from flask import has_app_context

from app.auth.models import Role, User
from app.extensions import db
from app.processes.models import BallotType, Phase, Process, Project
from app.voting import census_import, codes


def _context(app):
    return nullcontext() if has_app_context() else app.app_context()


@dataclass
class Vote:
    """A process in the voting phase: its slug, district ids/slugs and projects by district."""

    process: Process
    projects: list[Project]

    @property
    def id(self) -> int:
        return self.process.id

    @property
    def slug(self) -> str:
        return self.process.slug

    @property
    def district_id(self) -> int:
        return self.process.budgets[0].district_id

    @property
    def district(self) -> str:
        return self.process.budgets[0].district.slug

    def ids(self, district_id: int | None = None) -> list[int]:
        return [p.id for p in self.projects if district_id is None or p.district_id == district_id]

    def url(self, page: str = "", district: str | None = None) -> str:
        base = f"/processes/{self.slug}/ballot/{district or self.district}"
        return f"{base}/{page}" if page else base


@pytest.fixture
def make_vote(app, make_process, make_project) -> Callable[..., Vote]:
    """A voting process; `costs` (cents) gives each district's projects (one list per budget)."""

    def _make(
        ballot_type: BallotType = BallotType.APPROVAL,
        *,
        budgets: list[int] | None = None,
        costs: list[list[int]] | None = None,
        **fields,
    ) -> Vote:
        budgets = budgets or [10_000_000]
        costs = costs or [[3_000_000, 4_000_000, 5_000_000]] * len(budgets)
        process = make_process(Phase.VOTING, budgets=budgets, ballot_type=ballot_type, **fields)
        projects = [
            make_project(process, cost_cents=cost, district_id=budget.district_id, summary=f"About {n}")
            for budget, district_costs in zip(process.budgets, costs, strict=True)
            for n, cost in enumerate(district_costs)
        ]
        with _context(app):
            process = db.session.get(Process, process.id)
            _ = process.budgets, process.phases
            for b in process.budgets:
                _ = b.district
            return Vote(process, projects)

    return _make


@pytest.fixture
def add_census(app, make_user) -> Callable[..., object]:
    """Upload census CSV text to a process (as a new admin); returns the import report."""

    def _add(process_id: int, text: str):
        admin = make_user(Role.ADMIN)
        with _context(app), app.test_request_context():
            report = census_import.import_census(
                db.session.get(Process, process_id), db.session.get(User, admin.id), text
            )
            db.session.commit()
            return report

    return _add


@pytest.fixture
def make_codes(app, make_user) -> Callable[..., list[str]]:
    """`count` new voter codes for a process (for one district, if given)."""

    def _make(process_id: int, count: int = 3, district_id: int | None = None) -> list[str]:
        admin = make_user(Role.ADMIN)
        with _context(app), app.test_request_context():
            _batch, made = codes.generate_codes(
                db.session.get(Process, process_id), db.session.get(User, admin.id), count, district_id
            )
            db.session.commit()
            return made

    return _make
