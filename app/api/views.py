"""Read-only open data as JSON, with an OpenAPI document, paging and CORS for reads."""

from flask import Blueprint, abort, request, url_for
from sqlalchemy import Select, func, select

from app.api import serializers
from app.api.openapi import openapi_document
from app.extensions import csrf, db, limiter
from app.processes.models import Category, District, Phase, Process, Project
from app.processes.services import get_by_slug, public_processes

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit("300/minute")(bp)
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # as app.core.pagination: a larger offset could overflow the database


@bp.after_request
def _cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers.setdefault("Cache-Control", "public, max-age=60")
    return response


def _page_args() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 20))
    except ValueError:
        abort(400, "page and per_page must be whole numbers")
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= MAX_PER_PAGE:
        abort(400, f"page must be between 1 and {MAX_PAGE}; per_page between 1 and {MAX_PER_PAGE}")
    return page, per_page


def _paged(items: list | Select, serialize) -> dict:
    """One page of `items` (a list, or a query run with LIMIT/OFFSET) with paging metadata and links."""
    page, per_page = _page_args()
    if isinstance(items, Select):
        total = db.session.scalar(select(func.count()).select_from(items.order_by(None).subquery()))
        chunk = list(db.session.scalars(items.limit(per_page).offset((page - 1) * per_page)))
    else:
        total, chunk = len(items), items[(page - 1) * per_page : page * per_page]

    def link(n):
        args = {**request.view_args, **request.args.to_dict(), "page": n, "per_page": per_page}
        return url_for(request.endpoint, _external=True, **args)

    return {
        "data": [serialize(item) for item in chunk],
        "meta": {"page": page, "per_page": per_page, "total": total},
        "links": {
            "next": link(page + 1) if page * per_page < total else None,
            "prev": link(page - 1) if page > 1 else None,
        },
    }


def _public_process(slug: str) -> Process:
    process = get_by_slug(slug)
    if process is None or process.phase == Phase.DRAFT:
        abort(404)
    return process


@bp.route("/")
def index():
    return {
        "processes": url_for("api.processes", _external=True),
        "districts": url_for("api.districts", _external=True),
        "categories": url_for("api.categories", _external=True),
        "openapi": url_for("api.openapi", _external=True),
    }


@bp.route("/openapi.json")
def openapi():
    return openapi_document()


@bp.route("/processes")
def processes():
    return _paged(public_processes(), serializers.process_summary)


@bp.route("/processes/<slug>")
def process(slug: str):
    return serializers.process_detail(_public_process(slug))


@bp.route("/processes/<slug>/projects")
def process_projects(slug: str):
    process = _public_process(slug)
    stmt = select(Project).where(Project.process_id == process.id).order_by(Project.position, Project.id)
    if district := request.args.get("district"):
        stmt = stmt.join(Project.district).where(District.slug == district)
    return _paged(stmt, lambda p: serializers.project(p, process.currency))


@bp.route("/districts")
def districts():
    rows = db.session.scalars(select(District).order_by(District.position))
    return {"data": [{"slug": d.slug, "name": d.name, "citywide": d.is_citywide} for d in rows]}


@bp.route("/categories")
def categories():
    rows = db.session.scalars(select(Category).order_by(Category.position))
    return {"data": [{"slug": c.slug, "name": c.name} for c in rows]}


@bp.route("/processes/<slug>/results")
def process_results(slug: str):
    """The published result of each district: winners, figures, rule and the ballot file's hash."""
    from app.results.services import published

    process = _public_process(slug)
    return {"data": [serializers.result(s, process) for s in published(process)]}


@bp.route("/processes/<slug>/delivery")
def process_delivery(slug: str):
    """How each funded project of a process is being delivered (filters: district, status)."""
    from app.delivery import queries
    from app.delivery.models import DeliveryStatus

    process = _public_process(slug)
    filters = queries.Filters(process_id=process.id)
    if status := request.args.get("status"):
        if status not in {s.value for s in DeliveryStatus}:
            abort(400, f"status must be one of: {', '.join(s.value for s in DeliveryStatus)}")
        filters.status = DeliveryStatus(status)
    stmt = queries.public_list(filters)
    if district := request.args.get("district"):
        stmt = stmt.where(Project.district.has(District.slug == district))
    return _paged(stmt, serializers.delivery_record)


@bp.route("/delivery/projects/<int:project_id>")
def delivery_project(project_id: int):
    """One funded project's delivery record with milestones, history, updates, reports and ratings."""
    from app.delivery import queries

    record = queries.record_for_project(project_id)
    if record is None or record.process.phase == Phase.DRAFT:
        abort(404)
    ratings = queries.rating_summaries([record.id])[record.id]
    return serializers.delivery_detail(record, queries.timeline(record), ratings)
