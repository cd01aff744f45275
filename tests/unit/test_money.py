import pytest

from app.core.forms import parse_money


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12500", 1_250_000),
        ("12 500", 1_250_000),
        ("12,500", 1_250_000),
        ("12,500.50", 1_250_050),
        ("12500.5", 1_250_050),
        ("12,5", 1250),
        ("0", 0),
        ("€ 3,000", 300_000),
        ("1'000'000", 100_000_000),
    ],
)
def test_amounts_people_type(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["-5", "abc", "1.234", "12.5.0", "", "1e6", "5.-1"])
def test_what_is_not_an_amount(text):
    assert parse_money(text) is None
