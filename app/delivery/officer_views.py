"""Officers' delivery pages: a process's funded projects, a record's status and figures, milestones,
updates, and the queues of offers of help and residents' reports."""

from collections.abc import Callable
from enum import Enum
from typing import NamedTuple

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select

from app.core.forms import EmptyForm, options
from app.core.pagination import paginate
from app.core.permissions import officer_required
from app.delivery import coproduction, forms, officer_forms, progress, queries, services
from app.delivery.models import (
    DeliveryProject,
    GroundReport,
    HelpOffer,
    Milestone,
    OfferStatus,
    ReportStatus,
)
from app.delivery.services import city_today
from app.delivery.views import applied
from app.extensions import db
from app.processes.models import Process

bp = Blueprint("delivery_admin", __name__, url_prefix="/officer/delivery")


@bp.route("/processes/<int:process_id>")
@officer_required
def process(process_id: int):
    found = db.get_or_404(Process, process_id)
    return render_template(
        "delivery/officer/process.html",
        process=found,
        records=queries.process_records(found),
        funded=len(services.funded_project_ids(found)),
        today=city_today(),
    )


@bp.route("/processes/<int:process_id>/records", methods=["POST"])
@officer_required
def ensure(process_id: int):
    found = db.get_or_404(Process, process_id)
    if EmptyForm().validate_on_submit():
        created = services.ensure_records(found, current_user)
        db.session.commit()
        flash(
            _("%(num)d delivery records opened.", num=len(created))
            if created
            else _("Every funded project already has its delivery record."),
            "success",
        )
    return redirect(url_for("delivery_admin.process", process_id=process_id))


def _record(delivery_id: int) -> DeliveryProject:
    return db.get_or_404(DeliveryProject, delivery_id)


def _record_form(record: DeliveryProject) -> officer_forms.RecordForm:
    if request.method != "GET":
        return officer_forms.RecordForm()
    return officer_forms.RecordForm(
        data={
            "status": record.status.value,
            "status_reason": record.status_reason,
            "progress_percent": record.progress_percent,
            "starts_on": record.starts_on,
            "ends_on": record.ends_on,
            "allocated": record.allocated_cents,
            "spent": record.spent_cents,
        }
    )


@bp.route("/projects/<int:delivery_id>", methods=["GET", "POST"])
@officer_required
def edit(delivery_id: int):
    record = _record(delivery_id)
    form = _record_form(record)
    if form.validate_on_submit():
        ok, change = applied(form, lambda: services.update_record(current_user, record, **form.values()))
        if ok:
            flash(_("The project's delivery is updated.") if change else _("Nothing changed."), "success")
            return redirect(url_for("delivery_admin.edit", delivery_id=record.id))
    return render_template(
        "delivery/officer/edit.html",
        form=form,
        record=record,
        today=city_today(),
        timeline=queries.timeline(record),
    ), 400 if form.errors else 200


@bp.route("/projects/<int:delivery_id>/milestones/new", methods=["GET", "POST"])
@bp.route("/milestones/<int:milestone_id>", methods=["GET", "POST"])
@officer_required
def milestone(delivery_id: int | None = None, milestone_id: int | None = None):
    found = db.get_or_404(Milestone, milestone_id) if milestone_id else None
    record = found.delivery if found else _record(delivery_id)
    form = (
        officer_forms.MilestoneForm(obj=found) if request.method == "GET" else officer_forms.MilestoneForm()
    )
    if form.validate_on_submit():
        ok, _saved = applied(
            form, lambda: progress.save_milestone(current_user, record, found, **form.values())
        )
        if ok:
            flash(_("The milestone is saved."), "success")
            return redirect(url_for("delivery_admin.edit", delivery_id=record.id, _anchor="milestones"))
    return render_template(
        "delivery/officer/milestone.html", form=form, record=record, milestone=found
    ), 400 if form.errors else 200


@bp.route("/milestones/<int:milestone_id>/delete", methods=["POST"])
@officer_required
def delete_milestone(milestone_id: int):
    found = db.get_or_404(Milestone, milestone_id)
    record_id = found.delivery_id
    if EmptyForm().validate_on_submit():
        progress.delete_milestone(current_user, found)
        db.session.commit()
        flash(_("The milestone is deleted."), "success")
    return redirect(url_for("delivery_admin.edit", delivery_id=record_id, _anchor="milestones"))


@bp.route("/projects/<int:delivery_id>/updates/new", methods=["GET", "POST"])
@officer_required
def new_update(delivery_id: int):
    record = _record(delivery_id)
    form = officer_forms.UpdateForm()
    if form.validate_on_submit():
        ok, update = applied(
            form, lambda: progress.post_update(current_user, record, form.body.data, form.uploads())
        )
        if ok:
            flash(_("The update is published."), "success")
            return redirect(
                url_for("delivery.project", project_id=record.project_id, _anchor=f"update-{update.id}")
            )
    return render_template(
        "delivery/officer/update.html", form=form, record=record
    ), 400 if form.errors else 200


