"""Choosing the language and time zone of a request."""

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LOGIN_MESSAGE = _l("Please sign in to continue.")


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
