"""Exact numbers for the tally: parsing, normalising and JSON output.

Money (budget, costs) and points are kept as ``int`` when integral and as
``fractions.Fraction`` otherwise, so no rule ever compares floats.
"""

from __future__ import annotations

import re
from fractions import Fraction

Number = int | Fraction

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def normalise(value: Number | float | str) -> Number:
    """Return ``value`` as an ``int`` when integral, else as a ``Fraction``.

    Floats are converted through their decimal ``repr`` (``0.1`` -> ``1/10``), never bit-exactly.
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = repr(value)
    frac = Fraction(value)
    return frac.numerator if frac.denominator == 1 else frac


def parse_number(text: str, *, comma_decimal: bool = False) -> Number:
    """Parse a decimal such as ``12``, ``-3.5`` or ``1e3``; raise ``ValueError`` otherwise.

    ``comma_decimal`` accepts ``1656699,67`` (Pabulib tolerates a decimal comma in cost and budget).
    """
    cleaned = text.strip()
    if comma_decimal:
        cleaned = cleaned.replace(",", ".")
    if not _DECIMAL.fullmatch(cleaned):
        raise ValueError(f"not a number: {text!r}")
    return normalise(cleaned)


def is_decimal(value: Number) -> bool:
    """True when ``value`` has a finite decimal expansion (denominator 2^a 5^b)."""
    den = Fraction(value).denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den == 1


def decimal_text(value: Number) -> str:
    """Write an exact decimal: ``7`` -> ``"7"``, ``3/2`` -> ``"1.5"``; ``ValueError`` if not terminating."""
    value = normalise(value)
    if isinstance(value, int):
        return str(value)
    if not is_decimal(value):
        raise ValueError(f"{value} has no finite decimal expansion")
    digits = 0
    while (value * 10**digits).denominator != 1:
        digits += 1
    scaled = int(value * 10**digits)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def json_number(value: Number) -> int | str:
    """JSON form of an exact number: an ``int`` when integral, else the string ``"a/b"``."""
    value = normalise(value)
    return value if isinstance(value, int) else f"{value.numerator}/{value.denominator}"
