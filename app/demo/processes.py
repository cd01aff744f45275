"""The demo city's budget processes, one per stage of the cycle. Features fill them in."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.processes.models import (
    BallotType,
    Category,
    District,
    OutcomeRule,
    Phase,
    Process,
    ProcessDistrict,
    ProcessPhase,
)

DAY = timedelta(days=1)


@dataclass(frozen=True)
class DemoProcess:
    slug: str
    title: str
    summary: str
    phase: Phase
    ballot_type: BallotType
    rule: OutcomeRule
    budgets: dict[str, int]  # district slug → whole euros
    offset_days: int  # where "now" falls relative to the current phase's start
    extra: tuple[tuple[str, object], ...] = ()
    spanish: tuple[str, str] = ("", "")  # title and summary in Spanish


PROCESSES = [
    DemoProcess(
        "riverside-2025",
        "Riverside 2025",
        "Last year's budget: the winners are being built.",
        Phase.DELIVERY,
        BallotType.APPROVAL,
        OutcomeRule.MES_ADD1,
        {"old-town": 200_000, "northbank": 150_000, "harbour": 150_000, "hillside": 100_000},
        120,
        spanish=(
            "Riverside 2025",
            "El presupuesto del año pasado: los proyectos ganadores se están construyendo.",
        ),
    ),
    DemoProcess(
        "riverside-2026",
        "Riverside 2026",
        "Vote now for the projects you want in your district.",
        Phase.VOTING,
        BallotType.KNAPSACK,
        OutcomeRule.MES_ADD1,
        {"old-town": 220_000, "northbank": 160_000, "harbour": 160_000, "hillside": 120_000},
        5,
        (("allow_codes", True), ("allow_paper", True), ("allow_census", True)),
        spanish=("Riverside 2026", "Vote ahora los proyectos que quiere para su distrito."),
    ),
    DemoProcess(
        "riverside-2027",
        "Riverside 2027",
        "Share your idea for Riverside: proposals are open.",
        Phase.PROPOSALS,
        BallotType.APPROVAL,
        OutcomeRule.MES_ADD1,
        {"citywide": 500_000},
        10,
        spanish=(
            "Riverside 2027",
            "Comparta su idea para Riverside: la presentación de propuestas está abierta.",
        ),
    ),
    DemoProcess(
        "green-fund-2026",
        "Green Fund 2026",
        "Small green projects, now checked by council officers.",
        Phase.REVIEW,
        BallotType.K_APPROVAL,
        OutcomeRule.GREEDY,
        {"citywide": 120_000},
        3,
        (("max_choices", 3),),
        spanish=(
            "Fondo Verde 2026",
            "Pequeños proyectos verdes, ahora en revisión por el personal municipal.",
        ),
    ),
]
PHASE_DAYS = {Phase.PROPOSALS: 30, Phase.REVIEW: 21, Phase.VOTING: 14, Phase.RESULTS: 7, Phase.DELIVERY: 365}


def _schedule(current: Phase, offset_days: int, now: datetime) -> list[ProcessPhase]:
    """Phase dates around `now`: the current phase started `offset_days` ago, the others follow on."""
    dated = list(PHASE_DAYS)
    start = now - offset_days * DAY
    for phase in reversed(dated[: dated.index(current)]):
        start -= PHASE_DAYS[phase] * DAY
    rows = []
    for phase in dated:
        end = start + PHASE_DAYS[phase] * DAY
        rows.append(ProcessPhase(phase=phase, starts_at=start, ends_at=end))
        start = end
    return rows


def ensure_processes(report) -> dict[str, Process]:
    """Create any missing demo process (with budgets, dates and categories); returns them by slug."""
    existing = {p.slug: p for p in db.session.scalars(select(Process))}
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    categories = list(db.session.scalars(select(Category)))
    now = utcnow()
    for spec in PROCESSES:
        if spec.slug in existing:
            continue
        process = Process(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            phase=spec.phase,
            ballot_type=spec.ballot_type,
            rule=spec.rule,
            currency="EUR",
            description=_DESCRIPTION.format(title=spec.title),
            translations={
                "es": {
                    "title": spec.spanish[0],
                    "summary": spec.spanish[1],
                    "description": _DESCRIPTION_ES.format(title=spec.spanish[0]),
                }
            },
            categories=categories,
        )
        for key, value in spec.extra:
            setattr(process, key, value)
        process.budgets = [
            ProcessDistrict(
                district=districts[slug], budget_cents=euros * 100, position=districts[slug].position
            )
            for slug, euros in spec.budgets.items()
        ]
        process.phases = _schedule(spec.phase, spec.offset_days, now)
        db.session.add(process)
        existing[spec.slug] = process
        report.created.append(f"process {spec.title}")
    db.session.flush()
    return existing


_DESCRIPTION = """**{title}** is part of Riverside's participatory budget: residents decide how to spend it.

- Anyone who lives in Riverside can propose a project and support others.
- Council officers check every proposal for cost, legality and feasibility, and explain their decisions.
- Residents aged 14 and over vote for the projects they want, within each district's budget.
- The winners are computed by the Method of Equal Shares, so every group of residents gets a fair share.
"""

_DESCRIPTION_ES = """**{title}** forma parte del presupuesto participativo de Riverside: los vecinos
y vecinas deciden cómo se gasta.

- Cualquier persona que viva en Riverside puede proponer un proyecto y apoyar las propuestas
  de otras personas.
- El personal municipal revisa el coste, la legalidad y la viabilidad de cada propuesta,
  y explica sus decisiones.
- Las personas residentes a partir de 14 años votan los proyectos que quieren, dentro del
  presupuesto de cada distrito.
- Los proyectos ganadores se calculan con el Método de Partes Iguales, para que cada grupo
  de residentes reciba una parte justa.
"""
