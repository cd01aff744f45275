"""Residents' pages: browse, propose, edit, publish, withdraw, support and follow proposals."""

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.forms import EmptyForm, options
from app.core.pagecache import cached_page
from app.core.pagination import paginate
from app.db import utcnow
from app.extensions import db, limiter
from app.i18n import localized
from app.processes import services as process_services
from app.processes.models import Phase, Process
from app.proposals import comments, follows, forms, queries, rules, services
from app.proposals.models import Proposal, ProposalStatus
from app.proposals.rules import ProposalError

bp = Blueprint("proposals", __name__)


@bp.app_template_global()
def proposal_status_label(status) -> str:
    return str(forms.STATUS_LABELS.get(status, status))


@bp.app_template_global()
def flag_reason_label(reason) -> str:
    return str(forms.FLAG_LABELS.get(reason, reason))


def user_key() -> str:
    """Rate limits count per person when signed in (many people can share one address)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return request.remote_addr or "unknown"


def _process_or_404(slug: str) -> Process:
    process = process_services.get_by_slug(slug)
    if process is None or process.phase == Phase.DRAFT:
        abort(404)
    return process


def viewable_or_404(proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    if not rules.can_view(current_user, proposal):
        abort(404)
    return proposal


def _choices(process: Process, blank: str) -> tuple[list, list]:
    districts = [("", blank)] + [(b.district_id, localized(b.district, "name")) for b in process.budgets]
    categories = [("", blank)] + [
        (c.id, localized(c, "name")) for c in process.categories or process_services.categories()
    ]
    return options(districts), options(categories)


def _seed() -> int:
    """A random seed kept for the visitor's session, so that the random order is stable while paging."""
    if "proposal_seed" not in session:
        session["proposal_seed"] = secrets.randbelow(2**62)
    return session["proposal_seed"]


@bp.route("/processes/<slug>/proposals")
@cached_page
def index(slug: str):
    process = _process_or_404(slug)
    form = forms.FilterForm(request.args)
    form.district.choices, form.category.choices = _choices(process, _("All"))
    form.status.choices = options(
        [("", _("All"))] + [(s.value, forms.STATUS_LABELS[s]) for s in rules.PUBLIC_STATUSES]
    )
    form.validate()
    filters = queries.Filters(
        q=form.q.data or None,
        district_id=form.district.data if not form.district.errors else None,
        category_id=form.category.data if not form.category.errors else None,
        status=ProposalStatus(form.status.data) if form.status.data and not form.status.errors else None,
        sort=form.sort.data if form.sort.data in queries.SORTS else "newest",
    )
    page = paginate(queries.public_list(process, filters, _seed() if filters.sort == "random" else 0))
    supported = services.supported_ids(current_user, [p.id for p in page.items])
    return render_template(
        "proposals/index.html", process=process, form=form, page=page, supported=supported, now=utcnow()
    )


@bp.route("/my/proposals")
@login_required
def mine():
    return render_template("proposals/mine.html", page=paginate(queries.authored_by(current_user)))


def _proposal_form(process: Process, proposal: Proposal | None = None) -> forms.ProposalForm:
    initial = {"obj": proposal, "estimated_cost": proposal.estimated_cost_cents} if proposal else {}
    form = forms.ProposalForm(**(initial if request.method == "GET" else {}))
    form.district_id.choices, form.category_id.choices = _choices(process, "—")
    if proposal is not None:
        form.existing_photos = len(proposal.photos)
        form.complete = proposal.status != ProposalStatus.DRAFT
    return form


def _show_error(form, exc: ProposalError) -> None:
    """Put a service's refusal next to its field (or at the top) and undo anything it flushed."""
    db.session.rollback()
    field = form[exc.field] if exc.field and exc.field in form else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        flash(str(exc), "error")


