"""Whole elections in and out as Pabulib `.pb` files.

Import creates a process in the results phase with one district, its projects and every ballot, so
an election held elsewhere can be counted, explained and published here. Ordinal and scoring ballots
become points (ordinal: the first of L ranked gets L points, then L-1, ...), i.e. a cumulative ballot.
Export writes the anonymised ballots of a district, the same file that results publish.
"""

from collections.abc import Callable, Iterable
from fractions import Fraction

from sqlalchemy import insert, select

from app.db import utcnow
from app.extensions import db
from app.processes.models import BallotType, District, OutcomeRule, Phase, Process, ProcessDistrict, Project
from app.processes.services import slugify
from app.results.election import election_for
from app.tally import Election, dumps_pb
from app.tally.rules import rule_for_meta
from app.voting.keys import voter_key
from app.voting.models import Ballot, BallotChoice, Channel

OUR_RULE = {
    "greedy": OutcomeRule.GREEDY,
    "greedy-threshold": OutcomeRule.GREEDY_THRESHOLD,
    "mes": OutcomeRule.MES,
    "mes-add1": OutcomeRule.MES_ADD1,
}
BATCH = 2000


class ImportError_(ValueError):
    """The file cannot be imported as asked; the message says why."""


def _cents(amount) -> int:
    cents = Fraction(amount) * 100
    if cents.denominator != 1:
        raise ImportError_(f"amount {amount} has more than two decimals")
    return int(cents)


def _rule(meta: dict[str, str]) -> tuple[OutcomeRule, int | None]:
    try:
        rule, _options = rule_for_meta(meta.get("rule", "greedy"))
    except ValueError:
        rule = "greedy"
    threshold = meta.get("min_project_score_threshold", "").strip()
    return OUR_RULE.get(rule, OutcomeRule.GREEDY), int(float(threshold)) if threshold else None


def _district(meta: dict[str, str], slug: str | None) -> District:
    if slug:
        found = db.session.scalar(select(District).where(District.slug == slug))
        if found is None:
            raise ImportError_(f"no district with the slug {slug!r}")
        return found
    name = meta.get("district") or meta.get("subunit") or meta.get("unit") or "Imported"
    wanted = slugify(name)
    found = db.session.scalar(select(District).where(District.slug == wanted))
    if found is None:
        found = District(
            slug=wanted, name=name, is_citywide=not (meta.get("district") or meta.get("subunit"))
        )
        db.session.add(found)
        db.session.flush()
    return found


def import_election(
    election: Election,
    *,
    slug: str,
    title: str | None = None,
    district_slug: str | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> Process:
    """Create a process (results phase) from a whole election. Flushes; the caller commits."""
    if db.session.scalar(select(Process.id).where(Process.slug == slug)) is not None:
        raise ImportError_(f"a process with the slug {slug!r} exists already")
    meta = election.meta
    rule, threshold = _rule(meta)
    points = election.vote_type != "approval" and election.vote_type != "choose-1"
    district = _district(meta, district_slug)
    process = Process(
        slug=slug,
        title=title or meta.get("description") or slug,
        phase=Phase.RESULTS,
        rule=rule,
        rule_threshold=threshold,
        currency=(meta.get("currency") or "EUR")[:3].upper(),
        ballot_type=BallotType.CUMULATIVE if points else BallotType.APPROVAL,
        min_choices=0,
        summary=f"Imported from a Pabulib file: {meta.get('unit', '')} {meta.get('instance', '')}".strip()[
            :300
        ],
    )
    process.budgets = [ProcessDistrict(district=district, budget_cents=_cents(election.budget))]
    db.session.add(process)
    db.session.flush()
    ids = _import_projects(process, district, election)
    _import_ballots(process, district, election, ids, points, progress)
    return process


def _import_projects(process: Process, district: District, election: Election) -> dict[str, int]:
    rows = [
        {
            "process_id": process.id,
            "district_id": district.id,
            "code": p.id,
            "title": (p.name or p.id)[:160],
            "cost_cents": _cents(p.cost),
            "position": n,
            "summary": "",
            "description": "",
            "feasibility_note": "",
            "address": "",
            "created_at": utcnow(),
        }
        for n, p in enumerate(election.projects.values())
    ]
    if any(r["cost_cents"] <= 0 for r in rows):
        raise ImportError_("every project must cost more than zero")
    db.session.execute(insert(Project), rows)
    return dict(
        db.session.execute(select(Project.code, Project.id).where(Project.process_id == process.id)).all()
    )


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _import_ballots(process, district, election, ids, points, progress) -> None:
    length = election.ordinal_length() if election.vote_type == "ordinal" else None
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    voters = list(zip(election.voter_ids, election.voter_ballot, strict=True))
    for chunk in _chunks(voters, BATCH):
        rows = [
            {
                "process_id": process.id,
                "district_id": district.id,
                "channel": Channel.IMPORT,
                "voter_key": voter_key(process.id, f"import:{vid}"),
                "receipt": f"{process.id}.{vid}"[:20],
                "created_at": now,
                "updated_at": now,
            }
            for vid, _b in chunk
        ]
        new_ids = db.session.scalars(
            insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True), rows
        ).all()
        choices = [
            {"ballot_id": ballot_id, "project_id": ids[pid], "points": int(pts) if points else 1}
            for ballot_id, (_vid, index) in zip(new_ids, chunk, strict=True)
            for pid, pts in election.points_of(election.ballots[index], length).items()
            if pts > 0
        ]
        if choices:
            db.session.execute(insert(BallotChoice), choices)
        progress(len(chunk))


def export_district(process: Process, district_slug: str | None) -> tuple[str, str]:
    """(file name, .pb text) of one district's anonymised ballots; voting must be over."""
    budgets = [b for b in process.budgets if district_slug in (None, b.district.slug)]
    if not budgets:
        raise ImportError_(f"{process.slug} has no district {district_slug!r}")
    if len(budgets) > 1:
        names = ", ".join(b.district.slug for b in budgets)
        raise ImportError_(f"{process.slug} has several districts; choose one with --district ({names})")
    election, _ids = election_for(process, budgets[0])
    return f"{process.slug}_{budgets[0].district.slug}.pb", dumps_pb(election)
