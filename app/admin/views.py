from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import forms, services
from app.auth import services as auth_services
from app.auth.forms import RoleForm
from app.auth.models import Role, User
from app.core.pagination import paginate
from app.core.permissions import admin_required
from app.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def dashboard():
    return redirect(url_for("admin.users"))


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
