from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.models import Role
from app.core.forms import language_choices, no_control_characters, options, strip

ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.OFFICER: _l("Officer"),
    Role.ADMIN: _l("Administrator"),
}
PASSWORD_MIN = 10
COMMON_PASSWORDS = {
    "1234567890",
    "12345678910",
    "password123",
    "password1234",
    "qwertyuiop",
    "1q2w3e4r5t",
    "iloveyou123",
    "passw0rd123",
    "letmein1234",
    "0123456789",
    "abcdefghij",
    "welcome123",
}


def strong_password(form, field) -> None:
    value = field.data or ""
    if value.lower() in COMMON_PASSWORDS or len(set(value)) < 4:
        raise ValidationError(_l("This password is too easy to guess. Try a short sentence."))
    email = getattr(form, "email", None)
    if email is not None and email.data and value.lower() == email.data.strip().lower():
        raise ValidationError(_l("Your password must not be your email address."))


def _password(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(PASSWORD_MIN, 128, _l("Use between %(min)d and %(max)d characters.")),
            strong_password,
        ],
        description=_l("At least %(n)d characters. A short sentence is easy to remember.", n=PASSWORD_MIN),
    )


def _confirm(label, field_name: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo(field_name, _l("The passwords differ.")),
        ],
    )


def _email() -> EmailField:
    return EmailField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254),
            Email(_l("Enter an email address like name@example.com."), check_deliverability=False),
        ],
    )


def _display_name() -> StringField:
    return StringField(
        _l("Name shown to others"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(2, 80, _l("Use between %(min)d and %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("Shown next to your proposals and comments. It can be a nickname."),
    )


def _district() -> SelectField:
    return SelectField(
        _l("District you live in"),
        coerce=lambda v: int(v) if v else None,
        validators=[Optional()],
        description=_l("Some votes are open only to residents of a district."),
    )


class RegisterForm(FlaskForm):
    display_name = _display_name()
    email = _email()
    password = _password(_l("Password"))
    confirm = _confirm(_l("Repeat password"), "password")
    district_id = _district()


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = _email()


class ResetPasswordForm(FlaskForm):
    password = _password(_l("New password"))
    confirm = _confirm(_l("Repeat new password"), "password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password = _password(_l("New password"))
    confirm = _confirm(_l("Repeat new password"), "password")


class ProfileForm(FlaskForm):
    display_name = _display_name()
    district_id = _district()
    birth_date = DateField(
        _l("Date of birth"),
        validators=[Optional()],
        description=_l("Optional. Some votes have a minimum age."),
    )
    locale = SelectField(_l("Language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password."))])
    confirm = BooleanField(
        _l("I understand that my account is deleted for good."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=options((role.value, label) for role, label in ROLE_LABELS.items()),
    )
