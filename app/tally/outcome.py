"""The result of a rule: winners in selection order, exact money figures and per-project explanations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from app.tally.numbers import Number, json_number


@dataclass
class ProjectResult:
    """One project's figures: ``score`` is total points (approval: votes), ``votes`` the supporters.

    ``round`` is the 1-based position in the selection order (None if not funded); ``explanation`` holds
    rule-specific figures and a one-sentence ``text`` for a results page.
    """

    id: str
    name: str
    cost: Number
    score: Number
    votes: int
    selected: bool = False
    round: int | None = None
    explanation: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What a rule decided. ``projects`` follow the election's project order."""

    rule: str
    options: dict[str, Any]
    budget: Number
    winners: list[str]
    projects: list[ProjectResult]
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def spent(self) -> Number:
        """Total cost of the winners, exactly."""
        costs = {p.id: p.cost for p in self.projects}
        return sum((costs[pid] for pid in self.winners), 0)

    def project(self, pid: str) -> ProjectResult:
        return next(p for p in self.projects if p.id == pid)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: exact numbers as ints or ``"a/b"`` strings; ``*_float`` keys for display."""
        return {
            "rule": self.rule,
            "options": to_json(self.options),
            "winners": list(self.winners),
            "spent": json_number(self.spent),
            "budget": json_number(self.budget),
            "spent_float": float(self.spent),
            "details": to_json(self.details),
            "projects": [to_json(vars(p)) for p in self.projects],
        }


def to_json(value: Any) -> Any:
    """Convert nested dicts/lists/tuples of exact numbers into JSON-serialisable values."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int | Fraction):
        return json_number(value)
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    raise TypeError(f"cannot convert {type(value).__name__} to JSON")


def exact_and_float(value: Number) -> dict[str, Any]:
    """An exact figure with a float companion for display: ``{"exact": "7/2", "float": 3.5}``."""
    return {"exact": json_number(value), "float": float(value)}