@bp.route("/processes/<slug>/proposals/new", methods=["GET", "POST"])
@login_required
@limiter.limit("20/hour", methods=["POST"], key_func=user_key)
def new(slug: str):
    process = _process_or_404(slug)
    form = _proposal_form(process)
    if form.validate_on_submit():
        publish = bool(form.publish.data)
        try:
            proposal = services.create_proposal(
                current_user, process, form.values(), form.uploads(), publish=publish
            )
        except ProposalError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your proposal is published.") if publish else _("Your draft is saved."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    problem = _open_problem(process)
    return render_template("proposals/form.html", form=form, process=process, proposal=None, problem=problem)


def _open_problem(process: Process) -> str | None:
    """Why the signed-in person cannot propose here now, to say so above the form."""
    try:
        rules.check_participant(current_user, utcnow())
        rules.check_proposals_open(process, utcnow())
    except ProposalError as exc:
        return str(exc)
    return None


@bp.route("/proposals/<int:proposal_id>")
@cached_page
def show(proposal_id: int):
    proposal = viewable_or_404(proposal_id)
    return render_show(proposal, forms.CommentForm())


def render_show(proposal: Proposal, comment_form, reply_to: int | None = None):
    now, user = utcnow(), (current_user if current_user.is_authenticated else None)
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        process=proposal.process,
        actions=rules.actions_for(user, proposal, now),
        shows_content=rules.shows_content(user, proposal),
        supported=bool(services.supported_ids(user, [proposal.id])),
        following=follows.is_following(user, proposal),
        threads=comments.threads(proposal),
        comment_form=comment_form,
        blank_form=forms.CommentForm(formdata=None),
        reply_to=reply_to,
        discussion_open=rules.discussion_problem(proposal) is None,
        now=now,
        can_edit_comment=lambda c: comments.editable(user, c, now),
    )


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = viewable_or_404(proposal_id)
    if proposal.author_id != current_user.id:
        abort(403)
    form = _proposal_form(proposal.process, proposal)
    if form.validate_on_submit():
        submit = bool(form.publish.data)
        try:
            services.update_proposal(current_user, proposal, form.values(), form.uploads(), submit=submit)
        except ProposalError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your proposal is saved."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    problem = rules.editable_problem(current_user, proposal, utcnow())
    return render_template(
        "proposals/form.html", form=form, process=proposal.process, proposal=proposal, problem=problem
    )


def _act(proposal_id: int, action, success: str):
    """Run a one-tap action on a proposal, commit, and go back to its page."""
    proposal = viewable_or_404(proposal_id)
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, proposal)
        except ProposalError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(success, "success")
    return redirect(url_for("proposals.show", proposal_id=proposal_id))


@bp.route("/proposals/<int:proposal_id>/publish", methods=["POST"])
@login_required
def publish(proposal_id: int):
    return _act(proposal_id, services.submit_proposal, _("Your proposal is sent."))


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(proposal_id: int):
    return _act(proposal_id, services.withdraw_proposal, _("Your proposal is withdrawn."))


@bp.route("/proposals/<int:proposal_id>/support", methods=["POST"])
@login_required
@limiter.limit("60/minute", key_func=user_key)
def support(proposal_id: int):
    return _act(proposal_id, services.support, _("Thank you for your support."))


@bp.route("/proposals/<int:proposal_id>/unsupport", methods=["POST"])
@login_required
@limiter.limit("60/minute", key_func=user_key)
def unsupport(proposal_id: int):
    return _act(proposal_id, services.unsupport, _("Your support is taken back."))


@bp.route("/proposals/<int:proposal_id>/follow", methods=["POST"])
@login_required
def follow(proposal_id: int):
    return _act(proposal_id, follows.follow, _("You will be told about changes and new comments."))


@bp.route("/proposals/<int:proposal_id>/unfollow", methods=["POST"])
@login_required
def unfollow(proposal_id: int):
    return _act(proposal_id, follows.unfollow, _("You no longer follow this proposal."))


@bp.route("/proposals/<int:proposal_id>/photos/<int:image_id>/delete", methods=["POST"])
@login_required
def delete_photo(proposal_id: int, image_id: int):
    proposal = viewable_or_404(proposal_id)
    if EmptyForm().validate_on_submit():
        try:
            services.remove_photo(current_user, proposal, image_id)
        except ProposalError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The photo is removed."), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal_id))
