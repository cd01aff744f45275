"""The admin's form for a process: its settings and ballot, a budget per district, the dates of each
phase and its texts in other languages; and the conversions between the form and the process."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import MoneyField, no_control_characters, options, strip
from app.i18n import localized
from app.processes.forms import (
    MultiCheckboxField,
    TranslatedTexts,
    slug_format,
    translation_form_data,
    with_translations,
)
from app.processes.models import BallotType, OutcomeRule, Phase

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]  # what datetime-local inputs send and show
CURRENCIES = [("EUR", "EUR €"), ("GBP", "GBP £"), ("USD", "USD $"), ("PLN", "PLN zł"), ("CHF", "CHF")]
DATED_PHASES = [Phase.PROPOSALS, Phase.REVIEW, Phase.VOTING, Phase.RESULTS, Phase.DELIVERY]
BALLOT_LABELS = {
    BallotType.APPROVAL: _l("Approval: choose any number of projects"),
    BallotType.K_APPROVAL: _l("k-approval: choose up to k projects"),
    BallotType.KNAPSACK: _l("Knapsack: choose projects whose total cost fits the budget"),
    BallotType.CUMULATIVE: _l("Cumulative: spread a number of points over projects"),
}
RULE_LABELS = {
    OutcomeRule.GREEDY: _l("Most votes first (greedy): fund by votes while money lasts"),
    OutcomeRule.GREEDY_THRESHOLD: _l("Most votes first, with a minimum number of votes"),
    OutcomeRule.MES: _l("Method of Equal Shares (proportional)"),
    OutcomeRule.MES_ADD1: _l("Method of Equal Shares, completed to use the budget (recommended)"),
}


def _count(label, description=None, maximum=10_000) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(0, maximum)], description=description)


class ProcessForm(TranslatedTexts, FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip], validators=[DataRequired(), Length(3, 160), no_control_characters]
    )
    slug = StringField(
        _l("Web address name"),
        filters=[strip, lambda v: v.lower() if v else v],
        validators=[Optional(), Length(3, 80), slug_format],
        description=_l("Part of the page address. Leave empty to make one from the title."),
    )
    summary = StringField(_l("One-line summary"), filters=[strip], validators=[Optional(), Length(max=300)])
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("What this budget is for, who can take part, and the timeline. Markdown is allowed."),
    )
    currency = SelectField(_l("Currency"), choices=options(CURRENCIES))
    categories = MultiCheckboxField(_l("Categories"), coerce=int)
    ballot_type = RadioField(
        _l("Ballot"), choices=options(BALLOT_LABELS.items()), default=BallotType.APPROVAL.value
    )
    min_choices = _count(_l("Fewest projects a voter must choose"), _l("Usually 1."), 200)
    max_choices = _count(_l("k: most projects a voter may choose (k-approval)"), None, 200)
    total_points = _count(_l("N: points each voter spreads (cumulative)"))
    max_points_per_project = _count(_l("M: most points on one project (cumulative)"))
    min_spend_percent = _count(_l("Knapsack: least share of the budget a ballot must spend, in %"), None, 100)
    rule = SelectField(_l("How winners are chosen"), choices=options(RULE_LABELS.items()))
    rule_threshold = _count(
        _l("Minimum votes (or points) to be funded"), _l("Only for the greedy rule with a minimum."), 10**9
    )
    residents_only = BooleanField(_l("Only residents of a district may vote on its projects"))
    min_age = IntegerField(_l("Minimum age to vote"), validators=[Optional(), NumberRange(0, 120)])
    allow_accounts = BooleanField(_l("Verified accounts may vote online"), default=True)
    allow_census = BooleanField(_l("People on the census list may vote"))
    allow_codes = BooleanField(_l("Single-use voter codes (kiosks, people without email)"))
    allow_paper = BooleanField(_l("Officers enter paper ballots"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ballot = self.ballot_type.data
        if ballot == BallotType.K_APPROVAL and not self.max_choices.data:
            self.max_choices.errors.append(_l("Set k for a k-approval ballot."))
            ok = False
        if ballot == BallotType.CUMULATIVE and not self.total_points.data:
            self.total_points.errors.append(_l("Set the number of points for a cumulative ballot."))
            ok = False
        if self.rule.data == OutcomeRule.GREEDY_THRESHOLD and self.rule_threshold.data is None:
            self.rule_threshold.errors.append(_l("Set the minimum number of votes."))
            ok = False
        return ok & self._validate_budgets() & self._validate_dates()

    def budget_fields(self):
        return [f for name, f in self._fields.items() if name.startswith("budget_")]

    def phase_fields(self):
        return [(phase, self[f"{phase.value}_start"], self[f"{phase.value}_end"]) for phase in DATED_PHASES]

    def _validate_budgets(self) -> bool:
        if any(f.data for f in self.budget_fields()):
            return True
        first = self.budget_fields()[0] if self.budget_fields() else None
        if first is not None:
            first.errors = [*first.errors, _l("Give at least one district a budget.")]
        return False

    def _validate_dates(self) -> bool:
        ok, previous = True, None
        for _phase, start, end in self.phase_fields():
            if start.data and end.data and end.data <= start.data:
                end.errors = [*end.errors, _l("The end must be after the start.")]
                ok = False
            if previous and start.data and start.data < previous:
                start.errors = [*start.errors, _l("This phase must start after the previous one ends.")]
                ok = False
            previous = end.data or start.data or previous
        return ok


def process_form_class(districts, languages: list[str] = ()) -> type[ProcessForm]:
    """ProcessForm with a budget field per district, start/end fields per dated phase, and texts per
    extra language."""
    fields = {
        f"budget_{d.id}": MoneyField(
            localized(d, "name"),
            validators=[Optional()],
            description=_l("Leave empty if this district is not part of it."),
        )
        for d in districts
    }
    for phase in DATED_PHASES:
        fields[f"{phase.value}_start"] = DateTimeLocalField(
            _l("Starts"), format=LOCAL_FORMATS, validators=[Optional()]
        )
        fields[f"{phase.value}_end"] = DateTimeLocalField(
            _l("Ends"), format=LOCAL_FORMATS, validators=[Optional()]
        )
    return with_translations(type("DistrictProcessForm", (ProcessForm,), fields), list(languages))


def settings_from(form: ProcessForm) -> dict:
    """The process settings a valid form holds, typed for the model."""
    values = {
        name: form[name].data
        for name in (
            "title",
            "summary",
            "description",
            "currency",
            "residents_only",
            "min_age",
            "allow_accounts",
            "allow_census",
            "allow_codes",
            "allow_paper",
            "max_choices",
            "total_points",
            "max_points_per_project",
            "rule_threshold",
        )
    }
    values["summary"] = values["summary"] or ""
    values["description"] = values["description"] or ""
    values["ballot_type"] = BallotType(form.ballot_type.data)
    values["rule"] = OutcomeRule(form.rule.data)
    values["min_choices"] = form.min_choices.data if form.min_choices.data is not None else 1
    values["min_spend_percent"] = form.min_spend_percent.data or 0
    return values


def budgets_from(form: ProcessForm) -> dict[int, int | None]:
    return {int(f.name.removeprefix("budget_")): f.data for f in form.budget_fields()}


def dates_from(form: ProcessForm, convert) -> dict:
    """{phase: (start, end)} as aware times, `convert` turning the city's wall-clock times into UTC."""
    return {phase: (convert(start.data), convert(end.data)) for phase, start, end in form.phase_fields()}


def form_data_from(process, convert) -> dict:
    """Initial form data for editing `process`; `convert` turns aware times into city wall-clock times."""
    data = {
        name: getattr(process, name)
        for name in (
            "title",
            "slug",
            "summary",
            "description",
            "currency",
            "min_choices",
            "max_choices",
            "total_points",
            "max_points_per_project",
            "min_spend_percent",
            "rule_threshold",
            "residents_only",
            "min_age",
            "allow_accounts",
            "allow_census",
            "allow_codes",
            "allow_paper",
        )
    }
    data.update(translation_form_data(process))
    data["ballot_type"], data["rule"] = process.ballot_type.value, process.rule.value
    data["categories"] = [c.id for c in process.categories]
    data.update({f"budget_{b.district_id}": b.budget_cents for b in process.budgets})
    for row in process.phases:
        data[f"{row.phase.value}_start"], data[f"{row.phase.value}_end"] = (
            convert(row.starts_at),
            convert(row.ends_at),
        )
    return data
