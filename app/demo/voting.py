"""The demo's vote: "riverside-2026" gets ballot projects with pictures, a census list, voter codes,
demo residents who may vote, and a few hundred ballots already cast so that turnout shows.

Safe to load again: each part is made only when it is missing. Demo ballots are keyed by made-up
identities ("demo:<n>"), not by real accounts, census entries or codes.
"""

import random
from datetime import date, timedelta
from io import BytesIO

from sqlalchemy import insert, select

from app.auth.models import Role, User
from app.auth.services import hash_password
from app.core.images import store_image
from app.db import utcnow
from app.demo.voting_data import PROJECTS, DemoProject
from app.demo.voting_images import illustration
from app.extensions import db
from app.processes.models import Category, District, Phase, Process, Project
from app.voting import census, census_import, codes
from app.voting.ballots import ballot_rules
from app.voting.keys import new_receipt, voter_key
from app.voting.models import Ballot, BallotChoice, CensusEntry, Channel, VoterCode
from app.voting.rules import check_ballot

SLUG = "riverside-2026"
BALLOTS = {"old-town": 112, "northbank": 81, "harbour": 74, "hillside": 56}
CHANNELS = [(Channel.ACCOUNT, 55), (Channel.CENSUS, 20), (Channel.CODE, 10), (Channel.PAPER, 15)]
# Printed by `flask demo`; codes use only the voter-code alphabet.
CODES = {
    "old-town": ["TWN2A-VT8KQ", "TWN3B-HP4MX"],
    "northbank": ["NBK2A-RC7WD", "NBK3B-JF5TS"],
    "harbour": ["HBR2A-QZ6NE", "HBR3B-YG9VU"],
    "hillside": ["HSD2A-KD3PW", "HSD3B-MX7RA"],
}
CENSUS_PEOPLE = 24
RESIDENTS = [  # (email, name, district, password, census id): residents linked to their census entry
    ("resident@riverside.example", None, "old-town", None, "RV100000"),
    ("hana@riverside.example", "Hana Harbour", "harbour", "demo-resident-2", "RV100001"),
]


def ensure_voting(report) -> None:
    """Fill in the demo vote; what exists is kept. Flushes."""
    process = db.session.scalar(select(Process).where(Process.slug == SLUG))
    if process is None or process.phase != Phase.VOTING:
        return
    districts = {b.district.slug: b.district for b in process.budgets}
    _ensure_projects(process, districts, report)
    _ensure_census(process, districts, report)
    _ensure_residents(process, districts, report)
    _print_census(report, districts)
    _ensure_codes(process, districts, report)
    _ensure_ballots(process, report)


def _ensure_projects(process: Process, districts: dict[str, District], report) -> None:
    if db.session.scalar(select(Project.id).where(Project.process_id == process.id).limit(1)):
        return
    # Residents vote in their own district, from the age of 14 (the process description says so).
    process.residents_only, process.min_age = True, 14
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    position = 0
    for slug, projects in PROJECTS.items():
        for n, spec in enumerate(projects, start=1):
            code = f"{slug[:2].upper()}{n}"
            image = store_image(BytesIO(illustration(spec.category, code)), uploader_id=None, alt="")
            db.session.add(
                Project(
                    process_id=process.id,
                    district_id=districts[slug].id,
                    category=categories.get(spec.category),
                    image_id=image.id,
                    code=code,
                    title=spec.title,
                    summary=spec.summary,
                    description=_description(spec, districts[slug].name),
                    cost_cents=spec.euros * 100,
                    feasibility_note="Checked by the council's officers: the site is council land, and the "
                    "cost includes delivery and three years of upkeep.",
                    position=position,
                )
            )
            position += 1
    db.session.flush()
    report.created.append(f"{position} ballot projects in {process.title}")


def _description(spec: DemoProject, district: str) -> str:
    return (
        f"Proposed by residents of {district}, who collected support from their "
        f"neighbours. If it wins, the council delivers it within a year and reports on progress here.\n\n"
        f"- **Cost:** €{spec.euros:,}, all included\n- **Who it is for:** everyone in {district} and visitors"
    )


def _census_id(n: int) -> str:
    return f"RV{100000 + n}"


def _birth_date(n: int) -> date:
    return date(1950 + (n * 7) % 55, 1 + n % 12, 1 + (n * 5) % 28)


