from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import forms, services
from app.auth.models import User
from app.core.forms import EmptyForm
from app.core.redirects import is_safe_path, redirect_next
from app.core.tokens import TokenError
from app.extensions import db, limiter, login_manager
from app.processes.services import district_choices

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Sessions name the user and their session version; an old version (password changed) is refused."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _login_email_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    return request.method == "POST" and response.status_code == 200


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = forms.RegisterForm()
    form.district_id.choices = district_choices()
    if form.validate_on_submit():
        services.register_user(
            form.email.data, form.display_name.data, form.password.data, form.district_id.data
        )
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


@bp.route("/verify/<token>")
def verify_email(token: str):
    try:
        user = services.verify_email(token)
    except TokenError as exc:
        return render_template("auth/link_invalid.html", message=str(exc)), 400
    db.session.commit()
    flash(_("Thank you, your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("core.home"))
    return redirect(url_for("auth.login", email=user.email))


@bp.route("/verify", methods=["POST"])
@login_required
@limiter.limit("5/hour")
def resend_verification():
    if EmptyForm().validate_on_submit() and not current_user.is_verified:
        services.send_verification(current_user)
        db.session.commit()
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("auth.account"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30/minute;200/hour", methods=["POST"])
@limiter.limit("5/minute;20/hour", methods=["POST"], key_func=_login_email_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect_next("core.home")
    form = forms.LoginForm(email=request.args.get("email"), next=request.args.get("next"))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Invalid email or password."))
        else:
            db.session.commit()
            session.clear()  # a fresh session at sign-in: nothing set before it carries over
            login_user(user, remember=form.remember.data)
            return redirect(form.next.data if is_safe_path(form.next.data) else url_for("core.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if EmptyForm().validate_on_submit():
        if current_user.is_authenticated:
            services.end_sessions(current_user)  # a copied cookie must not outlive the sign-out
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."), "success")
    return redirect(url_for("core.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data, reset=True)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except TokenError as exc:
        return render_template("auth/link_invalid.html", message=str(exc)), 400
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        db.session.commit()
        flash(_("Your password is changed. Sign in with it now."), "success")
        return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = forms.ProfileForm(obj=current_user)
    form.district_id.choices = district_choices()
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            display_name=form.display_name.data,
            district_id=form.district_id.data,
            birth_date=form.birth_date.data,
            locale=form.locale.data,
        )
        db.session.commit()
        flash(_("Your details are saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, resend_form=EmptyForm())


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10/hour", methods=["POST"])
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this device stays signed in: new version
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("10/hour", methods=["POST"])
def delete_account():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except services.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account is deleted. Thank you for taking part."), "success")
            return redirect(url_for("core.home"))
    return render_template("auth/delete_account.html", form=form, city=current_app.config["CITY_NAME"])
