"""Choosing the language and time zone of a request, and showing stored text in that language."""

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LOGIN_MESSAGE = _l("Please sign in to continue.")
SOURCE_LOCALE = "en"  # the language of the messages in the code (the catalogues' msgids)

# Fields of a process or project that may carry a text per language in its `translations` column,
# with the longest text each may hold (as the base columns).
TRANSLATED_FIELDS = {"title": 160, "summary": 300, "description": 20_000}
# The same for a district or category: its name.
TRANSLATED_NAME = {"name": 120}


def select_locale() -> str:
    """The person's saved language, else the `lang` cookie, else the browser's best match.

    Outside a request (commands, background work) it is the default language.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
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


def language_name(code: str) -> str:
    """A language's name in the reader's language, e.g. "Spanish" or "español"."""
    return Locale.parse(code).get_display_name(get_locale() or "en") or code


def clean_translations(
    raw: dict | None, fields: dict[str, int] = TRANSLATED_FIELDS
) -> dict[str, dict[str, str]]:
    """Translations as stored: only the extra languages and `fields` ({name: longest text}), trimmed,
    empty texts left out.

    Raises ValueError when a text is longer than its base field allows.
    """
    cleaned: dict[str, dict[str, str]] = {}
    for code in extra_languages():
        texts = (raw or {}).get(code) or {}
        kept = {}
        for field, limit in fields.items():
            text = "".join(ch for ch in texts.get(field) or "" if ord(ch) >= 32 or ch in "\n\r\t").strip()
            if len(text) > limit:
                raise ValueError(field)
            if text:
                kept[field] = text
        if kept:
            cleaned[code] = kept
    return cleaned


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


def system_note(message) -> str:
    """A public note the service writes itself (e.g. "The review phase started."), kept in the database
    in the code's own language so that every reader sees it in theirs (:func:`show_note`)."""
    with force_locale(SOURCE_LOCALE):
        return str(message)


def show_note(text: str | None) -> str:
    """A stored note or reason in the reader's language: a system note is translated; what a person
    wrote matches no message and is shown as written."""
    return _(text) if text else ""
