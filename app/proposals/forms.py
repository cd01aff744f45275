"""Forms for proposals, comments, reports, moderation and review. They check shape; services check rules."""

import re
from urllib.parse import urlsplit

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FloatField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import MoneyField, no_control_characters, options, strip
from app.proposals.models import FlagReason, ProposalStatus
from app.proposals.rules import MAX_PHOTOS

TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
CODE = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|form|input|svg|img|link|meta|base|frame|math)\b",
    re.IGNORECASE,
)
MAX_LINKS = 5
MAX_COST_CENTS = 10**11  # one billion: anything above is a typing slip, whatever the budget

STATUS_LABELS = {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.PUBLISHED: _l("Published"),
    ProposalStatus.UNDER_REVIEW: _l("Under review"),
    ProposalStatus.CHANGES_REQUESTED: _l("Changes requested"),
    ProposalStatus.ACCEPTED: _l("On the ballot"),
    ProposalStatus.REJECTED: _l("Not accepted"),
    ProposalStatus.WITHDRAWN: _l("Withdrawn"),
    ProposalStatus.MERGED: _l("Merged"),
}
FLAG_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.OFFENSIVE: _l("Offensive, abusive or hateful"),
    FlagReason.PERSONAL_DATA: _l("Shares someone's personal details"),
    FlagReason.OFF_TOPIC: _l("Not about this budget"),
    FlagReason.OTHER: _l("Something else (say what)"),
}
SORT_LABELS = {"newest": _l("Newest"), "supported": _l("Most supported"), "random": _l("Random")}


def no_markup(form, field) -> None:
    """Plain-text fields take no HTML at all."""
    if field.data and TAG.search(field.data):
        raise ValidationError(_l("Remove the HTML code, such as script tags: this field takes plain text."))


def no_html_code(form, field) -> None:
    """Markdown fields are sanitised when shown, but code is refused with a message, not dropped.

    (Messages never quote tags: flask-babel's lazy strings are rendered as HTML, unescaped.)"""
    if field.data and CODE.search(field.data):
        raise ValidationError(
            _l("Remove the HTML code, such as script tags. For formatting, use Markdown: **bold**, - lists.")
        )