def _queue_filter(labels: dict, default):
    form = officer_forms.QueueFilterForm(request.args)
    form.status.choices = options([*((s.value, label) for s, label in labels.items()), ("all", _("All"))])
    wanted = request.args.get("status", default.value)
    status = None if wanted == "all" else next((s for s in labels if s.value == wanted), default)
    form.status.data = status.value if status else "all"
    return form, status


class Queue(NamedTuple):
    """What differs between the queue of offers of help and the queue of residents' reports."""

    key: str  # "offer" or "report": each item's anchor and its answer fields' prefix
    endpoint: str
    template: str
    labels: dict
    default: Enum
    query: Callable[..., Select]
    form: type[FlaskForm]


OFFERS = Queue(
    "offer",
    "delivery_admin.offers",
    "delivery/officer/offers.html",
    forms.OFFER_LABELS,
    OfferStatus.PENDING,
    queries.offers_queue,
    officer_forms.OfferAnswerForm,
)
REPORTS = Queue(
    "report",
    "delivery_admin.reports",
    "delivery/officer/reports.html",
    forms.REPORT_STATUS_LABELS,
    ReportStatus.PENDING,
    queries.reports_queue,
    officer_forms.ReportAnswerForm,
)


def _answer_form(queue: Queue, item, sent: bool = False) -> FlaskForm:
    """The answer form for one item. Its fields are named after the item (`offer-7-reply`), so that
    a queue page holds one per item and the error summary links to the right field."""
    return queue.form(prefix=f"{queue.key}-{item.id}", **({} if sent else {"formdata": None}))


def _queue_page(queue: Queue, failed: tuple | None = None):
    """A page of the queue, each item with its answer form. `failed` is (item, form) when an answer
    came back with errors: the page is rendered again with the filter and page number the form was
    sent from, and the item stays on it (first) if it is no longer there, so the errors show at
    their fields with what the officer typed."""
    filter_form, status = _queue_filter(queue.labels, queue.default)
    page = paginate(queue.query(status))
    items = list(page.items)
    if failed and all(item.id != failed[0].id for item in items):
        items.insert(0, failed[0])
    answers = {item.id: _answer_form(queue, item) for item in items}
    if failed:
        answers[failed[0].id] = failed[1]
    return render_template(
        queue.template,
        queue_endpoint=queue.endpoint,
        filter_form=filter_form,
        page=page,
        items=items,
        answers=answers,
        failed_form=failed[1] if failed else None,
        keep={"status": filter_form.status.data, "page": page.page if page.page > 1 else None},
    ), 400 if failed else 200


@bp.route("/offers")
@officer_required
def offers():
    return _queue_page(OFFERS)


@bp.route("/offers/<int:offer_id>", methods=["POST"])
@officer_required
def answer_offer(offer_id: int):
    offer = db.get_or_404(HelpOffer, offer_id)
    return _answer(
        OFFERS,
        offer,
        lambda form: coproduction.answer_offer(
            current_user, offer, OfferStatus(form.decision.data), form.reply.data or ""
        ),
        lambda: _("Your answer is sent to %(name)s.", name=offer.user.display_name),
    )


@bp.route("/reports")
@officer_required
def reports():
    return _queue_page(REPORTS)


@bp.route("/reports/<int:report_id>", methods=["POST"])
@officer_required
def answer_report(report_id: int):
    report = db.get_or_404(GroundReport, report_id)
    return _answer(
        REPORTS,
        report,
        lambda form: coproduction.answer_report(
            current_user, report, ReportStatus(form.decision.data), form.answer.data or ""
        ),
        lambda: _("Your answer is sent."),
    )


def _answer(queue: Queue, item, answer: Callable, done: Callable[[], str]):
    """An officer's answer to an item of `queue`: back to the queue with `done()` said, or the queue
    again with the answer's errors at its fields (see `_queue_page`)."""
    form = _answer_form(queue, item, sent=True)
    if form.validate_on_submit():
        ok, _answered = applied(form, lambda: answer(form))
        if ok:
            flash(done(), "success")
            return redirect(url_for(queue.endpoint, status=request.args.get("status")))
    return _queue_page(queue, failed=(item, form))


def panel_data() -> dict:
    """The delivery panel on the officers' dashboard."""
    return {
        **queries.waiting_counts(),
        "overdue": queries.overdue_count(city_today()),
        "processes": queries.processes_with_delivery(),
    }
