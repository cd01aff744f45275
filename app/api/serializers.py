"""Plain JSON shapes of public records. Money is in cents (integers) with the currency beside it."""

from flask import url_for

from app.processes.models import Process, Project


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def process_summary(process: Process) -> dict:
    return {
        "slug": process.slug,
        "title": process.title,
        "summary": process.summary,
        "phase": process.phase.value,
        "currency": process.currency,
        "total_budget_cents": process.total_budget_cents,
        "url": url_for("processes.show", slug=process.slug, _external=True),
        "api_url": url_for("api.process", slug=process.slug, _external=True),
    }


def process_detail(process: Process) -> dict:
    return {
        **process_summary(process),
        "description_markdown": process.description,
        "ballot": {
            "type": process.ballot_type.value,
            "min_choices": process.min_choices,
            "max_choices": process.max_choices,
            "total_points": process.total_points,
            "max_points_per_project": process.max_points_per_project,
            "min_spend_percent": process.min_spend_percent,
        },
        "rule": process.rule.value,
        "rule_threshold": process.rule_threshold,
        "districts": [
            {
                "slug": b.district.slug,
                "name": b.district.name,
                "citywide": b.district.is_citywide,
                "budget_cents": b.budget_cents,
            }
            for b in process.budgets
        ],
        "phases": [
            {"phase": p.phase.value, "starts_at": _iso(p.starts_at), "ends_at": _iso(p.ends_at)}
            for p in process.phases
        ],
        "categories": [{"slug": c.slug, "name": c.name} for c in process.categories],
    }


def project(project: Project, currency: str) -> dict:
    return {
        "id": project.id,
        "code": project.code,
        "title": project.title,
        "summary": project.summary,
        "district": project.district.slug,
        "category": project.category.slug if project.category else None,
        "cost_cents": project.cost_cents,
        "currency": currency,
        "latitude": project.latitude,
        "longitude": project.longitude,
        "image_url": url_for("core.media", name=project.image.filename("large"), _external=True)
        if project.image
        else None,
    }


def result(snapshot, process: Process) -> dict:
    district = snapshot.district.slug
    return {
        "district": district,
        "rule": snapshot.rule,
        "options": snapshot.options,
        "published_at": _iso(snapshot.published_at),
        "pb_sha256": snapshot.pb_sha256,
        "voters": snapshot.voters,
        "budget_cents": snapshot.budget_cents,
        "spent_cents": snapshot.spent_cents,
        "currency": process.currency,
        "winners": snapshot.winner_ids,
        "projects": [
            {
                k: f[k]
                for k in (
                    "project_id",
                    "code",
                    "title",
                    "cost_cents",
                    "votes",
                    "score",
                    "share_of_voters",
                    "selected",
                    "round",
                )
            }
            for f in snapshot.figures
        ],
        "ballots_url": url_for("results.download_pb", slug=process.slug, district=district, _external=True),
    }


def _milestone(m) -> dict:
    return {
        "title": m.title,
        "due_on": _iso(m.due_on),
        "done_on": _iso(m.done_on),
        "evidence": m.evidence,
        "evidence_url": m.evidence_url or None,
    }


def delivery_record(record) -> dict:
    """A funded project's delivery: status, progress, dates and money (cents)."""
    project = record.project
    following = record.next_milestone()
    return {
        "project_id": project.id,
        "code": project.code,
        "title": project.title,
        "process": record.process.slug,
        "district": project.district.slug,
        "status": record.status.value,
        "status_reason": record.status_reason,
        "progress_percent": record.progress_percent,
        "starts_on": _iso(record.starts_on),
        "ends_on": _iso(record.ends_on),
        "completed_on": _iso(record.completed_on),
        "on_time": record.on_time,
        "allocated_cents": record.allocated_cents,
        "spent_cents": record.spent_cents,
        "currency": record.process.currency,
        "next_milestone": _milestone(following) if following else None,
        "url": url_for("delivery.project", project_id=project.id, _external=True),
        "api_url": url_for("api.delivery_project", project_id=project.id, _external=True),
    }


def delivery_detail(record, timeline, ratings) -> dict:
    """A delivery record with its milestones, public history, updates, confirmed reports and ratings."""
    history, updates, reports = [], [], []
    for entry in reversed(timeline):  # oldest first
        item = entry.item
        if entry.kind == "change":
            history.append(
                {
                    "at": _iso(item.created_at),
                    "from_status": item.from_status.value if item.from_status else None,
                    "to_status": item.to_status.value,
                    "reason": item.reason,
                    "changes": item.changes,
                }
            )
        elif entry.kind == "update":
            updates.append(
                {
                    "at": _iso(item.created_at),
                    "body_markdown": item.body,
                    "photo_urls": [
                        url_for("core.media", name=p.image.filename("large"), _external=True)
                        for p in item.photos
                    ],
                }
            )
        elif entry.kind == "report":
            reports.append(
                {
                    "at": _iso(item.created_at),
                    "kind": item.kind.value,
                    "text": item.body,
                    "answer": item.answer,
                }
            )
    return {
        **delivery_record(record),
        "milestones": [_milestone(m) for m in record.milestones],
        "history": history,
        "updates": updates,
        "confirmed_reports": reports,
        "ratings": {"count": ratings.count, "average_stars": ratings.average, "serves": ratings.serves},
    }
