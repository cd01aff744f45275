"""Choosing the language and time zone of a request, and showing stored text in that language."""

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LOGIN_MESSAGE = _l("Please sign in to continue.")

# Fields of a process or project that may carry a text per language in its `translations` column.
TRANSLATED_FIELDS = ("title", "summary", "description")


def select_locale() -> str:
    """The person's saved language, else the `lang` cookie, else the browser's best match."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get("lang")
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["CITY_TIMEZONE"]


def extra_languages() -> list[str]:
    """The configured languages other than the default one: those a text may be translated into."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return [code for code in current_app.config["LANGUAGES"] if code != default]


def localized(obj, field: str) -> str:
    """`obj.field` in the reader's language when `obj.translations` has it, else the base text.

    `translations` is {locale: {field: text}}; a regional locale (es_MX) falls back to its language (es).
    An empty translation counts as missing.
    """
    base = getattr(obj, field)
    translations = getattr(obj, "translations", None) or {}
    locale = get_locale()
    if not translations or locale is None:
        return base
    for code in (str(locale), locale.language):
        text = (translations.get(code) or {}).get(field)
        if text:
            return text
    return base


def person_name(user) -> str:
    """How a person is named to others: a deleted account (or none) is "Deleted user", translated."""
    if user is None or user.deleted_at is not None:
        return _("Deleted user")
    return user.display_name
