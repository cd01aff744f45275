from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import strip


class ReceiptForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup that changes nothing

    code = StringField(
        _l("Receipt code"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the code from your receipt.")), Length(4, 40)],
        description=_l("The code on your voting receipt, like K7QM-3XDP-9TAB."),
    )


class PublishForm(FlaskForm):
    reason = TextAreaField(
        _l("Public reason for replacing the published results"),
        filters=[strip],
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "Only needed when results were already published. Shown to everyone with the old results."
        ),
    )
