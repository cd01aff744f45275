"""The demo city: made by our own code, safe to load again (what exists is kept)."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.auth.models import Role, User
from app.auth.services import hash_password
from app.db import utcnow
from app.demo.delivery import ensure_delivery
from app.demo.processes import ensure_processes
from app.demo.proposals import ensure_proposals
from app.demo.results import ensure_results
from app.demo.voting import ensure_voting
from app.extensions import db
from app.processes.models import Category, District

# (slug, name, name in Spanish, city-wide)
DISTRICTS = [
    ("citywide", "Whole city", "Toda la ciudad", True),
    ("old-town", "Old Town", "Casco Antiguo", False),
    ("northbank", "Northbank", "Orilla Norte", False),
    ("harbour", "Harbour", "Puerto", False),
    ("hillside", "Hillside", "Ladera", False),
]
# (slug, name, name in Spanish)
CATEGORIES = [
    ("parks", "Parks and nature", "Parques y naturaleza"),
    ("streets", "Streets and cycling", "Calles y bicicleta"),
    ("culture", "Culture and heritage", "Cultura y patrimonio"),
    ("sport", "Sport and play", "Deporte y juego"),
    ("community", "Community and social care", "Comunidad y atención social"),
    ("schools", "Schools and youth", "Escuelas y juventud"),
]
# Demo logins are public by design: they exist only in the demo city and are printed on load.
ACCOUNTS = [
    ("resident@riverside.example", "Rosa Resident", Role.RESIDENT, "old-town", "demo-resident-1"),
    ("officer@riverside.example", "Omar Officer", Role.OFFICER, None, "demo-officer-1"),
    ("admin@riverside.example", "Ada Admin", Role.ADMIN, None, "demo-admin-1"),
]


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def load_demo() -> DemoReport:
    """Create whatever part of the demo city is missing. Flushes; the caller commits."""
    report = DemoReport()
    districts = _ensure_districts(report)
    _ensure_categories(report)
    _ensure_accounts(report, districts)
    ensure_processes(report)
    ensure_proposals(report)
    ensure_voting(report)
    ensure_results(report)
    ensure_delivery(report)
    return report


def _ensure_districts(report: DemoReport) -> dict[str, District]:
    existing = {d.slug: d for d in db.session.scalars(select(District))}
    for position, (slug, name, spanish, citywide) in enumerate(DISTRICTS):
        if slug not in existing:
            existing[slug] = District(
                slug=slug,
                name=name,
                is_citywide=citywide,
                position=position,
                translations={"es": {"name": spanish}},
            )
            db.session.add(existing[slug])
            report.created.append(f"district {name}")
    db.session.flush()
    return existing


def _ensure_categories(report: DemoReport) -> None:
    existing = set(db.session.scalars(select(Category.slug)))
    for position, (slug, name, spanish) in enumerate(CATEGORIES):
        if slug not in existing:
            db.session.add(
                Category(slug=slug, name=name, position=position, translations={"es": {"name": spanish}})
            )
            report.created.append(f"category {name}")
    db.session.flush()


def _ensure_accounts(report: DemoReport, districts: dict[str, District]) -> None:
    for email, name, role, district, password in ACCOUNTS:
        report.logins.append((role.value, email, password))
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            continue
        db.session.add(
            User(
                email=email,
                display_name=name,
                role=role,
                password_hash=hash_password(password),
                email_verified_at=utcnow(),
                district=districts[district] if district else None,
            )
        )
        report.created.append(f"account {email}")
    db.session.flush()
