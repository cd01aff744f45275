"""Pure participatory-budgeting rules and Pabulib's .pb format (no Flask, no database; numpy only speeds up
the MES completion, see ``mes_batch``).

Public API: :func:`tally_file`, :func:`run_rule`, :func:`read_pb` / :func:`parse_pb` /
:func:`write_pb` / :func:`dumps_pb`, :class:`Election`, :class:`Outcome`, and the rules
:func:`greedy`, :func:`mes`, :func:`mes_add1`.
"""

from app.tally.greedy import greedy
from app.tally.mes import mes, mes_add1
from app.tally.model import Ballot, Election, Project
from app.tally.outcome import Outcome, ProjectResult
from app.tally.pb import PbFormatError, dumps_pb, parse_pb, read_pb, write_pb
from app.tally.rules import RULES, rule_for_meta, run_rule, tally_file

__all__ = [
    "RULES",
    "Ballot",
    "Election",
    "Outcome",
    "PbFormatError",
    "Project",
    "ProjectResult",
    "dumps_pb",
    "greedy",
    "mes",
    "mes_add1",
    "parse_pb",
    "read_pb",
    "rule_for_meta",
    "run_rule",
    "tally_file",
    "write_pb",
]
