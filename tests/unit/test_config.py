import pytest

from app.config import ConfigError, ProductionConfig, database_url, env_bool


class _Prod(ProductionConfig):
    pass


def test_production_refuses_a_missing_secret(monkeypatch):
    monkeypatch.setattr(_Prod, "SECRET_KEY", None)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        _Prod.init()


def test_production_refuses_a_short_secret(monkeypatch):
    monkeypatch.setattr(_Prod, "SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        _Prod.init()


def test_production_requires_a_database_url(monkeypatch):
    monkeypatch.setattr(_Prod, "SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        _Prod.init()


def test_production_starts_with_both(monkeypatch):
    monkeypatch.setattr(_Prod, "SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/pb")
    _Prod.init()


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)])
def test_booleans_are_parsed_strictly(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_an_unknown_boolean_is_an_error(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ConfigError, match="FLAG"):
        env_bool("FLAG")


def test_postgres_urls_use_psycopg3():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
