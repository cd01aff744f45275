"""The application factory. It only wires things together: no I/O, no database, no network.

Flask is imported inside the factory, not here: the pure packages (``app.tally``, the outcome rules
behind ``flask pb tally``) are imported without loading the web stack (~0.12 s).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Config, config_from_env

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: type[Config] | None = None) -> Flask:
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    config = config or config_from_env()
    config.init()
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(config)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    from app.core.inputs import register_id_converter

    for step in (
        register_logging,
        register_id_converter,
        register_extensions,
        register_blueprints,
        register_handlers,
        register_commands,
    ):
        step(app)
    return app


def register_logging(app: Flask) -> None:
    """Our own messages at INFO (in development the e-mails, links included) go to stderr."""
    app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))  # the "app" logger; Flask adds the handler


def register_extensions(app: Flask) -> None:
    from app import i18n, models  # noqa: F401  (models: complete metadata for migrations)
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.LOGIN_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def register_blueprints(app: Flask) -> None:
    from app import (
        admin,
        api,
        auth,
        core,
        delivery,
        notifications,
        officer,
        processes,
        proposals,
        results,
        voting,
    )

    for blueprint in (
        core.bp,
        auth.bp,
        admin.bp,
        processes.bp,
        processes.admin_bp,
        processes.districts_bp,
        processes.categories_bp,
        api.bp,
        officer.bp,
        notifications.bp,
        proposals.bp,
        proposals.officer_bp,
        voting.bp,
        voting.admin_bp,
        results.bp,
        results.admin_bp,
        delivery.bp,
        delivery.officer_bp,
    ):
        app.register_blueprint(blueprint)


def register_handlers(app: Flask) -> None:
    from app import templating
    from app.core.compress import register_compression
    from app.core.errors import register_error_handlers
    from app.core.headers import register_security_headers
    from app.core.inputs import register_input_checks
    from app.core.mail import register_mail
    from app.core.pagecache import register_page_cache
    from app.core.requestlog import register_request_logging
    from app.core.static_files import register_static_fingerprints

    register_error_handlers(app)
    register_security_headers(app)
    register_input_checks(app)
    register_request_logging(app)
    register_static_fingerprints(app)
    register_page_cache(app)
    register_mail(app)
    register_compression(app)  # registered last, so it runs first of the after_request hooks
    templating.register(app)


def register_commands(app: Flask) -> None:
    from app import cli

    cli.register(app)
