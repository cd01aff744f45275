"""Reader for Pabulib's ``.pb`` format (see RULES.md §1); the writer lives in ``pb_writer``.

Tolerated, like pabutools: a UTF-8 BOM, LF/CRLF/CR line ends, empty lines, whitespace around cells,
``;``-separated CSV with ``"`` quoting, case-insensitive section titles, column names and META keys
(stored lowercased), the literal ``None`` for a missing cell, and a decimal comma in ``cost``/``budget``.
Anything else that is wrong raises :class:`PbFormatError` naming the 1-based line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from os import PathLike

from app.tally.model import VOTE_TYPES, Election, Project
from app.tally.numbers import Number, parse_number
from app.tally.pb_votes import PbFormatError, parse_votes
from app.tally.pb_writer import dumps_pb, write_pb
from app.tally.runtime import paused_gc

__all__ = ["PbFormatError", "dumps_pb", "parse_pb", "read_pb", "write_pb"]

SECTIONS = ("meta", "projects", "votes")
Row = tuple[int, list[str]]


def read_pb(path: str | PathLike[str]) -> Election:
    """Read a ``.pb`` file (UTF-8, optional BOM) into an :class:`Election`."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PbFormatError(line, "the file is not valid UTF-8") from None
    with paused_gc():
        return parse_pb(text)


def parse_pb(text: str) -> Election:
    """Parse the text of a ``.pb`` file; raises :class:`PbFormatError` with a line number on errors."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta_rows, project_rows, votes_at = _split_sections(lines)
    meta, meta_lines = _parse_meta(meta_rows)
    budget, vote_type = _budget_and_type(meta, meta_lines, meta_rows[0][0])
    projects, columns = _parse_projects(project_rows)
    _check_count(meta, meta_lines, "num_projects", len(projects))
    votes = parse_votes(lines, votes_at, projects, vote_type)
    _check_count(meta, meta_lines, "num_votes", len(votes.voter_ids))
    election = Election(
        budget=budget,
        vote_type=vote_type,
        projects=projects,
        ballots=votes.ballots,
        multiplicity=votes.multiplicity,
        voter_ids=votes.voter_ids,
        voter_ballot=votes.voter_ballot,
        meta=meta,
        voter_columns=votes.extra_columns,
        voter_extra=votes.extra,
        project_columns=columns,
    )
    election._masks = votes.masks
    return election


def _records(lines: list[str], start: int, stop: int) -> Iterator[Row]:
    """Non-empty CSV records of lines[start:stop] as (1-based line number, stripped cells)."""
    for index in range(start, stop):
        line = lines[index]
        if line.strip():
            cells = next(csv.reader([line], delimiter=";"))
            yield index + 1, [cell.strip() for cell in cells]


def _title(cells: list[str]) -> str | None:
    name = cells[0].lower() if cells else ""
    return name if name in SECTIONS and not any(cells[1:]) else None


def _split_sections(lines: list[str]) -> tuple[list[Row], list[Row], int]:
    """Rows (with their header first) of META and PROJECTS, and the index of the VOTES title line."""
    found: dict[str, list[Row]] = {}
    current: list[Row] | None = None
    for lineno, cells in _records(lines, 0, len(lines)):
        name = _title(cells)
        if name is None:
            if current is None:
                raise PbFormatError(lineno, "expected the section title META")
            current.append((lineno, cells))
            continue
        expected = SECTIONS[len(found)] if len(found) < len(SECTIONS) else None
        if name in found or name != expected:
            order = "expected META, PROJECTS, VOTES"
            raise PbFormatError(lineno, f"section {name.upper()} out of order ({order})")
        if name == "votes":
            return _with_header(found, "meta", lineno), _with_header(found, "projects", lineno), lineno - 1
        current = found[name] = []
    missing = next(s for s in SECTIONS if s not in found).upper()
    raise PbFormatError(len(lines), f"missing section {missing}")


def _with_header(found: dict[str, list[Row]], name: str, lineno: int) -> list[Row]:
    rows = found[name]
    if not rows:
        raise PbFormatError(lineno, f"section {name.upper()} has no header line")
    return rows


def _parse_meta(rows: list[Row]) -> tuple[dict[str, str], dict[str, int]]:
    lineno, header = rows[0]
    if [cell.lower() for cell in header[:2]] != ["key", "value"] or any(header[2:]):
        raise PbFormatError(lineno, "the META header must be 'key;value'")
    meta: dict[str, str] = {}
    where: dict[str, int] = {}
    for lineno, cells in rows[1:]:
        if len(cells) < 2 or any(cells[2:]) or not cells[0]:
            raise PbFormatError(lineno, "a META row must be 'key;value'")
        key = cells[0].lower()
        if key in meta:
            raise PbFormatError(lineno, f"META key {key!r} is repeated (first on line {where[key]})")
        meta[key], where[key] = cells[1], lineno
    return meta, where


def _budget_and_type(meta: dict[str, str], where: dict[str, int], header_line: int) -> tuple[Number, str]:
    for key in ("budget", "vote_type"):
        if not meta.get(key):
            raise PbFormatError(header_line, f"META has no {key}")
    try:
        budget = parse_number(meta["budget"], comma_decimal=True)
    except ValueError:
        raise PbFormatError(where["budget"], f"budget is not a number: {meta['budget']!r}") from None
    if budget < 0:
        raise PbFormatError(where["budget"], "budget is negative")
    vote_type = meta["vote_type"].lower()
    if vote_type not in VOTE_TYPES:
        raise PbFormatError(where["vote_type"], f"unknown vote_type {meta['vote_type']!r}")
    return budget, vote_type


def _check_count(meta: dict[str, str], where: dict[str, int], key: str, actual: int) -> None:
    if key not in meta:
        return
    if meta[key].isdigit() and int(meta[key]) == actual:
        return
    raise PbFormatError(where[key], f"META {key} is {meta[key]!r} but the file has {actual}")


def _parse_projects(rows: list[Row]) -> tuple[dict[str, Project], tuple[str, ...]]:
    lineno, header = rows[0]
    columns = tuple(cell.lower() for cell in header)
    if not columns or columns[0] != "project_id" or "cost" not in columns:
        raise PbFormatError(lineno, "the PROJECTS header must start with project_id and have a cost column")
    projects: dict[str, Project] = {}
    for lineno, cells in rows[1:]:
        project = _project(lineno, cells, columns)
        if project.id in projects:
            raise PbFormatError(lineno, f"duplicate project id {project.id!r}")
        projects[project.id] = project
    return projects, columns


def _project(lineno: int, cells: list[str], columns: tuple[str, ...]) -> Project:
    if len(cells) < len(columns) or any(cells[len(columns) :]):
        raise PbFormatError(lineno, f"expected {len(columns)} cells, found {len(cells)}")
    values = {col: cell for col, cell in zip(columns, cells, strict=False) if cell.lower() != "none"}
    pid = values.pop("project_id", "")
    if not pid:
        raise PbFormatError(lineno, "empty project_id")
    raw_cost = values.pop("cost", "")
    try:
        cost = parse_number(raw_cost, comma_decimal=True)
    except ValueError:
        raise PbFormatError(lineno, f"cost of project {pid!r} is not a number: {raw_cost!r}") from None
    if cost < 0:
        raise PbFormatError(lineno, f"cost of project {pid!r} is negative")
    return Project(pid, cost, values.pop("name", ""), values)
