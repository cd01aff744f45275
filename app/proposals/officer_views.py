"""Officers' pages: the moderation queue, blocking people, the review queue and review decisions."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.core.forms import EmptyForm, options
from app.core.permissions import officer_required
from app.core.redirects import redirect_next
from app.db import utcnow
from app.extensions import db
from app.processes.models import Process
from app.proposals import moderation, review
from app.proposals import officer_forms as forms
from app.proposals.models import Comment, Proposal
from app.proposals.rules import ProposalError

bp = Blueprint("proposals_officer", __name__, url_prefix="/officer")

MODERATED = {"proposal": Proposal, "comment": Comment}


@bp.route("/moderation")
@officer_required
def moderation_queue():
    return _render_queue()


def _render_queue(failed: tuple | None = None, form=None, status: int = 200):
    hidden = request.args.get("show") == "hidden"
    items = moderation.queue(hidden=hidden)
    return render_template(
        "proposals/officer/moderation.html", items=items, hidden=hidden, failed=failed, failed_form=form
    ), status


@bp.route("/moderation/<kind>/<int:target_id>/<action>", methods=["POST"])
@officer_required
def moderate(kind: str, target_id: int, action: str):
    if kind not in MODERATED or action not in ("hide", "restore", "dismiss"):
        abort(404)
    target = db.get_or_404(MODERATED[kind], target_id)
    form = forms.ReasonForm() if action == "hide" else EmptyForm()
    if not form.validate_on_submit():
        return _render_queue((kind, target_id), form, 400)
    if action == "hide":
        moderation.hide(current_user, target, form.reason.data)
    elif action == "restore":
        moderation.restore(current_user, target)
    else:
        moderation.dismiss_flags(current_user, target)
    db.session.commit()
    flash(_("Done."), "success")
    return redirect_next("proposals_officer.moderation_queue")


@bp.route("/users/<int:user_id>/block", methods=["GET", "POST"])
@officer_required
def block(user_id: int):
    person = db.get_or_404(User, user_id)
    form = forms.BlockForm()
    if form.validate_on_submit():
        until = utcnow() + timedelta(days=form.days.data)
        try:
            moderation.block_user(current_user, person, until, form.reason.data)
        except ProposalError as exc:
            db.session.rollback()
            form[exc.field or "reason"].errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                _("%(name)s is blocked until %(when)s.", name=person.display_name, when=until.date()),
                "success",
            )
            return redirect(url_for("proposals_officer.block", user_id=person.id))
    return render_template("proposals/officer/block.html", person=person, form=form, now=utcnow())


@bp.route("/users/<int:user_id>/unblock", methods=["POST"])
@officer_required
def unblock(user_id: int):
    person = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        moderation.unblock_user(current_user, person)
        db.session.commit()
        flash(_("%(name)s can take part again.", name=person.display_name), "success")
    return redirect(url_for("proposals_officer.block", user_id=person.id))


@bp.route("/processes/<int:process_id>/review")
@officer_required
def review_queue(process_id: int):
    process = db.get_or_404(Process, process_id)
    return render_template(
        "proposals/officer/review_queue.html", process=process, groups=review.queue(process)
    )


DECISION_FORMS = {
    "accept": forms.AcceptForm,
    "changes": forms.ReasonForm,
    "reject": forms.ReasonForm,
    "merge": forms.MergeForm,
}
FIRST_FIELD = {"accept": "cost", "changes": "reason", "reject": "reason", "merge": "target_id"}


def _review_forms(proposal: Proposal, decision: str | None = None) -> dict:
    """The four decision forms; only the one sent (`decision`) reads the request."""
    made = {}
    for name, form_class in DECISION_FORMS.items():
        if name == decision:
            made[name] = form_class(prefix=name)
        else:
            initial = {"cost": proposal.estimated_cost_cents} if name == "accept" else {}
            made[name] = form_class(prefix=name, formdata=None, **initial)
    made["merge"].target_id.choices = options(
        [("", "—")] + [(p.id, f"#{p.id} {p.title}") for p in review.merge_candidates(proposal)]
    )
    return made


@bp.route("/proposals/<int:proposal_id>/review")
@officer_required
def review_page(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    return render_template("proposals/officer/review.html", proposal=proposal, forms=_review_forms(proposal))


def _apply(decision: str, proposal: Proposal, form) -> None:
    if decision == "accept":
        review.accept(
            current_user, proposal, cost_cents=form.cost.data, feasibility_note=form.feasibility_note.data
        )
    elif decision == "changes":
        review.request_changes(current_user, proposal, form.reason.data)
    elif decision == "reject":
        review.reject(current_user, proposal, form.reason.data)
    else:
        target = db.get_or_404(Proposal, form.target_id.data)
        review.merge(current_user, proposal, target, form.reason.data or "")


@bp.route("/proposals/<int:proposal_id>/review/<decision>", methods=["POST"])
@officer_required
def decide(proposal_id: int, decision: str):
    if decision not in DECISION_FORMS:
        abort(404)
    proposal = db.get_or_404(Proposal, proposal_id)
    made = _review_forms(proposal, decision)
    form = made[decision]
    if form.validate_on_submit():
        try:
            _apply(decision, proposal, form)
        except ProposalError as exc:
            db.session.rollback()
            field = form[exc.field if exc.field and exc.field in form else FIRST_FIELD[decision]]
            field.errors = [*field.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The decision is recorded and published."), "success")
            return redirect(url_for("proposals_officer.review_queue", process_id=proposal.process_id))
    return render_template("proposals/officer/review.html", proposal=proposal, forms=made, sent=decision), 400