def int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class LinksField(TextAreaField):
    """Web addresses, one per line; `data` is a list of strings."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in text.splitlines() if line.strip()]


def valid_links(form, field) -> None:
    if len(field.data or []) > MAX_LINKS:
        raise ValidationError(_l("Give at most %(n)d links.", n=MAX_LINKS))
    for link in field.data or []:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > 300 or " " in link:
            # gettext, not lazy: a lazy string counts as safe HTML, and this one quotes what was typed.
            raise ValidationError(
                gettext("“%(link)s” is not a web address starting with https://", link=link[:60])
            )


def _title_field() -> StringField:
    return StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give your proposal a title.")),
            Length(5, 160, _l("Use between %(min)d and %(max)d characters.")),
            no_control_characters,
            no_markup,
        ],
        description=_l("A few words that say what you propose, like “Benches along the river path”."),
    )


class ProposalForm(FlaskForm):
    title = _title_field()
    summary = StringField(
        _l("One-line summary"),
        filters=[strip],
        validators=[Optional(), Length(max=300), no_control_characters, no_markup],
        description=_l("Shown in the list of proposals. Up to 300 characters."),
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Optional(), Length(max=10_000), no_control_characters, no_html_code],
        description=_l("What, where, for whom and why. You can use Markdown: **bold**, - lists."),
    )
    estimated_cost = MoneyField(
        _l("Estimated cost"),
        validators=[Optional()],
        max_cents=MAX_COST_CENTS,
        description=_l("Your best guess, like 12,500. Council officers set the official cost."),
    )
    district_id = SelectField(_l("District"), coerce=int_or_none, validators=[Optional()])
    category_id = SelectField(_l("Category"), coerce=int_or_none, validators=[Optional()])
    address = StringField(
        _l("Address or place"),
        filters=[strip],
        validators=[Optional(), Length(max=200), no_control_characters, no_markup],
        description=_l("Optional. Where it would be, like “Mill Lane playground”."),
    )
    latitude = FloatField(
        _l("Latitude"), validators=[Optional(), NumberRange(-90, 90, _l("Between -90 and 90."))]
    )
    longitude = FloatField(
        _l("Longitude"), validators=[Optional(), NumberRange(-180, 180, _l("Between -180 and 180."))]
    )
    photos = MultipleFileField(
        _l("Photos"),
        description=_l(
            "Up to 3 photos: JPEG, PNG, WebP or GIF, 8 MB each at most. Location data is removed."
        ),
    )
    links = LinksField(
        _l("Links"),
        validators=[valid_links],
        description=_l("Optional. Web pages about your idea, one per line, up to 5."),
    )
    save = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish"))

    #: Set by the view: photos the proposal already has, and whether every field must be filled.
    existing_photos = 0
    complete = False

    def uploads(self) -> list:
        return [f for f in (self.photos.data or []) if getattr(f, "filename", None)]

    def values(self) -> dict:
        """The proposal's values, typed as the model keeps them (cost in cents)."""
        values = {
            name: self[name].data for name in ("title", "district_id", "category_id", "latitude", "longitude")
        }
        values.update(
            summary=self.summary.data or "",
            description=self.description.data or "",
            address=self.address.data or "",
            estimated_cost_cents=self.estimated_cost.data,
            links=self.links.data or [],
        )
        return values

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        checks = (self._check_point(), self._check_cost(), self._check_photos(), self._check_complete())
        return ok and all(checks)

    def _error(self, field, message) -> bool:
        field.errors = [*field.errors, message]
        return False

    def _check_point(self) -> bool:
        if (self.latitude.data is None) != (self.longitude.data is None) and not self.latitude.errors:
            return self._error(self.latitude, _l("Give both latitude and longitude, or neither."))
        return True

    def _check_cost(self) -> bool:
        if self.estimated_cost.data is not None and self.estimated_cost.data <= 0:
            return self._error(self.estimated_cost, _l("The cost must be more than zero."))
        return True

    def _check_photos(self) -> bool:
        room = MAX_PHOTOS - self.existing_photos
        if len(self.uploads()) > room:
            return self._error(self.photos, _l("You can add %(n)d more photos at most.", n=room))
        return True

    def _check_complete(self) -> bool:
        if not (self.complete or self.publish.data):
            return True
        required = {
            self.summary: _l("Write a one-line summary."),
            self.description: _l("Describe your proposal."),
            self.estimated_cost: _l("Give an estimated cost."),
            self.district_id: _l("Choose a district."),
        }
        ok = True
        for field, message in required.items():
            if not field.data and not field.errors:
                ok = self._error(field, message)
        return ok


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), filters=[strip], validators=[Optional(), Length(max=100)])
    district = SelectField(_l("District"), coerce=int_or_none, validators=[Optional()])
    category = SelectField(_l("Category"), coerce=int_or_none, validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), choices=options(SORT_LABELS.items()), default="newest")


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write your comment.")),
            Length(max=5000, message=_l("Keep it under %(max)d characters.")),
            no_control_characters,
            no_html_code,
        ],
    )
    parent_id = HiddenField(filters=[int_or_none])


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong?"),
        choices=options(FLAG_LABELS.items()),
        validators=[InputRequired(_l("Choose what is wrong."))],
    )
    details = TextAreaField(
        _l("Details"),
        filters=[strip],
        validators=[Optional(), Length(max=500), no_control_characters, no_markup],
        description=_l("Optional, unless you chose “Something else”. Officers read it; it is not public."),
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.reason.data == FlagReason.OTHER and not self.details.data:
            self.details.errors = [*self.details.errors, _l("Say what is wrong.")]
            return False
        return ok
