"""Writer for Pabulib's ``.pb`` format: deterministic, and readable by our reader and by pabutools.

Numbers are written exactly (integers as integers, other values as terminating decimals); newlines
inside cells become spaces; cells are trimmed and quoted only when needed (``;`` or ``"`` inside).
META ``num_projects``, ``num_votes``, ``budget`` and ``vote_type`` are rewritten from the data.
An empty ballot is written as an empty vote cell (approval, ordinal) or ``None`` (cumulative,
scoring), the forms pabutools 1.2.3 accepts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from os import PathLike

from app.tally.model import Ballot, Election
from app.tally.numbers import decimal_text

_DERIVED = ("num_projects", "num_votes", "budget", "vote_type")


def write_pb(election: Election, path: str | PathLike[str]) -> None:
    """Write ``election`` to ``path`` as UTF-8 with LF line ends."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(dumps_pb(election))


def dumps_pb(election: Election) -> str:
    """The ``.pb`` text of ``election``; raises ``ValueError`` for ids that cannot be written."""
    _check_ids(election)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows(_clean(row) for row in _meta_rows(election))
    writer.writerows(_clean(row) for row in _project_rows(election))
    writer.writerows(_clean(row) for row in _vote_rows(election))
    return out.getvalue()


def _clean(row: list[str]) -> list[str]:
    return [
        " ".join(cell.splitlines()).strip() if "\n" in cell or "\r" in cell else cell.strip() for cell in row
    ]


def _check_ids(election: Election) -> None:
    for pid in election.projects:
        if not pid.strip() or pid.strip().lower() == "none" or "," in pid or pid != pid.strip():
            raise ValueError(f"project id {pid!r} cannot be written to a .pb file")


def _meta_rows(election: Election) -> Iterator[list[str]]:
    meta = dict(election.meta)
    meta.update(
        num_projects=str(len(election.projects)),
        num_votes=str(election.num_voters),
        budget=decimal_text(election.budget),
        vote_type=election.vote_type,
    )
    yield ["META"]
    yield ["key", "value"]
    for key, value in meta.items():
        yield [key, value]


def _project_columns(election: Election) -> list[str]:
    columns = [c for c in election.project_columns if c not in ("project_id", "cost")]
    if not columns:
        if any(p.name for p in election.projects.values()):
            columns.append("name")
        for project in election.projects.values():
            columns.extend(key for key in project.meta if key not in columns)
    return ["project_id", "cost", *columns]


def _project_rows(election: Election) -> Iterator[list[str]]:
    columns = _project_columns(election)
    yield ["PROJECTS"]
    yield columns
    for p in election.projects.values():
        cells = {"project_id": p.id, "cost": decimal_text(p.cost), "name": p.name, **p.meta}
        yield [cells.get(col, "None") for col in columns]


def _vote_rows(election: Election) -> Iterator[list[str]]:
    points = election.uses_points
    texts = [_ballot_text(b, points) for b in election.ballots]
    yield ["VOTES"]
    yield ["voter_id", "vote", *(["points"] if points else []), *election.voter_columns]
    extra = election.voter_extra or [()] * election.num_voters
    for vid, index, more in zip(election.voter_ids, election.voter_ballot, extra, strict=True):
        yield [vid, *texts[index], *more]


def _ballot_text(ballot: Ballot, points: bool) -> list[str]:
    if not points:
        return [",".join(ballot.ids)]
    if not ballot.ids:
        return ["None", "None"]
    return [",".join(ballot.ids), ",".join(decimal_text(v) for v in ballot.points or ())]
