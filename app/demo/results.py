"""The demo's finished vote: "riverside-2025" gets ballot projects, a few thousand ballots, and results
counted and published by the real services (which open delivery for the winners).

Safe to load again: each part is made only when it is missing.
"""

import random
from dataclasses import dataclass
from io import BytesIO

from sqlalchemy import insert, select

from app.core.images import store_image
from app.demo.voting_images import illustration
from app.extensions import db
from app.processes.models import Category, Process, Project
from app.results import services
from app.voting.keys import new_receipt, voter_key
from app.voting.models import Ballot, BallotChoice, Channel

SLUG = "riverside-2025"


@dataclass(frozen=True)
class Spec:
    title: str
    category: str
    euros: int
    summary: str
    appeal: float  # how likely a voter of the district picks it


PROJECTS = {
    "old-town": [
        Spec(
            "Shade trees on Market Square",
            "parks",
            48_000,
            "Twelve large trees and benches in their shade.",
            0.55,
        ),
        Spec(
            "Ramp and lift at the Old Library", "community", 95_000, "Step-free access to every floor.", 0.35
        ),
        Spec(
            "Cobbles relaid on Mill Lane",
            "streets",
            70_000,
            "A smooth, safe surface for wheels and feet.",
            0.3,
        ),
        Spec("Summer concerts in the cloister", "culture", 18_000, "Ten free evening concerts.", 0.4),
        Spec("Drinking fountains", "community", 12_000, "Four fountains along the river walk.", 0.5),
    ],
    "northbank": [
        Spec("Protected cycle lane on North Road", "streets", 90_000, "Kerb-separated lanes both ways.", 0.5),
        Spec("Teen shelter and Wi-Fi in Northbank Park", "schools", 25_000, "A dry place to meet.", 0.3),
        Spec("Community fridge and pantry", "community", 9_000, "Share food instead of wasting it.", 0.45),
        Spec("Wildflower verges", "parks", 15_000, "Verges sown for bees and butterflies.", 0.4),
    ],
    "harbour": [
        Spec("Harbour steps swimming spot", "sport", 65_000, "Safe steps, ladders and a lifebuoy post.", 0.5),
        Spec("Fishermen's museum open Sundays", "culture", 22_000, "Volunteer-run Sunday opening.", 0.25),
        Spec(
            "Lighting on the harbour path", "streets", 40_000, "Warm, low lights that keep the stars.", 0.45
        ),
        Spec(
            "Repair café in the old net loft", "community", 14_000, "Monthly repairs with volunteers.", 0.35
        ),
    ],
    "hillside": [
        Spec("Playground for all abilities", "sport", 55_000, "Swings and play for every child.", 0.55),
        Spec(
            "Bus shelter with seats on Hill Street", "streets", 16_000, "Shelter and a timetable screen.", 0.4
        ),
        Spec("Orchard on the old allotments", "parks", 11_000, "Thirty fruit trees, free to pick.", 0.35),
        Spec("Homework club at the library", "schools", 20_000, "Three afternoons a week with tutors.", 0.3),
    ],
}
PREFIX = {"old-town": "OT", "northbank": "NB", "harbour": "HA", "hillside": "HI"}
VOTERS = {"old-town": 1100, "northbank": 800, "harbour": 650, "hillside": 550}


def ensure_results(report) -> None:
    process = db.session.scalar(select(Process).where(Process.slug == SLUG))
    if process is None:
        return
    _ensure_projects(process, report)
    _ensure_ballots(process, report)
    if not services.published(process):
        services.count_process(process, None)
        services.publish(process, None)
        report.created.append(f"published results of {process.title}")


def _ensure_projects(process: Process, report) -> None:
    if db.session.scalar(select(Project.id).where(Project.process_id == process.id).limit(1)):
        return
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    districts = {b.district.slug: b.district for b in process.budgets}
    position = 0
    for slug, specs in PROJECTS.items():
        for n, spec in enumerate(specs, start=1):
            code = f"{PREFIX[slug]}{n}"
            image = store_image(BytesIO(illustration(spec.category, f"25{code}")), uploader_id=None, alt="")
            db.session.add(
                Project(
                    process_id=process.id,
                    district_id=districts[slug].id,
                    category=categories.get(spec.category),
                    image_id=image.id,
                    code=code,
                    title=spec.title,
                    summary=spec.summary,
                    cost_cents=spec.euros * 100,
                    description=f"{spec.summary}\n\nProposed by residents of {districts[slug].name} in 2025.",
                    feasibility_note="Costed by the council's officers, including three years of upkeep.",
                    position=position,
                )
            )
            position += 1
    db.session.flush()
    report.created.append(f"{position} ballot projects in {process.title}")


def _ensure_ballots(process: Process, report) -> None:
    if db.session.scalar(select(Ballot.id).where(Ballot.process_id == process.id).limit(1)):
        return
    rng = random.Random(2025)  # noqa: S311  # nosec B311  # made-up demo ballots, same on every machine
    projects = list(db.session.scalars(select(Project).where(Project.process_id == process.id)))
    appeal = {spec.title: spec.appeal for specs in PROJECTS.values() for spec in specs}
    total = 0
    for budget in process.budgets:
        mine = [p for p in projects if p.district_id == budget.district_id]
        picks = [
            [p.id for p in mine if rng.random() < appeal.get(p.title, 0.3)] or [rng.choice(mine).id]
            for _ in range(VOTERS.get(budget.district.slug, 300))
        ]
        rows = [
            {
                "process_id": process.id,
                "district_id": budget.district_id,
                "channel": Channel.ACCOUNT,
                "voter_key": voter_key(process.id, f"demo2025:{total + n}"),
                "receipt": new_receipt(),
            }
            for n in range(len(picks))
        ]
        ids = db.session.scalars(
            insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), rows
        ).all()
        db.session.execute(
            insert(BallotChoice),
            [
                {"ballot_id": i, "project_id": p, "points": 1}
                for i, chosen in zip(ids, picks, strict=True)
                for p in chosen
            ],
        )
        total += len(picks)
    report.created.append(f"{total} ballots in {process.title}")
