"""The database side of bench/load.py: build the `bench_load` database, and check its ballots afterwards.

Runs inside the application (create_app with the bench's environment), so the voter keys it checks are
computed by the app's own code (app/voting/keys.py) with the same BALLOT_SECRET as the server.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, insert, select

BENCH_SLUG = "bench-2026"
DISTRICT_SLUG = "bench-city"
PASSWORD = "bench-voter-password-1"  # noqa: S105 (throwaway accounts in a throwaway database)
# Costs in whole euros of the projects on the bench ballot (knapsack, budget BUDGET_EUROS).
COSTS = [
    40_000,
    55_000,
    70_000,
    90_000,
    120_000,
    150_000,
    180_000,
    210_000,
    250_000,
    300_000,
    350_000,
    400_000,
]
BUDGET_EUROS = 1_000_000


@dataclass
class Ballot:
    """What the load needs to know about the bench ballot."""

    slug: str
    district: str
    budget_cents: int
    costs: dict[int, int]  # project id -> cents
    voters: list[tuple[int, str]]  # (user id, email)
    public_paths: list[str] = field(default_factory=list)


def recreate_database(server_url: str, name: str) -> None:
    """Drop and create the bench database (never anything else: the name must start with "bench")."""
    if not name.startswith("bench"):
        raise SystemExit(f"refusing to drop {name!r}: the bench only recreates databases named bench*")
    base = server_url.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(["psql", f"{base}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", f"{base}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)


def prepare(app, voters: int) -> Ballot:
    """Migrate, load the demo city (public results and proposal pages), add the bench process with its
    projects and `voters` verified accounts (one password hash computed once, rows inserted in bulk)."""
    from flask_migrate import upgrade

    from app.demo import load_demo
    from app.extensions import db

    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        _add_process()
        _add_voters(voters)
        db.session.commit()
    return load_ballot(app)


def _add_process() -> None:
    from app.db import utcnow
    from app.extensions import db
    from app.processes.models import (
        BallotType,
        District,
        Phase,
        Process,
        ProcessDistrict,
        ProcessPhase,
        Project,
    )

    now = utcnow()
    district = District(slug=DISTRICT_SLUG, name="Bench city", is_citywide=True, position=99)
    db.session.add(district)
    db.session.flush()
    process = Process(
        slug=BENCH_SLUG,
        title="Bench city budget 2026",
        phase=Phase.VOTING,
        ballot_type=BallotType.KNAPSACK,
        budgets=[ProcessDistrict(district_id=district.id, budget_cents=BUDGET_EUROS * 100)],
        phases=[
            ProcessPhase(
                phase=Phase.VOTING, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=2)
            )
        ],
    )
    db.session.add(process)
    db.session.flush()
    db.session.add_all(
        Project(
            process_id=process.id,
            district_id=district.id,
            code=f"B{n}",
            title=f"Bench project {n}",
            summary=f"A project of the bench ballot, number {n}.",
            description="Paths, lights and benches. " * 20,
            cost_cents=euros * 100,
            position=n,
        )
        for n, euros in enumerate(COSTS, start=1)
    )


def _add_voters(count: int) -> None:
    from flask import current_app
    from werkzeug.security import generate_password_hash

    from app.auth.models import Role, User
    from app.db import utcnow
    from app.extensions import db
    from app.processes.models import District

    hashed = generate_password_hash(PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    district_id = db.session.scalar(select(District.id).where(District.slug == DISTRICT_SLUG))
    now = utcnow()
    rows = [
        {
            "email": f"voter{n:05d}@bench.example",
            "display_name": f"Voter {n}",
            "password_hash": hashed,
            "role": Role.RESIDENT,
            "email_verified_at": now,
            "district_id": district_id,
            "session_version": 1,
            "created_at": now,
        }
        for n in range(1, count + 1)
    ]
    db.session.execute(insert(User), rows)


def clear_ballots(app) -> None:
    """Delete the bench process's ballots, drafts and queued receipts, for another run on the same
    database."""
    from sqlalchemy import delete

    from app.core.outbox import OutboxMessage
    from app.extensions import db
    from app.processes.models import Process
    from app.voting.models import Ballot as BallotRow
    from app.voting.models import BallotDraft

    with app.app_context():
        process_id = db.session.scalar(select(Process.id).where(Process.slug == BENCH_SLUG))
        db.session.execute(delete(BallotRow).where(BallotRow.process_id == process_id))
        db.session.execute(delete(BallotDraft).where(BallotDraft.process_id == process_id))
        db.session.execute(delete(OutboxMessage))  # the bench database holds nothing else to send
        db.session.commit()


def load_ballot(app) -> Ballot:
    from app.auth.models import User
    from app.extensions import db
    from app.processes.models import Process, Project
    from app.proposals.models import Proposal

    with app.app_context():
        process = db.session.scalar(select(Process).where(Process.slug == BENCH_SLUG))
        budget = process.budgets[0]
        rows = db.session.execute(
            select(Project.id, Project.cost_cents).where(Project.process_id == process.id)
        )
        costs = {pid: cents for pid, cents in rows}
        voters = list(
            db.session.execute(
                select(User.id, User.email).where(User.email.like("%@bench.example")).order_by(User.id)
            )
        )
        proposals = db.session.scalars(select(Proposal.id).order_by(Proposal.id).limit(5)).all()
        return Ballot(
            slug=process.slug,
            district=budget.district.slug,
            budget_cents=budget.budget_cents,
            costs=costs,
            voters=[(uid, email) for uid, email in voters],
            public_paths=[
                "/processes/riverside-2025/results",
                "/processes/riverside-2027/proposals",
                "/processes/riverside-2025",
                *(f"/proposals/{pid}" for pid in proposals),
            ],
        )


@dataclass
class Check:
    accepted: int  # voters whose last cast the server accepted
    present_once: int  # of those, with exactly one ballot carrying exactly the choices last accepted
    wrong_choices: int  # accepted, but the stored choices differ from the last accepted ones
    missing: int  # accepted, but no ballot
    unexpected: int  # ballots in the bench process of nobody accepted
    uncertain: int  # ballots of voters who gave up without an answer (neither expected nor unexpected)
    total_ballots: int

    @property
    def ok(self) -> bool:
        return (
            self.present_once == self.accepted
            and not (self.wrong_choices or self.missing or self.unexpected)
            and self.total_ballots == self.accepted + self.uncertain
        )


def check_ballots(app, accepted: dict[int, frozenset[int]], uncertain: set[int] = frozenset()) -> Check:
    """Compare the bench process's ballots with `accepted` ({user id: project ids last accepted}).

    `uncertain` voters gave up without an answer to their last cast: a ballot of theirs is neither
    expected nor unexpected, and is counted apart."""
    from app.extensions import db
    from app.processes.models import Process
    from app.voting.keys import voter_key
    from app.voting.models import Ballot as BallotRow
    from app.voting.models import BallotChoice

    with app.app_context():
        process_id = db.session.scalar(select(Process.id).where(Process.slug == BENCH_SLUG))
        stored: dict[str, set[int]] = {}
        counts: dict[str, int] = {}
        for key, n in db.session.execute(
            select(BallotRow.voter_key, func.count())
            .where(BallotRow.process_id == process_id)
            .group_by(BallotRow.voter_key)
        ):
            counts[key] = n
            stored[key] = set()
        for key, project_id in db.session.execute(
            select(BallotRow.voter_key, BallotChoice.project_id)
            .join(BallotChoice, BallotChoice.ballot_id == BallotRow.id)
            .where(BallotRow.process_id == process_id)
        ):
            stored[key].add(project_id)
        keys = {voter_key(process_id, f"user:{uid}"): choices for uid, choices in accepted.items()}
        unsure = {voter_key(process_id, f"user:{uid}") for uid in uncertain}
        once = sum(1 for k, c in keys.items() if counts.get(k) == 1 and stored[k] == set(c))
        wrong = sum(1 for k, c in keys.items() if k in stored and stored[k] != set(c))
        return Check(
            accepted=len(keys),
            present_once=once,
            wrong_choices=wrong,
            missing=sum(1 for k in keys if k not in counts),
            unexpected=sum(1 for k in counts if k not in keys and k not in unsure),
            uncertain=sum(1 for k in counts if k in unsure),
            total_ballots=sum(counts.values()),
        )
