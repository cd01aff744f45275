"""The VOTES section of a ``.pb`` file: the one part that must be fast (60,000+ rows).

Rows are parsed by the C ``csv`` reader in one go; each *distinct* vote text is then parsed and
validated once, and voters point at their distinct ballot. Slow per-row work (stripping, skipping empty
lines) only happens when a quick scan of the section says it is needed.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import itemgetter, methodcaller

from app.tally.model import Ballot, Project
from app.tally.numbers import Number, parse_number

_SECTIONS = ("meta", "projects", "votes")
_BALLOT_COLUMNS = ("voter_id", "vote", "points")
_SPLIT_CELLS = methodcaller("split", ";")
_BALLOT = partial(tuple.__new__, Ballot)  # a Ballot from (ids, points) without a Python call
# A cell may need trimming only where a space touches a separator, or anywhere there is a tab. Plain
# substring tests (memchr-fast) beat one regex alternation over a multi-megabyte section by ~50x.
_NEEDS_STRIP = ("\t", " ;", " ,", " \n", "; ", ", ", "\n ")


class PbFormatError(ValueError):
    """A ``.pb`` file that cannot be read; ``line`` is the 1-based line number (or None)."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Votes:
    voter_ids: list[str]
    voter_ballot: list[int]
    ballots: list[Ballot]
    multiplicity: list[int]
    extra_columns: tuple[str, ...]
    extra: list[tuple[str, ...]] | None
    masks: list[int] | None = None  # per distinct ballot, bit k = the k-th project (fast path only)


def parse_votes(lines: list[str], title_at: int, projects: Mapping[str, Project], vote_type: str) -> Votes:
    """Parse the VOTES section whose title is ``lines[title_at]``."""
    start = title_at + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines):
        raise PbFormatError(title_at + 1, "section VOTES has no header line")
    header = tuple(cell.strip().lower() for cell in next(csv.reader([lines[start]], delimiter=";")))
    _check_header(start + 1, header, vote_type)
    body = lines[start + 1 :]
    while body and not body[-1].strip():
        body.pop()
    rows, linenos = _rows(body, start + 2, len(header))
    ids = _voter_ids(rows, linenos, start + 2)
    keys = _vote_keys(rows, header)
    ballots, voter_ballot, multiplicity, masks = _ballots(keys, linenos, start + 2, projects, vote_type)
    extra_at = [k for k, col in enumerate(header) if col not in _BALLOT_COLUMNS]
    extra = _columns(rows, extra_at) if extra_at else None
    columns = tuple(header[k] for k in extra_at)
    return Votes(ids, voter_ballot, ballots, multiplicity, columns, extra, masks)


def _check_header(lineno: int, header: tuple[str, ...], vote_type: str) -> None:
    if not header or header[0] != "voter_id" or "vote" not in header:
        raise PbFormatError(lineno, "the VOTES header must start with voter_id and have a vote column")
    if vote_type in ("cumulative", "scoring") and "points" not in header:
        raise PbFormatError(lineno, f"{vote_type} votes need a points column")
    if len(set(header)) != len(header):
        raise PbFormatError(lineno, "the VOTES header repeats a column name")


def _rows(body: list[str], first: int, width: int) -> tuple[list[list[str]], list[int] | None]:
    """CSV rows of the section; line numbers are only listed when some lines had to be skipped."""
    joined = "\n".join(body)
    # Without quotes a row is its line split at ";" (the csv reader's result, ~25% faster).
    rows = list(csv.reader(body, delimiter=";")) if '"' in joined else list(map(_SPLIT_CELLS, body))
    clean = set(map(len, rows)) <= {width} and not any(pair in joined for pair in _NEEDS_STRIP)
    if clean and not joined[:1].isspace() and not joined[-1:].isspace():
        return rows, None
    kept: list[list[str]] = []
    linenos: list[int] = []
    for offset, row in enumerate(rows):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        _check_row(first + offset, cells, width)
        kept.append(cells[:width])
        linenos.append(first + offset)
    return kept, linenos


def _check_row(lineno: int, cells: list[str], width: int) -> None:
    if cells[0].lower() in _SECTIONS and not any(cells[1:]):
        raise PbFormatError(lineno, f"section {cells[0].upper()} out of order (VOTES must be last)")
    if len(cells) < width or any(cells[width:]):
        raise PbFormatError(lineno, f"expected {width} cells, found {len(cells)}")


