"""Public delivery pages, and residents' offers of help, reports, ratings, follows and comments."""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.forms import EmptyForm, options
from app.core.pagination import paginate
from app.db import utcnow
from app.delivery import coproduction, forms, queries
from app.delivery.figures import dashboard_figures, figures_by_process
from app.delivery.models import DeliveryProject, DeliveryStatus, ReportKind, Serves
from app.delivery.services import DeliveryError, city_today
from app.extensions import db, limiter
from app.i18n import localized
from app.processes import services as process_services
from app.processes.models import Phase, Process
from app.proposals import comments, follows
from app.proposals.forms import CommentForm
from app.proposals.rules import ProposalError
from app.proposals.views import user_key

T = TypeVar("T")
bp = Blueprint("delivery", __name__)


@bp.app_template_global()
def delivery_status_label(status) -> str:
    return str(forms.STATUS_LABELS.get(status, status))


@bp.app_template_global()
def offer_status_label(status) -> str:
    return str(forms.OFFER_LABELS.get(status, status))


@bp.app_template_global()
def report_kind_label(kind) -> str:
    return str(forms.REPORT_KIND_LABELS.get(kind, kind))


@bp.app_template_global()
def report_status_label(status) -> str:
    return str(forms.REPORT_STATUS_LABELS.get(status, status))


@bp.app_template_global()
def serves_label(serves) -> str:
    return str(forms.SERVES_LABELS.get(serves, serves))


@bp.app_template_filter()
def iso_date(value: str | None) -> date | None:
    """A date kept in a record's history (ISO text) back as a date, to format for the reader."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filter_form(process: Process | None) -> tuple[forms.FilterForm, queries.Filters]:
    form = forms.FilterForm(request.args)
    processes = queries.processes_with_delivery() if process is None else [process]
    form.budget.choices = options([("", _("All"))] + [(p.id, p.title) for p in processes])
    districts = (
        [(b.district_id, localized(b.district, "name")) for b in process.budgets]
        if process
        else [(d.id, localized(d, "name")) for d in process_services.districts()]
    )
    form.district.choices = options([("", _("All")), *districts])
    form.status.choices = options([("", _("All")), *list(forms.STATUS_LABELS.items())])
    form.validate()
    status = form.status.data if form.status.data and not form.status.errors else None
    filters = queries.Filters(
        process_id=process.id if process else (form.budget.data if not form.budget.errors else None),
        district_id=form.district.data if not form.district.errors else None,
        status=DeliveryStatus(status) if status in forms.STATUS_VALUES else None,
    )
    return form, filters


def _list_page(template: str, process: Process | None, **context):
    form, filters = _filter_form(process)
    page = paginate(queries.public_list(filters))
    return render_template(template, form=form, page=page, process=process, today=city_today(), **context)


@bp.route("/delivery")
def index():
    return _list_page("delivery/index.html", None)


@bp.route("/processes/<slug>/delivery")
def process(slug: str):
    found = process_services.get_by_slug(slug)
    if found is None or found.phase == Phase.DRAFT:
        abort(404)
    figures = figures_by_process([found.id])[found.id]
    return _list_page("delivery/process.html", found, figures=figures)


@bp.route("/delivery/dashboard")
def dashboard():
    rows, years = dashboard_figures()
    return render_template("delivery/dashboard.html", rows=rows, years=years)


def record_or_404(project_id: int) -> DeliveryProject:
    record = queries.record_for_project(project_id)
    if record is None or record.process.phase == Phase.DRAFT:
        abort(404)
    return record


@bp.route("/delivery/projects/<int:project_id>")
def project(project_id: int):
    return render_project(record_or_404(project_id), CommentForm())


def render_project(record: DeliveryProject, comment_form, reply_to: int | None = None, status: int = 200):
    user = current_user if current_user.is_authenticated else None
    now = utcnow()
    offers_total, accepted = queries.public_offers(record)
    discussion_open = record.process.phase not in (Phase.DRAFT, Phase.CLOSED)
    return render_template(
        "delivery/project.html",
        record=record,
        project=record.project,
        process=record.process,
        timeline=queries.timeline(record),
        ratings=queries.rating_summaries([record.id])[record.id],
        offers_total=offers_total,
        accepted_offers=accepted,
        my_offers=queries.my_offers(user, record),
        my_reports=queries.my_reports(user, record),
        my_rating=coproduction.my_rating(user, record),
        following=follows.is_following(user, record.project),
        can_offer=coproduction.offer_problem(record) is None and discussion_open,
        can_report=coproduction.report_problem(record) is None and discussion_open,
        can_rate=coproduction.rating_problem(record) is None and discussion_open,
        today=city_today(),
        # The discussion, shared with proposals' pages.
        threads=comments.threads(record.project),
        comment_form=comment_form,
        blank_form=CommentForm(formdata=None),
        reply_to=reply_to,
        discussion_open=discussion_open,
        actions={"comment": discussion_open and user is not None},
        comment_url=url_for("delivery.comment", project_id=record.project_id),
        comments_count=queries.comments_count(record.project_id),
        can_edit_comment=lambda c: comments.editable(user, c, now),
    ), status


def _back(record: DeliveryProject, anchor: str | None = None):
    return redirect(url_for("delivery.project", project_id=record.project_id, _anchor=anchor))


@bp.route("/delivery/projects/<int:project_id>/follow", methods=["POST"])
@login_required
def follow(project_id: int):
    record = record_or_404(project_id)
    if EmptyForm().validate_on_submit():
        follows.follow(current_user, record.project)
        db.session.commit()
        flash(_("You will be told about progress, updates and new comments."), "success")
    return _back(record)


@bp.route("/delivery/projects/<int:project_id>/unfollow", methods=["POST"])
@login_required
def unfollow(project_id: int):
    record = record_or_404(project_id)
    if EmptyForm().validate_on_submit():
        follows.unfollow(current_user, record.project)
        db.session.commit()
        flash(_("You no longer follow this project."), "success")
    return _back(record)


@bp.route("/delivery/projects/<int:project_id>/comments", methods=["POST"])
@login_required
@limiter.limit("10/minute;100/day", key_func=user_key)
def comment(project_id: int):
    record = record_or_404(project_id)
    form = CommentForm()
    parent_id = form.parent_id.data
    parent = db.session.get(comments.Comment, parent_id) if isinstance(parent_id, int) else None
    if form.validate_on_submit():
        try:
            added = comments.add_comment(current_user, record.project, form.body.data, parent=parent)
        except ProposalError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your comment is posted."), "success")
            return _back(record, f"comment-{added.id}")
    return render_project(record, form, reply_to=parent.id if parent else None, status=400)


def show_error(form, exc: DeliveryError) -> None:
    """Undo the request's writes and show the service's refusal at its field (else as a message)."""
    db.session.rollback()
    target = form[exc.field] if exc.field and exc.field in form else None
    if target is not None:
        target.errors = [*target.errors, str(exc)]
    else:
        flash(str(exc), "error")


def applied(form, action: Callable[[], T]) -> tuple[bool, T | None]:
    """Run the service call `action` for a valid `form` and commit: (True, its result); or, when the
    service refuses, undo it and show why at the form's field: (False, None)."""
    try:
        result = action()
    except DeliveryError as exc:
        show_error(form, exc)
        return False, None
    db.session.commit()
    return True, result


