"""Discussion pages: comment, reply, edit, delete, and report proposals and comments."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.forms import EmptyForm
from app.extensions import db, limiter
from app.i18n import person_name
from app.proposals import comments, forms, moderation, rules
from app.proposals.models import Comment, FlagReason, Proposal
from app.proposals.rules import ProposalError
from app.proposals.targets import target_path
from app.proposals.views import bp, render_show, user_key, viewable_or_404


@bp.route("/proposals/<int:proposal_id>/comments", methods=["POST"])
@login_required
@limiter.limit("10/minute;100/day", key_func=user_key)
def comment(proposal_id: int):
    proposal = viewable_or_404(proposal_id)
    form = forms.CommentForm()
    parent_id = form.parent_id.data
    parent = db.session.get(Comment, parent_id) if isinstance(parent_id, int) else None
    if form.validate_on_submit():
        try:
            added = comments.add_comment(current_user, proposal, form.body.data, parent=parent)
        except ProposalError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your comment is posted."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id, _anchor=f"comment-{added.id}"))
    return render_show(proposal, form, reply_to=parent.id if parent else None)


def _own_comment_or_404(comment_id: int) -> Comment:
    """A comment on a page the person may see; someone else's comment is 403."""
    comment = db.get_or_404(Comment, comment_id)
    target = comments.target_of(comment)
    if isinstance(target, Proposal) and not rules.can_view(current_user, target):
        abort(404)
    if comment.author_id != current_user.id:
        abort(403)
    return comment


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    comment = _own_comment_or_404(comment_id)
    form = forms.CommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            comments.edit_comment(current_user, comment, form.body.data)
        except ProposalError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your comment is changed."), "success")
            return redirect(f"{target_path(comments.target_of(comment))}#comment-{comment.id}")
    return render_template("proposals/comment_edit.html", form=form, comment=comment)


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@login_required
def delete_comment(comment_id: int):
    comment = _own_comment_or_404(comment_id)
    if EmptyForm().validate_on_submit():
        try:
            comments.delete_comment(current_user, comment)
        except ProposalError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Your comment is deleted."), "success")
    return redirect(f"{target_path(comments.target_of(comment))}#comment-{comment.id}")


def _report(target, back: str, what: str):
    form = forms.FlagForm()
    if form.validate_on_submit():
        try:
            moderation.flag(current_user, target, FlagReason(form.reason.data), form.details.data or "")
        except ProposalError as exc:
            db.session.rollback()
            form.reason.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Thank you. An officer will look at your report."), "success")
            return redirect(back)
    return render_template("proposals/flag.html", form=form, back=back, what=what)


@bp.route("/proposals/<int:proposal_id>/flag", methods=["GET", "POST"])
@login_required
@limiter.limit("30/hour", methods=["POST"], key_func=user_key)
def flag(proposal_id: int):
    proposal = viewable_or_404(proposal_id)
    return _report(proposal, url_for("proposals.show", proposal_id=proposal.id), proposal.title)


@bp.route("/comments/<int:comment_id>/flag", methods=["GET", "POST"])
@login_required
@limiter.limit("30/hour", methods=["POST"], key_func=user_key)
def flag_comment(comment_id: int):
    comment = db.get_or_404(Comment, comment_id)
    target = comments.target_of(comment)
    if isinstance(target, Proposal) and not rules.can_view(current_user, target):
        abort(404)
    back = f"{target_path(target)}#comment-{comment.id}"
    return _report(comment, back, _("a comment by %(name)s", name=person_name(comment.author)))
