"""Settings read from environment variables, one class per environment.

Production fails fast at start-up when a required setting is missing or weak.
"""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message says which and how to fix it."""


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return default if raw in (None, "") else int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: str) -> tuple[str, ...]:
    """A comma-separated setting, e.g. LANGUAGES=en,es,ca."""
    return tuple(item.strip() for item in os.environ.get(name, default).split(",") if item.strip())


def database_url(raw: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _dev_secret_key() -> str:
    """A development secret generated once and kept under instance/, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    ENV_NAME = "base"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'pb.sqlite3'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # Public pages for people not signed in are kept rendered this long (app/core/pagecache.py); 0: off.
    PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 30)
    PAGE_CACHE_MAX_PAGES = env_int("PAGE_CACHE_MAX_PAGES", 500)
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"

    CITY_NAME = os.environ.get("CITY_NAME", "Riverside")
    CITY_TIMEZONE = os.environ.get("CITY_TIMEZONE", "Europe/London")
    CITY_CURRENCY = os.environ.get("CITY_CURRENCY", "EUR")
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "en")
    BABEL_DEFAULT_TIMEZONE = CITY_TIMEZONE
    # Interface languages, the default first; each needs a catalogue in app/translations (README).
    LANGUAGES = tuple(
        code.strip() for code in os.environ.get("LANGUAGES", "en,es").split(",") if code.strip()
    )
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent / "translations")
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000")

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or ("smtp" if os.environ.get("MAIL_SERVER") else "log")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Participatory budget <no-reply@localhost>")

    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  # nosec B105  # an algorithm name, not a password
    EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 3600
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    HSTS = env_bool("HSTS", False)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: a slow phone form must not expire
    # Keys ballots and census/code hashes (app/voting/keys.py); unset: derived from SECRET_KEY.
    BALLOT_SECRET = os.environ.get("BALLOT_SECRET") or None

    @classmethod
    def init(cls) -> None:
        """Check and complete the settings; called by the app factory."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    @classmethod
    def init(cls) -> None:
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _dev_secret_key()


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS = env_bool("HSTS", True)
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def init(cls) -> None:
        if not cls.SECRET_KEY or len(cls.SECRET_KEY) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random string of at least 32 characters in production, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        if not os.environ.get("DATABASE_URL"):
            raise ConfigError("DATABASE_URL must be set in production, e.g. postgresql://user@host/db")


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-tests"  # noqa: S105  # nosec B105  # tests only
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None  # the page cache's version stays in the test's process
    MAIL_BACKEND = "memory"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105  # nosec B105  # cheap for tests, the real algorithm
    PUBLIC_URL = "http://localhost"
    SERVER_NAME = "localhost"


CONFIGS = {c.ENV_NAME: c for c in (DevelopmentConfig, ProductionConfig, TestConfig)}


def config_from_env() -> type[Config]:
    name = os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}; got {name!r}")
    return CONFIGS[name]
