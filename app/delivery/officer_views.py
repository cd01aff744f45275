"""Officers' delivery pages: a process's funded projects, a record's status and figures, milestones,
updates, and the queues of offers of help and residents' reports."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import EmptyForm, options
from app.core.pagination import paginate
from app.core.permissions import officer_required
from app.delivery import coproduction, forms, queries, services
from app.delivery.models import (
    DeliveryProject,
    GroundReport,
    HelpOffer,
    Milestone,
    OfferStatus,
    ReportStatus,
)
from app.delivery.services import DeliveryError, city_today
from app.delivery.views import show_error
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


def _record_form(record: DeliveryProject) -> forms.RecordForm:
    if request.method != "GET":
        return forms.RecordForm()
    return forms.RecordForm(
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
        try:
            change = services.update_record(current_user, record, **form.values())
        except DeliveryError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
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
    form = forms.MilestoneForm(obj=found) if request.method == "GET" else forms.MilestoneForm()
    if form.validate_on_submit():
        try:
            services.save_milestone(current_user, record, found, **form.values())
        except DeliveryError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
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
        services.delete_milestone(current_user, found)
        db.session.commit()
        flash(_("The milestone is deleted."), "success")
    return redirect(url_for("delivery_admin.edit", delivery_id=record_id, _anchor="milestones"))


@bp.route("/projects/<int:delivery_id>/updates/new", methods=["GET", "POST"])
@officer_required
def new_update(delivery_id: int):
    record = _record(delivery_id)
    form = forms.UpdateForm()
    if form.validate_on_submit():
        try:
            update = services.post_update(current_user, record, form.body.data, form.uploads())
        except DeliveryError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The update is published."), "success")
            return redirect(
                url_for("delivery.project", project_id=record.project_id, _anchor=f"update-{update.id}")
            )
    return render_template(
        "delivery/officer/update.html", form=form, record=record
    ), 400 if form.errors else 200


def _queue_filter(labels: dict, default):
    form = forms.QueueFilterForm(request.args)
    form.status.choices = options([*((s.value, label) for s, label in labels.items()), ("all", _("All"))])
    wanted = request.args.get("status", default.value)
    status = None if wanted == "all" else next((s for s in labels if s.value == wanted), default)
    form.status.data = status.value if status else "all"
    return form, status


@bp.route("/offers")
@officer_required
def offers():
    form, status = _queue_filter(forms.OFFER_LABELS, OfferStatus.PENDING)
    return render_template(
        "delivery/officer/offers.html",
        filter_form=form,
        page=paginate(queries.offers_queue(status)),
        answer_form=forms.OfferAnswerForm(formdata=None),
    )


@bp.route("/offers/<int:offer_id>", methods=["POST"])
@officer_required
def answer_offer(offer_id: int):
    offer = db.get_or_404(HelpOffer, offer_id)
    form = forms.OfferAnswerForm()
    if form.validate_on_submit():
        try:
            coproduction.answer_offer(
                current_user, offer, OfferStatus(form.decision.data), form.reply.data or ""
            )
        except DeliveryError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your answer is sent to %(name)s.", name=offer.user.display_name), "success")
            return redirect(url_for("delivery_admin.offers"))
    return render_template("delivery/officer/answer_offer.html", form=form, offer=offer), 400


@bp.route("/reports")
@officer_required
def reports():
    form, status = _queue_filter(forms.REPORT_STATUS_LABELS, ReportStatus.PENDING)
    return render_template(
        "delivery/officer/reports.html",
        filter_form=form,
        page=paginate(queries.reports_queue(status)),
        answer_form=forms.ReportAnswerForm(formdata=None),
    )


@bp.route("/reports/<int:report_id>", methods=["POST"])
@officer_required
def answer_report(report_id: int):
    report = db.get_or_404(GroundReport, report_id)
    form = forms.ReportAnswerForm()
    if form.validate_on_submit():
        try:
            coproduction.answer_report(
                current_user, report, ReportStatus(form.decision.data), form.answer.data or ""
            )
        except DeliveryError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your answer is sent."), "success")
            return redirect(url_for("delivery_admin.reports"))
    return render_template("delivery/officer/answer_report.html", form=form, report=report), 400


def panel_data() -> dict:
    """The delivery panel on the officers' dashboard."""
    return {
        **queries.waiting_counts(),
        "overdue": queries.overdue_count(city_today()),
        "processes": queries.processes_with_delivery(),
    }
