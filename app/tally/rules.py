"""Front door: run a rule by name on an election or a ``.pb`` file.

Rules and their options (defaults in brackets):

* ``greedy``, ``greedy-no-skip``: ``tie_break`` ["file-order"], ``ordinal_scheme`` ["max_length"]
* ``greedy-threshold``: also ``threshold`` [META ``min_project_score_threshold``]
* ``mes``: ``utilities`` [cost for approval, points otherwise], ``tie_break`` ["cost-votes"],
  ``ordinal_scheme``
* ``mes-add1``: as ``mes`` plus ``stop_when_exhaustive`` [False], ``start`` ["floor"],
  ``greedy_fill`` [False], ``comparison`` [False]

Unknown rules, unknown options and badly typed values raise ``ValueError`` naming what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from typing import Any

from app.tally.greedy import greedy
from app.tally.mes import mes, mes_add1
from app.tally.model import Election
from app.tally.numbers import normalise
from app.tally.outcome import Outcome
from app.tally.pb import read_pb
from app.tally.runtime import paused_gc

_COMMON = {"tie_break": str, "ordinal_scheme": str}
_MES = {**_COMMON, "utilities": str}
OPTIONS: dict[str, dict[str, type]] = {
    "greedy": _COMMON,
    "greedy-no-skip": _COMMON,
    "greedy-threshold": {**_COMMON, "threshold": object},
    "mes": _MES,
    "mes-add1": {**_MES, "stop_when_exhaustive": bool, "start": str, "greedy_fill": bool, "comparison": bool},
}
RULES = tuple(OPTIONS)
PABULIB_RULES: dict[str, tuple[str, dict[str, Any]]] = {
    "greedy": ("greedy", {}),
    "greedy-threshold": ("greedy-threshold", {}),
    "greedy-no-skip": ("greedy-no-skip", {}),
    "equalshares": ("mes", {}),
    "equalshares/add1": ("mes-add1", {}),
    "equalshares/add1-comparison": ("mes-add1", {"comparison": True}),
}


def run_rule(election: Election, rule: str, *, explain: bool = True, **options: Any) -> Outcome:
    """Run ``rule`` (one of :data:`RULES`) with ``options`` on ``election``. ``explain=False`` skips the
    MES rules' per-project explanations (what a results page shows), which cost more than the winners."""
    clean = check_options(rule, options)
    runner: Callable[..., Outcome]
    if rule.startswith("greedy"):
        return greedy(election, rule=rule, **clean)
    runner = mes if rule == "mes" else mes_add1
    return runner(election, explain=explain, **clean)


def tally_file(
    path: str | PathLike[str], rule: str, *, explain: bool = True, **options: Any
) -> dict[str, Any]:
    """Read a ``.pb`` file and return the JSON-ready outcome of ``rule``:
    ``{"rule", "winners" (ids in selection order), "spent", "budget", "options", "details", "projects"}``
    (``explain=False``: the projects' explanations left empty, see :func:`run_rule`).
    """
    check_options(rule, options)
    with paused_gc():
        election = read_pb(path)
        return run_rule(election, rule, explain=explain, **options).to_dict()


def rule_for_meta(meta_rule: str) -> tuple[str, dict[str, Any]]:
    """Our rule and options for a Pabulib META ``rule`` value (``ValueError`` if we have none)."""
    try:
        rule, options = PABULIB_RULES[meta_rule.strip().lower()]
    except KeyError:
        raise ValueError(f"no rule here reproduces Pabulib's {meta_rule!r}") from None
    return rule, dict(options)


def check_options(rule: str, options: dict[str, Any]) -> dict[str, Any]:
    """Validate option names and types for ``rule``; returns them with numbers normalised."""
    if rule not in OPTIONS:
        raise ValueError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
    allowed = OPTIONS[rule]
    clean: dict[str, Any] = {}
    for name, value in options.items():
        if name not in allowed:
            raise ValueError(f"unknown option {name!r} for {rule}; allowed: {', '.join(sorted(allowed))}")
        expected = allowed[name]
        if expected is not object and not isinstance(value, expected):
            raise ValueError(f"option {name} must be a {expected.__name__}, not {value!r}")
        clean[name] = _threshold(value) if name == "threshold" else value
    return clean


def _threshold(value: Any) -> Any:
    if value is None:
        return None
    try:
        return normalise(value)
    except (TypeError, ValueError):
        raise ValueError(f"option threshold must be a number, not {value!r}") from None
