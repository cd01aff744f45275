import csv
import io

from flask import Blueprint, Response, abort, flash, json, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import EmptyForm
from app.core.pagecache import cached_page
from app.core.permissions import admin_required
from app.extensions import db, limiter
from app.processes.models import Phase, Process
from app.processes.services import get_by_slug
from app.results import presenters, receipts, services
from app.results.forms import PublishForm, ReceiptForm
from app.voting.services import turnout

bp = Blueprint("results", __name__)
admin_bp = Blueprint("results_admin", __name__, url_prefix="/admin/processes")


@bp.app_context_processor
def _results_helpers() -> dict:
    return {"process_has_results": lambda process: bool(services.published(process))}


def _public_process(slug: str) -> Process:
    process = get_by_slug(slug)
    if process is None or process.phase == Phase.DRAFT:
        abort(404)
    return process


@bp.route("/processes/<slug>/results")
@cached_page
def show(slug: str):
    process = _public_process(slug)
    snapshots = services.published(process)
    return render_template(
        "results/show.html",
        process=process,
        snapshots=snapshots,
        presenters=presenters,
        history=services.superseded(process),
        receipt_form=ReceiptForm(),
    )


@bp.route("/processes/<slug>/results/receipt")
@limiter.limit("20/minute")
def receipt(slug: str):
    process = _public_process(slug)
    form = ReceiptForm(request.args)
    found = None
    if request.args and form.validate():
        found = receipts.find_ballot(services.published(process), form.code.data)
    return render_template(
        "results/receipt.html",
        process=process,
        form=form,
        found=found,
        searched=bool(request.args) and not form.errors,
    )


def _snapshot(slug: str, district: str):
    process = _public_process(slug)
    snapshot = services.published_snapshot(process, district)
    if snapshot is None:
        abort(404)
    return process, snapshot


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/processes/<slug>/results/<district>.pb")
def download_pb(slug: str, district: str):
    process, snapshot = _snapshot(slug, district)
    response = _download(snapshot.pb_text, "text/plain", f"{process.slug}_{district}.pb")
    response.headers["Digest"] = f"sha-256={snapshot.pb_sha256}"
    return response


@bp.route("/processes/<slug>/results/<district>.csv")
def download_csv(slug: str, district: str):
    process, snapshot = _snapshot(slug, district)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["project_id", "code", "title", "cost", "votes", "score", "share_of_voters", "funded", "round"]
    )
    for f in snapshot.figures:
        writer.writerow(
            [
                f["project_id"],
                f["code"],
                f["title"],
                f"{f['cost_cents'] / 100:.2f}",
                f["votes"],
                f["score"],
                f"{f['share_of_voters']:.4f}",
                int(f["selected"]),
                f["round"] or "",
            ]
        )
    return _download(out.getvalue(), "text/csv", f"{process.slug}_{district}_results.csv")


@bp.route("/processes/<slug>/results/<district>.json")
def download_json(slug: str, district: str):
    process, snapshot = _snapshot(slug, district)
    body = {
        "process": process.slug,
        "district": district,
        "rule": snapshot.rule,
        "options": snapshot.options,
        "pb_sha256": snapshot.pb_sha256,
        "published_at": snapshot.published_at.isoformat(),
        "voters": snapshot.voters,
        "budget_cents": snapshot.budget_cents,
        "spent_cents": snapshot.spent_cents,
        "winners": snapshot.outcome["winners"],
        "projects": snapshot.figures,
        "outcome": snapshot.outcome,
    }
    return _download(
        json.dumps(body, indent=1), "application/json", f"{process.slug}_{district}_results.json"
    )


@admin_bp.route("/<int:process_id>/results", methods=["GET", "POST"])
@admin_required
def count(process_id: int):
    process = db.get_or_404(Process, process_id)
    if EmptyForm().validate_on_submit():
        try:
            services.count_process(process, current_user)
        except services.ResultsError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Counted. Check the preview below, then publish."), "success")
        return redirect(url_for("results_admin.count", process_id=process.id))
    return render_template(
        "results/admin.html",
        process=process,
        previews=services.previews(process),
        published=services.published(process),
        form=PublishForm(),
        presenters=presenters,
        turnout=turnout(process) if process.phase.index >= Phase.VOTING.index else None,
    )


@admin_bp.route("/<int:process_id>/results/publish", methods=["POST"])
@admin_required
def publish(process_id: int):
    process = db.get_or_404(Process, process_id)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            services.publish(process, current_user, reason=form.reason.data or "")
        except services.ResultsError as exc:
            form.reason.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The results are published."), "success")
            return redirect(url_for("results.show", slug=process.slug))
    return render_template(
        "results/admin.html",
        process=process,
        previews=services.previews(process),
        published=services.published(process),
        form=form,
        presenters=presenters,
        turnout=turnout(process),
    ), 400
