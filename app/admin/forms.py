from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.auth.forms import ROLE_LABELS
from app.core.forms import options, strip


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Name or email"), filters=[strip], validators=[Optional(), Length(max=100)])
    role = SelectField(
        _l("Role"),
        choices=options(
            [
                ("", _l("Any role")),
                *((role.value, label) for role, label in ROLE_LABELS.items()),
            ]
        ),
        validators=[Optional()],
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(
        _l("Action"),
        filters=[strip],
        validators=[Optional(), Length(max=64)],
        description=_l("For example user.role_changed, or the start: proposal."),
    )
    actor = StringField(_l("Who (name or email)"), filters=[strip], validators=[Optional(), Length(max=100)])
    target_type = StringField(_l("Target type"), filters=[strip], validators=[Optional(), Length(max=40)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