def _line(linenos: list[int] | None, first: int, index: int) -> int:
    return first + index if linenos is None else linenos[index]


def _voter_ids(rows: list[list[str]], linenos: list[int] | None, first: int) -> list[str]:
    ids = list(map(itemgetter(0), rows))
    if len(set(ids)) == len(ids) and "" not in ids:
        return ids
    seen: set[str] = set()
    for index, vid in enumerate(ids):
        if not vid or vid in seen:
            what = "empty voter_id" if not vid else f"duplicate voter_id {vid!r}"
            raise PbFormatError(_line(linenos, first, index), what)
        seen.add(vid)
    raise AssertionError("unreachable")


def _vote_keys(rows: list[list[str]], header: tuple[str, ...]) -> list[str] | list[tuple[str, str]]:
    votes = list(map(itemgetter(header.index("vote")), rows))
    if "points" not in header:
        return votes
    return list(zip(votes, map(itemgetter(header.index("points")), rows), strict=True))


def _ballots(
    keys: list, linenos: list[int] | None, first: int, projects: Mapping[str, Project], vote_type: str
) -> tuple[list[Ballot], list[int], list[int], list[int] | None]:
    """Distinct ballots, each voter's ballot index, how many voters cast each ballot, and (fast path
    only) each distinct ballot's project mask."""
    counts = Counter(keys)
    distinct = list(counts)
    plain = None if vote_type in ("cumulative", "scoring") else _plain_ballots(distinct, projects)
    ballots, masks = plain if plain is not None else (None, None)
    if ballots is None:
        parse = _parse_points if vote_type in ("cumulative", "scoring") else _parse_ids
        ballots = []
        for key in distinct:
            try:
                ballots.append(parse(key, projects))
            except ValueError as exc:
                raise PbFormatError(_line(linenos, first, keys.index(key)), str(exc)) from None
    index = {key: k for k, key in enumerate(distinct)}
    return ballots, list(map(index.__getitem__, keys)), list(counts.values()), masks


def _plain_ballots(
    texts: list[str], projects: Mapping[str, Project]
) -> tuple[list[Ballot], list[int]] | None:
    """Fast path for id-list votes in bulk: the ballots and their project masks (bit k = the k-th
    project); None when any vote needs the careful per-vote parser (an unknown or empty id, or an id
    written twice: then the mask has fewer bits than the vote has ids)."""
    splits = list(map(methodcaller("split", ","), texts))
    bit = {pid: 1 << k for k, pid in enumerate(projects)}
    try:
        masks = list(map(sum, map(partial(map, bit.__getitem__), splits)))
    except KeyError:
        return None
    if list(map(int.bit_count, masks)) != list(map(len, splits)):
        return None
    return list(map(_BALLOT, zip(map(tuple, splits), repeat(None)))), masks


def _split_ids(text: str, projects: Mapping[str, Project]) -> tuple[str, ...]:
    if not text or text.lower() == "none":
        return ()
    items = text.split(",")
    if " " in text or "\t" in text:
        items = [item.strip() for item in items]
    if "" in items:
        items = [item for item in items if item]
    ids = tuple(items)
    distinct = set(ids)
    if len(distinct) != len(ids):
        raise ValueError(f"vote {text!r} lists a project twice")
    if not projects.keys() >= distinct:
        unknown = next(pid for pid in ids if pid not in projects)
        raise ValueError(f"unknown project id {unknown!r} in vote")
    return ids


def _parse_ids(text: str, projects: Mapping[str, Project]) -> Ballot:
    return Ballot(_split_ids(text, projects))


def _parse_points(key: tuple[str, str], projects: Mapping[str, Project]) -> Ballot:
    text, raw = key
    ids = _split_ids(text, projects)
    cells = [] if not raw or raw.lower() == "none" else [cell.strip() for cell in raw.split(",")]
    if len(cells) != len(ids):
        raise ValueError(f"vote lists {len(ids)} projects but points has {len(cells)} values")
    try:
        points: tuple[Number, ...] = tuple(parse_number(cell) for cell in cells)
    except ValueError:
        raise ValueError(f"points {raw!r} are not all numbers") from None
    return Ballot(ids, points)


def _columns(rows: list[list[str]], at: list[int]) -> list[tuple[str, ...]]:
    if len(at) == 1:
        return list(zip(map(itemgetter(at[0]), rows)))
    return list(map(itemgetter(*at), rows))