@bp.route("/delivery/projects/<int:project_id>/offer", methods=["GET", "POST"])
@login_required
@limiter.limit("20/hour;50/day", methods=["POST"], key_func=user_key)
def offer(project_id: int):
    record = record_or_404(project_id)
    form = forms.OfferForm()
    if form.validate_on_submit():
        ok, _offer = applied(
            form,
            lambda: coproduction.offer_help(current_user, record, form.what.data, form.availability.data),
        )
        if ok:
            flash(_("Thank you! Council officers will answer your offer soon."), "success")
            return _back(record, "my-offers")
    problem = coproduction.offer_problem(record)
    return render_template(
        "delivery/offer.html", form=form, record=record, problem=problem
    ), 400 if form.errors else 200


@bp.route("/delivery/projects/<int:project_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit("20/hour;50/day", methods=["POST"], key_func=user_key)
def report(project_id: int):
    record = record_or_404(project_id)
    form = forms.ReportForm()
    if form.validate_on_submit():
        ok, _report = applied(
            form,
            lambda: coproduction.file_report(
                current_user,
                record,
                kind=ReportKind(form.kind.data),
                body=form.body.data,
                photo=form.upload(),
                location=form.location.data or "",
                latitude=form.latitude.data,
                longitude=form.longitude.data,
            ),
        )
        if ok:
            flash(_("Thank you! An officer will look at your report."), "success")
            return _back(record, "my-reports")
    problem = coproduction.report_problem(record)
    return render_template(
        "delivery/report.html", form=form, record=record, problem=problem
    ), 400 if form.errors else 200


@bp.route("/delivery/projects/<int:project_id>/rate", methods=["GET", "POST"])
@login_required
@limiter.limit("30/hour", methods=["POST"], key_func=user_key)
def rate(project_id: int):
    record = record_or_404(project_id)
    mine = coproduction.my_rating(current_user, record)
    initial = {"stars": str(mine.stars), "serves": mine.serves.value, "comment": mine.comment} if mine else {}
    form = forms.RatingForm(data=initial if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, rated = applied(
            form,
            lambda: coproduction.rate(
                current_user, record, int(form.stars.data), Serves(form.serves.data), form.comment.data or ""
            ),
        )
        if ok:
            _rating, created = rated
            flash(_("Thank you for your rating.") if created else _("Your rating is changed."), "success")
            return _back(record, "ratings")
    problem = coproduction.rating_problem(record)
    return render_template(
        "delivery/rate.html", form=form, record=record, problem=problem, mine=mine
    ), 400 if form.errors else 200
