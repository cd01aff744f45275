from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.admin import forms, mail, services
from app.auth import services as auth_services
from app.auth.forms import RoleForm
from app.auth.models import Role, User
from app.core.outbox import OutboxMessage
from app.core.pagination import paginate
from app.core.permissions import admin_required
from app.core.redirects import redirect_next
from app.db import utcnow
from app.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def dashboard():
    return render_template("admin/dashboard.html", mail=mail.attention())


@bp.route("/users")
@admin_required
def users():
    form = forms.UserFilterForm(request.args)
    form.validate()  # a filter that is not valid (an unknown role, say) is shown with its error and ignored
    q, role = (None if f.errors else f.data for f in (form.q, form.role))
    page = paginate(services.user_query(q, role))
    return render_template("admin/users.html", form=form, page=page)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id: int):
    target = db.get_or_404(User, user_id)
    form = RoleForm(role=target.role.value)
    if form.validate_on_submit():
        try:
            auth_services.set_role(current_user, target, Role(form.role.data))
        except auth_services.AccountError as exc:
            form.role.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("%(name)s is now: %(role)s.", name=target.display_name, role=form.role.data), "success")
            return redirect(url_for("admin.user", user_id=target.id))
    events = paginate(services.events_about("users", target.id), per_page=10)
    return render_template("admin/user.html", target=target, form=form, events=events)


@bp.route("/audit")
@admin_required
def audit():
    form = forms.AuditFilterForm(request.args)
    form.validate()
    stmt = services.audit_query(
        action=form.action.data,
        actor=form.actor.data,
        target_type=form.target_type.data,
        since=form.since.data,
        until=form.until.data,
        tz=ZoneInfo(current_app.config["CITY_TIMEZONE"]),
    )
    return render_template("admin/audit.html", form=form, page=paginate(stmt, per_page=50))


@bp.route("/mail", endpoint="mail")
@admin_required
def mail_list():
    now = utcnow()
    return render_template(
        "admin/mail.html",
        page=paginate(mail.trouble_query(now=now)),
        attention=mail.attention(now=now),
        now=now,
        mask=mail.mask_address,
        mask_all=mail.mask_addresses,
        kind_label=mail.kind_label,
    )


@bp.route("/mail/<int:message_id>/retry", methods=["POST"])
@admin_required
def retry_mail(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if mail.retry_message(current_user, message):
        db.session.commit()
        flash(_("The message will be tried again shortly."), "success")
    else:
        flash(_("This message has not failed, so there is nothing to try again."), "warning")
    return redirect_next("admin.mail")


@bp.route("/mail/retry-failed", methods=["POST"])
@admin_required
def retry_all_mail():
    count = mail.retry_all_failed(current_user)
    db.session.commit()
    if count:
        flash(
            ngettext(
                "%(num)d message will be tried again shortly.",
                "%(num)d messages will be tried again shortly.",
                count,
            ),
            "success",
        )
    else:
        flash(_("No message has failed, so there is nothing to try again."), "warning")
    return redirect_next("admin.mail")
