"""The admin's forms for a district or a category, with its name in each extra language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import no_control_characters, strip
from app.i18n import TRANSLATED_NAME, language_name
from app.processes.forms import TranslatedTexts, slug_format

NAME_LENGTH = (2, TRANSLATED_NAME["name"])


class CategoryForm(TranslatedTexts, FlaskForm):
    translated = ("name",)

    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter a name.")), Length(*NAME_LENGTH), no_control_characters],
    )
    slug = StringField(
        _l("Web address name"),
        filters=[strip, lambda v: v.lower() if v else v],
        validators=[Optional(), Length(2, 60), slug_format],
        description=_l(
            "Used in page addresses and open data; changing it changes them. "
            "Leave empty to make one from the name."
        ),
    )
    position = IntegerField(
        _l("Position in lists"),
        validators=[Optional(), NumberRange(0, 9999, _l("Enter a number from 0 to 9999."))],
        description=_l("Lists show lower numbers first. Leave empty to put a new one last."),
    )


class DistrictForm(CategoryForm):
    is_citywide = BooleanField(
        _l("City-wide pot"),
        description=_l(
            "For projects that serve the whole city: everyone may vote on them, and nobody chooses it "
            "as where they live."
        ),
    )


def with_name_translations(form_class: type[CategoryForm], languages: list[str]) -> type[CategoryForm]:
    """`form_class` with an optional name field for each of `languages`, checked as the base name is."""
    fields: dict = {"languages": tuple(languages)}
    for code in languages:
        fields[f"name_{code}"] = StringField(
            _l("Name in %(language)s", language=language_name(code)),
            filters=[strip],
            validators=[Optional(), Length(*NAME_LENGTH), no_control_characters],
        )
    return type(form_class.__name__, (form_class,), fields)
