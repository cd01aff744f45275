"""Form pieces shared by features."""

from babel import Locale
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, ValidationError


class EmptyForm(FlaskForm):
    """A CSRF-only form for one-tap buttons (support, follow, sign out)."""


class NextForm(FlaskForm):
    next = HiddenField()


def language_choices() -> list[SelectChoice]:
    """The configured languages, each named in itself ("English", "Español")."""
    return [SelectChoice(code, own_language_name(code)) for code in current_app.config["LANGUAGES"]]


def own_language_name(code: str) -> str:
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


class LanguageForm(FlaskForm):
    """The language switcher in the footer; each language is named in itself."""

    lang = SelectField(_l("Language"))
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = language_choices()


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


class MoneyField(StringField):
    """An amount in whole currency units as people type it ("12 500", "12,500", "12500.50"), kept in cents.

    `data` is an int number of cents, or None when empty. Up to two decimals; no negative amounts.
    """

    def __init__(self, label=None, validators=None, max_cents: int = 10**13, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_cents = max_cents

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        units, cents = divmod(self.data, 100)
        return f"{units}" if cents == 0 else f"{units}.{cents:02d}"

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_money(valuelist[0])
        if self.data is None:
            raise ValueError(self.gettext("Enter an amount in numbers, like 12500 or 12,500.50."))
        if self.data > self.max_cents:
            raise ValueError(self.gettext("This amount is too large."))


def parse_money(text: str) -> int | None:
    """Cents from a typed amount; None when it is not a non-negative amount with at most 2 decimals.

    Spaces and apostrophes group thousands. A comma followed by exactly 1–2 final digits is a decimal
    comma ("12,5" → 12.50); otherwise commas group thousands ("12,500" → 12500.00).
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("'", "").lstrip("€$£")
    if "," in cleaned and "." not in cleaned and len(cleaned.rsplit(",", 1)[1]) in (1, 2):
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace(",", "")
    whole, _, fraction = cleaned.partition(".")
    if not whole.isdigit() or (fraction and (not fraction.isdigit() or len(fraction) > 2)):
        return None
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
