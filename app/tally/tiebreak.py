"""Tie-breaking orders, shared by every rule.

A tie-break is a total order on projects; among tied projects the *smallest* key wins.

* ``"lexico"`` - plain string order of project ids (``"10" < "9"``); pabutools' default
  ``lexico_tie_breaking``.
* ``"cost-votes"`` - lowest cost first, then most votes (voters giving the project points > 0), then
  project id as a string; the order recommended by equalshares.net and used by Pabulib's checker
  (which reports a tie that survives cost and votes as an error; we fall back on the id).
* ``"file-order"`` - the order in which projects are listed (the .pb file or the caller's list); with
  a stable sort this is how Pabulib's checker breaks ties between equal scores in greedy rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.tally.model import Project

TIE_BREAKS = ("lexico", "cost-votes", "file-order")
DEFAULT_GREEDY = "file-order"
DEFAULT_MES = "cost-votes"

TieKey = Callable[[str], Any]


def tie_key(name: str, projects: Mapping[str, Project], votes: Mapping[str, int]) -> TieKey:
    """Key function for ``name``: ``sorted(ids, key=tie_key(...))[0]`` is the tie winner."""
    if name == "lexico":
        return str
    if name == "cost-votes":
        return lambda pid: (projects[pid].cost, -votes.get(pid, 0), pid)
    if name == "file-order":
        position = {pid: k for k, pid in enumerate(projects)}
        return position.__getitem__
    raise ValueError(f"unknown tie_break {name!r}; expected one of {', '.join(TIE_BREAKS)}")


def tie_rank(name: str, projects: Mapping[str, Project], votes: Mapping[str, int]) -> dict[str, int]:
    """Each project's rank in the tie-break order (0 = wins every tie)."""
    ordered = sorted(projects, key=tie_key(name, projects, votes))
    return {pid: k for k, pid in enumerate(ordered)}
