"""Forms for delivery: officers' record, milestone, update and answers; residents' offer, report and
rating. They check shape and say what is wrong at the field; services check the rules."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import MoneyField, no_control_characters, options, strip
from app.delivery.models import DeliveryStatus, OfferStatus, ReportKind, ReportStatus, Serves
from app.delivery.services import MAX_UPDATE_PHOTOS
from app.proposals.forms import int_or_none, no_html_code, no_markup

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
OFFER_DECISIONS = {
    OfferStatus.ACCEPTED: _l("Accept"),
    OfferStatus.COORDINATING: _l("Reply to arrange the details"),
    OfferStatus.DECLINED: _l("Decline, with thanks"),
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
REPORT_DECISIONS = {
    ReportStatus.CONFIRMED: _l("Confirm: show it on the project's timeline"),
    ReportStatus.ANSWERED: _l("Answer the resident only"),
}
SERVES_LABELS = {Serves.YES: _l("Yes"), Serves.PARTLY: _l("Partly"), Serves.NO: _l("No")}
STAR_LABELS = [
    ("5", _l("5 stars: excellent")),
    ("4", _l("4 stars: good")),
    ("3", _l("3 stars: fair")),
    ("2", _l("2 stars: poor")),
    ("1", _l("1 star: very poor")),
]


class CityDateField(DateField):
    """A date as a phone's date picker sends it (YYYY-MM-DD), with a message people understand."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            super().process_formdata([valuelist[0].strip()])
        except ValueError:
            self.data = None
            raise ValueError(self.gettext("Enter a date like 2026-03-31.")) from None


class SignedMoneyField(MoneyField):
    """Money that says so when someone types a negative amount."""

    def process_formdata(self, valuelist) -> None:
        if valuelist and valuelist[0].strip().startswith("-"):
            self.data = None
            raise ValueError(self.gettext("The amount cannot be negative."))
        super().process_formdata(valuelist)


def _reason_field(label, required_message):
    return TextAreaField(
        label,
        filters=[strip],
        validators=[Optional(), Length(max=2000), no_control_characters, no_html_code],
        description=required_message,
    )


class RecordForm(FlaskForm):
    status = SelectField(_l("Status"), choices=options(STATUS_LABELS.items()))
    status_reason = _reason_field(
        _l("Reason (public)"), _l("Needed when the project is delayed or cancelled. Residents read it.")
    )
    progress_percent = IntegerField(
        _l("Progress, in percent"),
        validators=[
            InputRequired(_l("Give a percentage from 0 to 100.")),
            NumberRange(0, 100, _l("Give a percentage from 0 to 100.")),
        ],
    )
    starts_on = CityDateField(_l("Start date"), validators=[Optional()])
    ends_on = CityDateField(_l("Planned end date"), validators=[Optional()])
    allocated = SignedMoneyField(
        _l("Money allocated"), validators=[Optional()], description=_l("Like 48,000 or 48000.50.")
    )
    spent = SignedMoneyField(
        _l("Money spent so far"),
        validators=[Optional()],
        description=_l("May be given without an allocation."),
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        status = DeliveryStatus(self.status.data) if self.status.data in STATUS_VALUES else None
        if status and status.needs_reason and not self.status_reason.data and not self.status_reason.errors:
            self.status_reason.errors = [
                *self.status_reason.errors,
                _l("Say why, in a sentence residents will read."),
            ]
            ok = False
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [*self.ends_on.errors, _l("The end date cannot be before the start date.")]
            ok = False
        return ok

    def values(self) -> dict:
        return {
            "status": DeliveryStatus(self.status.data),
            "status_reason": self.status_reason.data or "",
            "progress_percent": self.progress_percent.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "allocated_cents": self.allocated.data,
            "spent_cents": self.spent.data,
        }


def web_address(form, field) -> None:
    if field.data:
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
            raise ValidationError(_l("Give a web address starting with https://"))


class MilestoneForm(FlaskForm):
    title = StringField(
        _l("Milestone"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the milestone a title.")),
            Length(max=160, message=_l("Keep it under %(max)d characters.")),
            no_control_characters,
            no_markup,
        ],
        description=_l("Like “Trees delivered” or “Site handed back”."),
    )
    due_on = CityDateField(_l("Due date"), validators=[Optional()])
    done_on = CityDateField(_l("Done on"), validators=[Optional()], description=_l("Empty until it is done."))
    evidence = TextAreaField(
        _l("Evidence (public)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), no_control_characters, no_html_code],
        description=_l("What shows it is done: a sentence, an invoice number, a photo in an update."),
    )
    evidence_url = StringField(
        _l("Evidence link"),
        filters=[strip],
        validators=[Optional(), Length(max=300), web_address],
    )

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "due_on": self.due_on.data,
            "done_on": self.done_on.data,
            "evidence": self.evidence.data or "",
            "evidence_url": self.evidence_url.data or "",
        }


class UpdateForm(FlaskForm):
    body = TextAreaField(
        _l("What is new"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write what is new.")),
            Length(max=5000, message=_l("Keep it under %(max)d characters.")),
            no_control_characters,
            no_html_code,
        ],
        description=_l("Followers and supporters are told. You can use Markdown: **bold**, - lists."),
    )
    photos = MultipleFileField(
        _l("Photos"),
        description=_l(
            "Up to 3 photos: JPEG, PNG, WebP or GIF, 8 MB each at most. Location data is removed."
        ),
    )

    def uploads(self) -> list:
        return [f for f in (self.photos.data or []) if getattr(f, "filename", None)]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if len(self.uploads()) > MAX_UPDATE_PHOTOS:
            self.photos.errors = [*self.photos.errors, _l("Add %(n)d photos at most.", n=MAX_UPDATE_PHOTOS)]
            ok = False
        return ok


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


class OfferAnswerForm(FlaskForm):
    decision = RadioField(
        _l("Your answer"),
        choices=options(OFFER_DECISIONS.items()),
        validators=[InputRequired(_l("Choose what to do with this offer."))],
    )
    reply = TextAreaField(
        _l("Message to the resident"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), no_control_characters, no_markup],
        description=_l("Needed when you reply to arrange the details."),
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.decision.data == OfferStatus.COORDINATING.value and not self.reply.data:
            self.reply.errors = [*self.reply.errors, _l("Write your reply to the resident.")]
            ok = False
        return ok


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


class ReportAnswerForm(FlaskForm):
    decision = RadioField(
        _l("Your answer"),
        choices=options(REPORT_DECISIONS.items()),
        validators=[InputRequired(_l("Choose what to do with this report."))],
    )
    answer = TextAreaField(
        _l("Message to the resident"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), no_control_characters, no_markup],
        description=_l("Needed when you only answer; shown under the report when you confirm it."),
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.decision.data == ReportStatus.ANSWERED.value and not self.answer.data:
            self.answer.errors = [*self.answer.errors, _l("Write your answer to the resident.")]
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


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Show"), validators=[Optional()])
