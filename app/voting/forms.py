"""Forms of voting. The ballot form is built per district: its choices are that district's projects
only (an allow-list), so a form can never name another ballot's project."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import options, strip
from app.i18n import localized
from app.processes.forms import MultiCheckboxField
from app.voting.ballots import DistrictBallot

NOT_ON_BALLOT = _l("One of your choices is not on this ballot. Please choose again.")


class ProjectChoiceField(MultiCheckboxField):
    """Checkboxes named `p`, one per project id; anything else is refused in plain words."""

    def process_formdata(self, valuelist) -> None:
        try:
            self.data = [int(v) for v in valuelist]
        except ValueError:
            self.data = []
            raise ValueError(str(NOT_ON_BALLOT)) from None

    def pre_validate(self, form) -> None:
        allowed = {int(choice.value) for choice in self.choices}
        if any(v not in allowed for v in self.data or []):
            raise ValidationError(str(NOT_ON_BALLOT))


class PointsField(IntegerField):
    """A project's points: empty means 0."""

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0].strip() if valuelist else ""
        if not raw:
            self.data = 0
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Enter a whole number of points, like 2."))) from None


def points_name(project_id: int) -> str:
    return f"pts_{project_id}"


def ballot_fields(ballot: DistrictBallot) -> dict:
    fields: dict = {}
    if ballot.rules.uses_points:
        cap = ballot.rules.points_cap
        message = _l("Give between 0 and %(max)d points.", max=cap)
        for project in ballot.projects:
            fields[points_name(project.id)] = PointsField(
                f"{project.code} · {localized(project, 'title')}",
                validators=[Optional(), NumberRange(0, cap, message)],
                default=0,
            )
    else:
        fields["p"] = ProjectChoiceField(
            _l("Projects"),
            coerce=int,
            choices=options((p.id, f"{p.code} · {localized(p, 'title')}") for p in ballot.projects),
        )
    return fields


class BallotBase(FlaskForm):
    d = HiddenField()  # the draft this ballot was reviewed from, forgotten once it is cast

    def choices(self) -> dict[int, int]:
        """{project id: points} as sent (zeros included, which the rules drop)."""
        if "p" in self._fields:
            return dict.fromkeys(self.p.data or [], 1)
        return {
            int(name.removeprefix("pts_")): field.data or 0
            for name, field in self._fields.items()
            if name.startswith("pts_")
        }

    def point_fields(self) -> list:
        return [f for name, f in self._fields.items() if name.startswith("pts_")]


def ballot_form(ballot: DistrictBallot, *, formdata=None, choices: dict[int, int] | None = None, draft=""):
    """The ballot form of a district: from `formdata` (a submitted ballot) or prefilled with `choices`."""
    form_class = type("BallotForm", (BallotBase,), ballot_fields(ballot))
    return form_class(formdata=formdata, data={**_data(ballot, choices or {}), "d": draft})


def _data(ballot: DistrictBallot, choices: dict[int, int]) -> dict:
    if ballot.rules.uses_points:
        return {points_name(p.id): choices.get(p.id, 0) for p in ballot.projects}
    return {"p": [p.id for p in ballot.projects if choices.get(p.id)]}


class CodeForm(FlaskForm):
    code = StringField(
        _l("Your voter code"),
        filters=[strip],
        validators=[DataRequired(_l("Type the code printed on your card.")), Length(max=40)],
        description=_l("Like K7QMD-3XPTA. Capital or small letters, with or without the dash."),
    )
    next = HiddenField()


class CensusForm(FlaskForm):
    id_number = StringField(
        _l("Identity number"),
        filters=[strip],
        validators=[DataRequired(_l("Type your identity number.")), Length(max=40)],
    )
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    postcode = StringField(_l("Postcode"), filters=[strip], validators=[Optional(), Length(max=20)])
    next = HiddenField()


class CensusUploadForm(FlaskForm):
    file = FileField(
        _l("Census list (CSV file)"),
        validators=[FileRequired(_l("Choose a CSV file."))],
        description=_l(
            "First line: id_number, then birth_date or postcode, and district if voters vote in their "
            "own district only. Birth dates like 2001-04-30."
        ),
    )


class CodesForm(FlaskForm):
    count = IntegerField(
        _l("How many codes"),
        validators=[DataRequired(_l("Enter a number of codes.")), NumberRange(1, 2000)],
        default=50,
    )
    district_id = SelectField(
        _l("District"),
        coerce=lambda v: int(v) if v else None,
        validators=[Optional()],
        description=_l(
            "The district the codes vote in, for processes where people vote in their own district."
        ),
    )
    output = RadioField(
        _l("Get them as"),
        choices=options([("sheet", _l("A sheet to print and cut")), ("csv", _l("A CSV file"))]),
        default="sheet",
    )


IDENTITY_KINDS = [
    ("census", _l("Details on the voters' list")),
    ("account", _l("Email of the voter's account")),
    ("code", _l("Voter code")),
]


class PaperBase(BallotBase):
    number = StringField(
        _l("Sheet number"),
        filters=[strip],
        validators=[DataRequired(_l("Type the number printed on the sheet.")), Length(max=40)],
    )
    identity = RadioField(_l("The voter is identified by"), default="census")
    id_number = StringField(_l("Identity number"), filters=[strip], validators=[Optional(), Length(max=40)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    postcode = StringField(_l("Postcode"), filters=[strip], validators=[Optional(), Length(max=20)])
    email = EmailField(_l("Email"), filters=[strip], validators=[Optional(), Length(max=254)])
    code = StringField(_l("Voter code"), filters=[strip], validators=[Optional(), Length(max=40)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        needed = {"census": self.id_number, "account": self.email, "code": self.code}.get(self.identity.data)
        if needed is not None and not needed.data:
            needed.errors = [*needed.errors, _l("Fill this in for the identity chosen above.")]
            ok = False
        return ok


def paper_form(ballot: DistrictBallot, kinds: list[tuple[str, str]], formdata=None):
    form_class = type("PaperBallotForm", (PaperBase,), ballot_fields(ballot))
    form = form_class(formdata=formdata, data=_data(ballot, {}))
    form.identity.choices = options(kinds)
    if form.identity.data not in {value for value, _label in kinds}:  # (value, label) pairs
        form.identity.data = kinds[0][0]
    return form
