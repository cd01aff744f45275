"""Officers' delivery forms: a record's status and figures, a milestone, an update with photos, the
answers to residents' offers and reports, and the queue filter. They check shape and say what is wrong
at the field; services check the rules."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
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
from app.delivery.forms import STATUS_LABELS, STATUS_VALUES
from app.delivery.models import DeliveryStatus, OfferStatus, ReportStatus
from app.delivery.progress import MAX_UPDATE_PHOTOS
from app.proposals.forms import no_html_code, no_markup

OFFER_DECISIONS = {
    OfferStatus.ACCEPTED: _l("Accept"),
    OfferStatus.COORDINATING: _l("Reply to arrange the details"),
    OfferStatus.DECLINED: _l("Decline, with thanks"),
}
REPORT_DECISIONS = {
    ReportStatus.CONFIRMED: _l("Confirm: show it on the project's timeline"),
    ReportStatus.ANSWERED: _l("Answer the resident only"),
}


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


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Show"), validators=[Optional()])
