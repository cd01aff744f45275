"""Counting, previewing and publishing results.

A count runs the process's rule on each district's ballots, exported first to the Pabulib file that
will be published, so the published hash is the hash of exactly what was counted. Counting again
makes new previews; it never touches a published result. Publishing over a published result needs a
public reason, and the earlier result stays visible as superseded.
"""

import hashlib
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.core import audit
from app.db import utcnow
from app.extensions import db
from app.processes.models import OutcomeRule, Phase, Process, ProcessDistrict
from app.processes.signals import projects_funded
from app.results.election import election_for
from app.results.models import ResultSnapshot, ResultStatus
from app.tally import dumps_pb, run_rule

#: Our rule names and options for each process rule. Ties: greedy keeps ballot order (position, then
#: id); MES prefers the cheaper project, then the one with more votes (equalshares.net's advice).
RULES = {
    OutcomeRule.GREEDY: ("greedy", {}),
    OutcomeRule.GREEDY_THRESHOLD: ("greedy-threshold", {}),
    OutcomeRule.MES: ("mes", {}),
    OutcomeRule.MES_ADD1: ("mes-add1", {}),
}


class ResultsError(Exception):
    """A count or publication the rules do not allow; the message is safe to show."""


def rule_and_options(process: Process) -> tuple[str, dict]:
    rule, options = RULES[process.rule]
    options = dict(options)
    if process.rule == OutcomeRule.GREEDY_THRESHOLD:
        options["threshold"] = process.rule_threshold or 0
    return rule, options


def _cents(value) -> int:
    """Cents from an exact amount in currency units (JSON "a/b" strings included)."""
    amount = Fraction(value) if not isinstance(value, Fraction) else value
    return round(amount * 100)


def _figures(outcome: dict, ids: dict[str, int], voters: int) -> list[dict]:
    rows = []
    for p in outcome["projects"]:
        rows.append(
            {
                "project_id": ids[p["id"]],
                "code": p["id"],
                "title": p["name"],
                "cost_cents": _cents(p["cost"]),
                "votes": p["votes"],
                "score": p["score"],
                "share_of_voters": (p["votes"] / voters) if voters else 0.0,
                "selected": p["selected"],
                "round": p["round"],
                "explanation": p.get("explanation") or {},
            }
        )
    return rows


def count_district(process: Process, budget: ProcessDistrict, actor: User | None) -> ResultSnapshot:
    """Count one district into a preview snapshot (replacing an older preview). Flushes."""
    election, ids = election_for(process, budget)
    pb_text = dumps_pb(election)
    rule, options = rule_and_options(process)
    outcome = run_rule(election, rule, **options).to_dict()
    snapshot = ResultSnapshot(
        process_id=process.id,
        district_id=budget.district_id,
        status=ResultStatus.PREVIEW,
        rule=rule,
        options=outcome["options"],
        pb_text=pb_text,
        pb_sha256=hashlib.sha256(pb_text.encode()).hexdigest(),
        outcome=outcome,
        figures=_figures(outcome, ids, election.num_voters),
        winner_ids=[ids[code] for code in outcome["winners"]],
        voters=election.num_voters,
        budget_cents=budget.budget_cents,
        spent_cents=_cents(outcome["spent"]),
        computed_by_id=actor.id if actor else None,
    )
    for old in previews(process, budget.district_id):
        db.session.delete(old)
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def count_process(process: Process, actor: User | None) -> list[ResultSnapshot]:
    """Count every district of a process whose voting is over. Audited. Flushes."""
    if process.phase.index < Phase.RESULTS.index:
        raise ResultsError(_l("Voting is not over. Move the process to the results phase first."))
    snapshots = [count_district(process, budget, actor) for budget in process.budgets]
    audit.record(
        actor, "results.counted", process, after={s.district.slug: s.pb_sha256[:16] for s in snapshots}
    )
    return snapshots


def publish(process: Process, actor: User | None, *, reason: str = "") -> list[ResultSnapshot]:
    """Publish the current previews of every district; supersede earlier results only with a reason.

    Sends `projects_funded` with every winner, so delivery can begin. Audited. Flushes.
    """
    fresh = {s.district_id: s for s in previews(process)}
    if not fresh or set(fresh) != {b.district_id for b in process.budgets}:
        raise ResultsError(_l("Count the votes of every district before publishing."))
    current = {s.district_id: s for s in published(process)}
    if current and not reason.strip():
        raise ResultsError(_l("Results are already published. Give a public reason to replace them."))
    now = utcnow()
    for old in current.values():
        old.status, old.superseded_at, old.supersede_reason = ResultStatus.SUPERSEDED, now, reason.strip()
    db.session.flush()  # the old rows leave the "one published result" index before the new ones enter
    for snapshot in fresh.values():
        snapshot.status, snapshot.published_at = ResultStatus.PUBLISHED, now
        snapshot.published_by_id = actor.id if actor else None
    db.session.flush()
    audit.record(
        actor,
        "results.published",
        process,
        reason=reason.strip(),
        after={s.district.slug: s.pb_sha256 for s in fresh.values()},
    )
    projects_funded.send(
        process, project_ids=[pid for s in fresh.values() for pid in s.winner_ids], actor=actor
    )
    return list(fresh.values())


def _snapshots(
    process: Process, status: ResultStatus, district_id: int | None = None
) -> list[ResultSnapshot]:
    stmt = select(ResultSnapshot).where(
        ResultSnapshot.process_id == process.id, ResultSnapshot.status == status
    )
    if district_id is not None:
        stmt = stmt.where(ResultSnapshot.district_id == district_id)
    order = {b.district_id: b.position for b in process.budgets}
    return sorted(db.session.scalars(stmt), key=lambda s: (order.get(s.district_id, 0), s.id))


def previews(process: Process, district_id: int | None = None) -> list[ResultSnapshot]:
    return _snapshots(process, ResultStatus.PREVIEW, district_id)


def published(process: Process) -> list[ResultSnapshot]:
    return _snapshots(process, ResultStatus.PUBLISHED)


def superseded(process: Process) -> list[ResultSnapshot]:
    return _snapshots(process, ResultStatus.SUPERSEDED)


def published_snapshot(process: Process, district_slug: str) -> ResultSnapshot | None:
    return next((s for s in published(process) if s.district.slug == district_slug), None)
