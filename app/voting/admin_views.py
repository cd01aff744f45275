"""Running a vote: turnout, the census list, voter codes (admins) and paper-ballot entry (officers).

No page here shows anyone's choices: turnout is counts per district and channel only, and paper
entry shows sheet numbers and their state.
"""

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import options
from app.core.permissions import admin_required, officer_required
from app.extensions import db
from app.processes.models import Process
from app.voting import census, census_import, codes, paper, services
from app.voting.ballots import district_ballot
from app.voting.errors import BallotRejected, VotingError
from app.voting.forms import IDENTITY_KINDS, CensusUploadForm, CodesForm, paper_form
from app.voting.models import Channel, SheetStatus
from app.voting.paper import PaperIdentity

admin_bp = Blueprint("voting_admin", __name__, url_prefix="/admin/processes/<int:process_id>/voting")


@admin_bp.route("/")
@admin_required
def overview(process_id: int):
    process = db.get_or_404(Process, process_id)
    return render_template(
        "voting/admin/overview.html",
        process=process,
        turnout=services.turnout(process),
        channels=list(Channel),
        census_size=census.census_size(process),
        code_counts=codes.code_counts(process),
        sheets=paper.sheet_counts(process),
        SheetStatus=SheetStatus,
    )


@admin_bp.route("/turnout.csv")
@admin_required
def turnout(process_id: int):
    process = db.get_or_404(Process, process_id)
    figures = services.turnout(process)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["district", *(c.value for c in Channel), "total"])
    for row in figures.rows:
        writer.writerow([row.district_name, *(row.by_channel[c] for c in Channel), row.total])
    writer.writerow(["all", *(figures.by_channel[c] for c in Channel), figures.total])
    return _download(out.getvalue(), f"turnout-{process.slug}.csv")


def _download(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what spreadsheet programs often save


@admin_bp.route("/census", methods=["GET", "POST"])
@admin_required
def census_list(process_id: int):
    process = db.get_or_404(Process, process_id)
    form, report = CensusUploadForm(), None
    if form.validate_on_submit():
        try:
            report = census_import.import_census(process, current_user, _decode(form.file.data.read()))
        except VotingError as exc:
            form.file.errors.append(str(exc))
        else:
            db.session.commit()
    return render_template(
        "voting/admin/census.html",
        process=process,
        form=form,
        report=report,
        size=census.census_size(process),
    )


@admin_bp.route("/codes", methods=["GET", "POST"])
@admin_required
def voter_codes(process_id: int):
    process = db.get_or_404(Process, process_id)
    form = CodesForm()
    form.district_id.choices = options(
        [("", _("Any district"))] + [(b.district_id, b.district.name) for b in process.budgets]
    )
    if form.validate_on_submit():
        try:
            batch, made = codes.generate_codes(process, current_user, form.count.data, form.district_id.data)
        except VotingError as exc:
            form[exc.field or "count"].errors.append(str(exc))
        else:
            db.session.commit()
            return _codes_output(process, batch, made, form)
    return render_template(
        "voting/admin/codes.html", process=process, form=form, batches=codes.batches(process)
    )


def _codes_output(process: Process, batch: int, made: list[str], form: CodesForm):
    """The new codes: their only copy, so the response must not be cached anywhere."""
    budget = process.budget_for(form.district_id.data) if form.district_id.data else None
    if form.output.data == "csv":
        text = "code,district\n" + "".join(f"{c},{budget.district.name if budget else ''}\n" for c in made)
        return _download(text, f"voter-codes-{process.slug}-batch-{batch}.csv")
    response = make_response(
        render_template(
            "voting/admin/code_sheet.html", process=process, batch=batch, codes=made, budget=budget
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _paper_kinds(process: Process) -> list[tuple[str, str]]:
    allowed = {"census": process.allow_census, "account": True, "code": process.allow_codes}
    return [(value, label) for value, label in IDENTITY_KINDS if allowed[value]]


@admin_bp.route("/paper", methods=["GET", "POST"])
@officer_required
def paper_entry(process_id: int):
    process = db.get_or_404(Process, process_id)
    district_id = request.args.get("district", type=int) or (
        process.budgets[0].district_id if process.budgets else 0
    )
    ballot = district_ballot(process, district_id)
    if not process.allow_paper or ballot is None:
        abort(404)
    form = paper_form(
        ballot, _paper_kinds(process), formdata=request.form if request.method == "POST" else None
    )
    if form.validate_on_submit():
        try:
            outcome = paper.enter_paper_ballot(
                process,
                current_user,
                number=form.number.data,
                district_id=district_id,
                who=_identity(form),
                choices=form.choices(),
            )
        except BallotRejected as exc:
            form.number.errors.append(_("This paper ballot breaks the rules: %(problem)s", problem=exc))
        except VotingError as exc:
            form[exc.field if exc.field in form else "number"].errors.append(str(exc))
        else:
            db.session.commit()
            flash(outcome.message, "success" if outcome.status != SheetStatus.CONFLICT else "warning")
            return redirect(url_for("voting_admin.paper_entry", process_id=process.id, district=district_id))
    return render_template(
        "voting/admin/paper.html",
        process=process,
        ballot=ballot,
        form=form,
        sheets=paper.open_sheets(process),
    )


def _identity(form) -> PaperIdentity:
    return PaperIdentity(
        kind=form.identity.data,
        id_number=form.id_number.data or "",
        birth_date=form.birth_date.data,
        postcode=form.postcode.data or "",
        email=form.email.data or "",
        code=form.code.data or "",
    )
