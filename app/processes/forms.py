"""Parts the processes' admin forms share (checkbox lists, web address names, texts in other languages),
and the forms for a phase change and a ballot project. The process form: process_form.py."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, ValidationError, widgets
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import MoneyField, no_control_characters, options, strip
from app.i18n import TRANSLATED_FIELDS, language_name
from app.processes.models import Phase
from app.processes.phases import PHASE_LABELS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def slug_format(form, field) -> None:
    if field.data and not SLUG.match(field.data):
        raise ValidationError(_l("Use lower-case letters, digits and single hyphens, like riverside-2027."))


class TranslatedTexts:
    """A form mix-in: the `translated` fields in each extra language (see `with_translations`)."""

    languages: tuple[str, ...] = ()
    translated: tuple[str, ...] = tuple(TRANSLATED_FIELDS)  # the base fields that have a text per language

    def translation_groups(self) -> list[tuple[str, str, list]]:
        """[(code, language name, [its field for each of `translated`])] for the template."""
        return [
            (code, language_name(code), [self[f"{field}_{code}"] for field in self.translated])
            for code in self.languages
        ]

    def translations_data(self) -> dict[str, dict[str, str]]:
        return {
            code: {field: self[f"{field}_{code}"].data or "" for field in self.translated}
            for code in self.languages
        }


def translation_form_data(obj) -> dict[str, str]:
    """Initial form data for the translated texts of a process or project."""
    return {
        f"{field}_{code}": text
        for code, texts in (obj.translations or {}).items()
        for field, text in texts.items()
    }


def with_translations(form_class: type, languages: list[str]) -> type:
    """`form_class` with a title, summary and description field for each of `languages`.

    The fields are checked as the base ones are, and all optional: an empty text shows the base one.
    """
    fields: dict = {"languages": tuple(languages)}
    for code in languages:
        name = language_name(code)
        fields[f"title_{code}"] = StringField(
            _l("Title in %(language)s", language=name),
            filters=[strip],
            validators=[Optional(), Length(3, TRANSLATED_FIELDS["title"]), no_control_characters],
        )
        fields[f"summary_{code}"] = StringField(
            _l("Summary in %(language)s", language=name),
            filters=[strip],
            validators=[Optional(), Length(max=TRANSLATED_FIELDS["summary"]), no_control_characters],
        )
        fields[f"description_{code}"] = TextAreaField(
            _l("Description in %(language)s", language=name),
            validators=[Optional(), Length(max=TRANSLATED_FIELDS["description"])],
            description=_l("Markdown is allowed. Leave empty to show the text above."),
        )
    return type(form_class.__name__, (form_class,), fields)


class PhaseForm(FlaskForm):
    phase = SelectField(_l("Move to phase"), choices=options((p.value, PHASE_LABELS[p.value]) for p in Phase))
    reason = TextAreaField(
        _l("Note for the record"),
        filters=[strip],
        validators=[Optional(), Length(max=1000)],
        description=_l("Kept in the audit log. Required when closing voting early."),
    )


class ProjectForm(TranslatedTexts, FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip], validators=[DataRequired(), Length(3, 160), no_control_characters]
    )
    code = StringField(
        _l("Ballot code"),
        filters=[strip],
        validators=[Optional(), Length(max=40)],
        description=_l("A short public id, e.g. P12. Leave empty to number it automatically."),
    )
    summary = StringField(_l("Summary"), filters=[strip], validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20_000)])
    district_id = SelectField(_l("District"), coerce=int)
    category_id = SelectField(_l("Category"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    cost = MoneyField(_l("Official cost"), validators=[InputRequired(_l("Enter the cost."))])
    feasibility_note = TextAreaField(_l("Feasibility note"), validators=[Optional(), Length(max=5000)])

    def validate_cost(self, field) -> None:
        if field.data is not None and field.data <= 0:
            raise ValidationError(_l("The cost must be more than zero."))
