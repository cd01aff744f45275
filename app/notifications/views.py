from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField

from app.core.forms import EmptyForm
from app.core.pagination import paginate
from app.core.tokens import TokenError
from app.extensions import csrf, db, limiter
from app.notifications import services

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index():
    page = paginate(services.notifications_for(current_user))
    return render_template("notifications/index.html", page=page, unread=services.unread_count(current_user))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    if EmptyForm().validate_on_submit():
        services.mark_all_read(current_user)
        db.session.commit()
    return redirect(url_for("notifications.index"))


def settings_form_class():
    """A form with one "e-mail me" box per kind of notification."""
    fields = {f"email_{kind}": BooleanField(label) for kind, label in services.KINDS.items()}
    return type("NotificationSettingsForm", (FlaskForm,), fields)


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    form_class = settings_form_class()
    choices = services.email_choices(current_user)
    form = (
        form_class(data={f"email_{k}": v for k, v in choices.items()})
        if request.method == "GET"
        else form_class()
    )
    if form.validate_on_submit():
        services.set_email_choices(current_user, {k: form[f"email_{k}"].data for k in services.KINDS})
        db.session.commit()
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, kinds=services.KINDS)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; mail clients POST here with no session (RFC 8058)
@limiter.limit("30/minute", methods=["POST"])
def unsubscribe(token: str):
    try:
        user, kind = services.read_unsubscribe_token(token)
    except TokenError as exc:
        return render_template("auth/link_invalid.html", message=str(exc)), 400
    label = services.KINDS.get(kind)
    if request.method == "POST":
        services.set_email_choices(user, {kind: False})
        db.session.commit()
        return render_template("notifications/unsubscribed.html", label=label, done=True)
    return render_template("notifications/unsubscribed.html", label=label, done=False, token=token)
