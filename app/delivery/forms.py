"""Residents' delivery forms (an offer of help, a report from the ground, a rating) and the public
list's filters, with the labels every delivery page shows for statuses, kinds and answers. They check
shape and say what is wrong at the field; services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FloatField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import no_control_characters, options, strip
from app.delivery.models import DeliveryStatus, OfferStatus, ReportKind, ReportStatus, Serves
from app.proposals.forms import int_or_none, no_markup

STATUS_LABELS = {
    DeliveryStatus.PLANNED: _l("Planned"),
    DeliveryStatus.IN_PROGRESS: _l("In progress"),
    DeliveryStatus.DELAYED: _l("Delayed"),
    DeliveryStatus.COMPLETED: _l("Completed"),
    DeliveryStatus.CANCELLED: _l("Cancelled"),
}
STATUS_VALUES = {s.value for s in DeliveryStatus}
OFFER_LABELS = {
    OfferStatus.PENDING: _l("Waiting for an answer"),
    OfferStatus.ACCEPTED: _l("Accepted"),
    OfferStatus.DECLINED: _l("Declined"),
    OfferStatus.COORDINATING: _l("Officers replied"),
}
REPORT_KIND_LABELS = {
    ReportKind.STARTED: _l("Work has started"),
    ReportKind.PROBLEM: _l("There is a problem here"),
    ReportKind.FINISHED: _l("It looks finished"),
    ReportKind.OTHER: _l("Something else"),
}
REPORT_STATUS_LABELS = {
    ReportStatus.PENDING: _l("Waiting for an officer"),
    ReportStatus.CONFIRMED: _l("Confirmed"),
    ReportStatus.ANSWERED: _l("Answered"),
}
SERVES_LABELS = {Serves.YES: _l("Yes"), Serves.PARTLY: _l("Partly"), Serves.NO: _l("No")}
STAR_LABELS = [
    ("5", _l("5 stars: excellent")),
    ("4", _l("4 stars: good")),
    ("3", _l("3 stars: fair")),
    ("2", _l("2 stars: poor")),
    ("1", _l("1 star: very poor")),
]


class OfferForm(FlaskForm):
    what = TextAreaField(
        _l("What you can do"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say what you can do.")),
            Length(max=1000, message=_l("Keep it under %(max)d characters.")),
            no_control_characters,
            no_markup,
        ],
        description=_l("Like “water the new trees”, “lend a van”, “tell my neighbours”."),
    )
    availability = StringField(
        _l("When you are free"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say when you are free.")),
            Length(max=200, message=_l("Keep it under %(max)d characters.")),
            no_control_characters,
            no_markup,
        ],
        description=_l("Like “Saturday mornings in May”."),
    )


class ReportForm(FlaskForm):
    kind = RadioField(
        _l("What did you see?"),
        choices=options(REPORT_KIND_LABELS.items()),
        validators=[InputRequired(_l("Choose what you saw."))],
    )
    body = TextAreaField(
        _l("Tell us more"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say what you saw.")),
            Length(max=1000, message=_l("Keep it under %(max)d characters.")),
            no_control_characters,
            no_markup,
        ],
    )
    photo = FileField(
        _l("Photo (optional)"),
        description=_l("JPEG, PNG, WebP or GIF, 8 MB at most. Location data is removed."),
    )
    location = StringField(
        _l("Where exactly (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=200), no_control_characters, no_markup],
        description=_l("Like “the corner by the bakery”."),
    )
    latitude = FloatField(
        _l("Latitude"), validators=[Optional(), NumberRange(-90, 90, _l("Between -90 and 90."))]
    )
    longitude = FloatField(
        _l("Longitude"), validators=[Optional(), NumberRange(-180, 180, _l("Between -180 and 180."))]
    )

    def upload(self):
        data = self.photo.data
        return data if getattr(data, "filename", None) else None

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if (self.latitude.data is None) != (self.longitude.data is None) and not (
            self.latitude.errors or self.longitude.errors
        ):
            self.latitude.errors = [
                *self.latitude.errors,
                _l("Give both latitude and longitude, or neither."),
            ]
            ok = False
        return ok


class RatingForm(FlaskForm):
    stars = RadioField(
        _l("How good is it?"),
        choices=options(STAR_LABELS),
        validators=[InputRequired(_l("Choose from 1 to 5 stars."))],
    )
    serves = RadioField(
        _l("Does it serve you?"),
        choices=options(SERVES_LABELS.items()),
        validators=[InputRequired(_l("Say whether it serves you."))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=1000), no_control_characters, no_markup],
    )


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    budget = SelectField(_l("Budget"), coerce=int_or_none, validators=[Optional()])
    district = SelectField(_l("District"), coerce=int_or_none, validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