def _ensure_census(process: Process, districts: dict[str, District], report) -> None:
    if db.session.scalar(select(CensusEntry.id).where(CensusEntry.process_id == process.id).limit(1)):
        return
    slugs = list(PROJECTS)
    lines = ["id_number,birth_date,district"]
    lines += [f"{_census_id(n)},{_birth_date(n)},{slugs[n % len(slugs)]}" for n in range(CENSUS_PEOPLE)]
    for _email, _name, district, _password, census_id in RESIDENTS:  # where their account says
        lines = [line for line in lines if not line.startswith(census_id)]
        lines.append(f"{census_id},{_birth_date(int(census_id[2:]) - 100000)},{district}")
    result = census_import.import_census(process, None, "\n".join(lines))
    report.created.append(f"{result.added} people on the census list of {process.title}")


def _print_census(report, districts) -> None:
    slugs = list(PROJECTS)
    for n in (2, 3):
        district = districts[slugs[n % len(slugs)]].name
        report.logins.append(("census", f"ID {_census_id(n)} ({district})", f"born {_birth_date(n)}"))


def _ensure_residents(process: Process, districts: dict[str, District], report) -> None:
    for email, name, district, password, census_id in RESIDENTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None and name:
            user = User(
                email=email,
                display_name=name,
                role=Role.RESIDENT,
                password_hash=hash_password(password),
                email_verified_at=utcnow(),
                district=districts[district],
            )
            db.session.add(user)
            db.session.flush()
            report.created.append(f"account {email}")
        if password:
            report.logins.append((Role.RESIDENT.value, email, password))
        if user is not None:
            _link(process, user, census_id)


def _link(process: Process, user: User, census_id: str) -> None:
    entry = db.session.scalar(
        select(CensusEntry).where(
            CensusEntry.process_id == process.id, CensusEntry.id_hash == census.id_hash(process.id, census_id)
        )
    )
    if entry is not None and entry.claimed_by_key is None:
        entry.claimed_by_key = voter_key(process.id, f"user:{user.id}")
        entry.claimed_at = utcnow()


def _ensure_codes(process: Process, districts: dict[str, District], report) -> None:
    for slug, demo_codes in CODES.items():
        for code in demo_codes:
            digest = codes.code_hash(process.id, code)
            found = db.session.scalar(select(VoterCode).where(VoterCode.code_hash == digest))
            if found is None:
                db.session.add(
                    VoterCode(
                        process_id=process.id, code_hash=digest, batch=0, district_id=districts[slug].id
                    )
                )
            used = " (used)" if found is not None and found.used_at else ""
            report.logins.append(("code", f"voter code, {districts[slug].name}", code + used))
    db.session.flush()


def _ensure_ballots(process: Process, report) -> None:
    if db.session.scalar(select(Ballot.id).where(Ballot.voter_key == voter_key(process.id, "demo:0"))):
        return
    rng = random.Random(2026)  # noqa: S311  # nosec B311  # made-up demo ballots, same on every machine
    start = process.dates(Phase.VOTING).starts_at
    hours = max(1, int((utcnow() - start).total_seconds() // 3600))
    rows, picks = [], []
    for budget in process.budgets:
        projects = list(
            db.session.scalars(
                select(Project).where(
                    Project.process_id == process.id, Project.district_id == budget.district_id
                )
            )
        )
        rules = ballot_rules(process, budget)
        for _ in range(BALLOTS.get(budget.district.slug, 50)):
            cast_at = (start + timedelta(hours=rng.randrange(hours))).replace(
                minute=0, second=0, microsecond=0
            )
            rows.append(
                {
                    "process_id": process.id,
                    "district_id": budget.district_id,
                    "voter_key": voter_key(process.id, f"demo:{len(rows)}"),
                    "channel": rng.choices([c for c, _w in CHANNELS], weights=[w for _c, w in CHANNELS])[0],
                    "receipt": new_receipt(),
                    "created_at": cast_at,
                    "updated_at": cast_at,
                }
            )
            picks.append(_random_choices(rng, projects, rules))
    ids = db.session.scalars(insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), rows).all()
    choices = [
        {"ballot_id": i, "project_id": p, "points": 1}
        for i, chosen in zip(ids, picks, strict=True)
        for p in chosen
    ]
    db.session.execute(insert(BallotChoice), choices)
    report.created.append(f"{len(rows)} ballots in {process.title}")


def _random_choices(rng: random.Random, projects: list[Project], rules) -> list[int]:
    """A valid knapsack ballot: projects in a random order, each taken while it fits, 1–4 of them."""
    order = rng.sample(projects, len(projects))
    chosen, spent = [], 0
    for project in order:
        if spent + project.cost_cents <= rules.budget_cents and len(chosen) < rng.randint(1, 4):
            chosen.append(project.id)
            spent += project.cost_cents
    assert not check_ballot(rules, {p.id: p.cost_cents for p in projects}, dict.fromkeys(chosen, 1))  # nosec B101  # demo data self-check
    return chosen
