"""Times in the city's time zone: forms take local wall-clock times, the database keeps UTC."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def city_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["CITY_TIMEZONE"])


def from_city(naive: datetime | None) -> datetime | None:
    """An aware UTC time from a wall-clock time typed in the city's time zone."""
    if naive is None:
        return None
    return naive.replace(tzinfo=city_tz()).astimezone(UTC)


def to_city(moment: datetime | None) -> datetime | None:
    """The naive wall-clock time in the city for an aware time (what a datetime-local input shows)."""
    if moment is None:
        return None
    return moment.astimezone(city_tz()).replace(tzinfo=None)
