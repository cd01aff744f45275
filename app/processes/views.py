from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import options
from app.core.pagecache import cached_page
from app.core.permissions import admin_required
from app.core.timeutil import from_city, to_city
from app.db import utcnow
from app.extensions import db
from app.i18n import extra_languages, localized
from app.processes import forms, phase_changes, process_form, projects, services
from app.processes.models import Phase, Process, Project
from app.processes.phases import PHASE_LABELS

bp = Blueprint("processes", __name__)
admin_bp = Blueprint("processes_admin", __name__, url_prefix="/admin/processes")


@bp.route("/processes")
@cached_page
def index():
    return render_template("processes/index.html", processes=services.public_processes())


@bp.route("/processes/<slug>")
@cached_page
def show(slug: str):
    process = services.get_by_slug(slug)
    if process is None or (
        process.phase == Phase.DRAFT and not (current_user.is_authenticated and current_user.is_admin)
    ):
        abort(404)
    return render_template("processes/show.html", process=process, now=utcnow(), Phase=Phase)


def _process_form(process: Process | None = None):
    form_class = process_form.process_form_class(services.districts(), extra_languages())
    data = process_form.form_data_from(process, to_city) if process else {}
    form = form_class(data=data) if request.method == "GET" else form_class()
    form.categories.choices = options((c.id, localized(c, "name")) for c in services.categories())
    return form


def _save(process: Process | None, form) -> Process | None:
    try:
        saved = services.save_process(
            current_user,
            process,
            slug=form.slug.data,
            settings=process_form.settings_from(form),
            budgets=process_form.budgets_from(form),
            dates=process_form.dates_from(form, from_city),
            category_ids=form.categories.data,
            translations=form.translations_data(),
        )
    except services.ProcessError as exc:
        form[exc.field or "title"].errors.append(str(exc))
        return None
    db.session.commit()
    return saved


@admin_bp.route("/", endpoint="index")
@admin_required
def admin_index():
    return render_template("processes/admin/index.html", processes=services.all_processes())


@admin_bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = _process_form()
    if form.validate_on_submit() and (process := _save(None, form)):
        flash(_("The process is created as a draft."), "success")
        return redirect(url_for("processes_admin.show", process_id=process.id))
    return render_template("processes/admin/form.html", form=form, process=None)


@admin_bp.route("/<int:process_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(process_id: int):
    process = db.get_or_404(Process, process_id)
    form = _process_form(process)
    if form.validate_on_submit() and _save(process, form):
        flash(_("Saved."), "success")
        return redirect(url_for("processes_admin.show", process_id=process.id))
    return render_template("processes/admin/form.html", form=form, process=process)


@admin_bp.route("/<int:process_id>", endpoint="show")
@admin_required
def admin_show(process_id: int):
    process = db.get_or_404(Process, process_id)
    form = forms.PhaseForm(phase=process.phase.value)
    return render_template(
        "processes/admin/show.html",
        process=process,
        form=form,
        project_count=services.count_projects(process),
    )


@admin_bp.route("/<int:process_id>/phase", methods=["POST"])
@admin_required
def phase(process_id: int):
    process = db.get_or_404(Process, process_id)
    form = forms.PhaseForm()
    if form.validate_on_submit():
        try:
            phase_changes.change_phase(
                process, Phase(form.phase.data), current_user, reason=form.reason.data or ""
            )
        except services.ProcessError as exc:
            form.phase.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                _("The process is now in the “%(phase)s” phase.", phase=PHASE_LABELS[process.phase.value]),
                "success",
            )
            return redirect(url_for("processes_admin.show", process_id=process.id))
    return render_template(
        "processes/admin/show.html",
        process=process,
        form=form,
        project_count=services.count_projects(process),
    ), 400


@admin_bp.route("/<int:process_id>/projects")
@admin_required
def project_list(process_id: int):
    process = db.get_or_404(Process, process_id)
    return render_template(
        "processes/admin/projects.html", process=process, projects=projects.ballot_projects(process)
    )


def _project_form(process: Process, project: Project | None):
    form_class = forms.with_translations(forms.ProjectForm, extra_languages())
    data = forms.translation_form_data(project) if project else {}
    form = form_class(obj=project, cost=project.cost_cents if project else None, data=data)
    form.district_id.choices = options(
        (b.district_id, localized(b.district, "name")) for b in process.budgets
    )
    form.category_id.choices = options(
        [("", "—")] + [(c.id, localized(c, "name")) for c in process.categories or services.categories()]
    )
    return form


@admin_bp.route("/<int:process_id>/projects/new", methods=["GET", "POST"])
@admin_bp.route("/<int:process_id>/projects/<int:project_id>", methods=["GET", "POST"])
@admin_required
def project_form(process_id: int, project_id: int | None = None):
    process = db.get_or_404(Process, process_id)
    project = db.get_or_404(Project, project_id) if project_id else None
    if project and project.process_id != process.id:
        abort(404)
    form = _project_form(process, project)
    if form.validate_on_submit():
        values = {k: form[k].data for k in ("title", "district_id", "category_id", "feasibility_note")}
        values.update(
            summary=form.summary.data or "",
            description=form.description.data or "",
            cost_cents=form.cost.data,
        )
        try:
            projects.save_project(
                current_user,
                process,
                project,
                code=form.code.data,
                translations=form.translations_data(),
                **values,
            )
        except services.ProcessError as exc:
            form[exc.field or "title"].errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The project is saved."), "success")
            return redirect(url_for("processes_admin.project_list", process_id=process.id))
    return render_template("processes/admin/project_form.html", process=process, project=project, form=form)


@admin_bp.route("/<int:process_id>/projects/<int:project_id>/delete", methods=["POST"])
@admin_required
def delete_project(process_id: int, project_id: int):
    project = db.get_or_404(Project, project_id)
    if project.process_id != process_id:
        abort(404)
    try:
        projects.delete_project(current_user, project)
    except services.ProcessError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The project is removed from the ballot."), "success")
    return redirect(url_for("processes_admin.project_list", process_id=process_id))
