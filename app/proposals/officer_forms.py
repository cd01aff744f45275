"""Officers' forms: a public reason, blocking someone, and the review decisions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import MoneyField, no_control_characters, strip
from app.proposals.forms import int_or_none, no_html_code, no_markup


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Public reason"),
        filters=[strip],
        validators=[DataRequired(_l("Give a reason.")), Length(max=2000), no_control_characters, no_markup],
    )


class BlockForm(FlaskForm):
    days = IntegerField(
        _l("Block for how many days"),
        default=7,
        validators=[
            InputRequired(_l("Give a number of days.")),
            NumberRange(1, 365, _l("From 1 to 365 days.")),
        ],
    )
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        validators=[DataRequired(_l("Give a reason.")), Length(max=1000), no_control_characters, no_markup],
        description=_l("The person is told this reason."),
    )


class AcceptForm(FlaskForm):
    cost = MoneyField(_l("Official cost"), validators=[InputRequired(_l("Enter the official cost."))])
    feasibility_note = TextAreaField(
        _l("Feasibility note"),
        filters=[strip],
        validators=[DataRequired(_l("Write the feasibility note.")), Length(max=5000), no_html_code],
        description=_l("Public: what was checked, and how the cost was worked out."),
    )

    def validate_cost(self, field) -> None:
        if field.data is not None and field.data <= 0:
            raise ValidationError(_l("The cost must be more than zero."))


class MergeForm(FlaskForm):
    target_id = SelectField(
        _l("Merge into"), coerce=int_or_none, validators=[InputRequired(_l("Choose a proposal."))]
    )
    reason = TextAreaField(
        _l("Note (optional)"), filters=[strip], validators=[Optional(), Length(max=2000), no_markup]
    )
