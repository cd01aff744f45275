from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.db import UTCDateTime, utcnow


def test_aware_times_are_stored_as_naive_utc_and_read_back_aware():
    t = UTCDateTime()
    madrid = datetime(2027, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    stored = t.process_bind_param(madrid, None)
    assert stored == datetime(2027, 3, 1, 11, 0) and stored.tzinfo is None
    assert t.process_result_value(stored, None) == madrid


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2027, 1, 1), None)


def test_utcnow_is_aware():
    assert utcnow().tzinfo is UTC
