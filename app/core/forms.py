"""Form pieces shared by features."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, ValidationError


class EmptyForm(FlaskForm):
    """A CSRF-only form for one-tap buttons (support, follow, sign out)."""


class NextForm(FlaskForm):
    next = HiddenField()


class Strip:
    """A field filter that trims surrounding white space and turns an empty string into None-safe ''."""

    def __call__(self, value):
        return value.strip() if isinstance(value, str) else value


strip = Strip()


def no_control_characters(form, field) -> None:
    """Refuse text with control characters other than newlines and tabs."""
    if field.data and any(ord(ch) < 32 and ch not in "\n\r\t" for ch in field.data):
        raise ValidationError(_l("Remove the special characters from this text."))


def options(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]
