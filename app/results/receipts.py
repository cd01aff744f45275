"""Finding one's own ballot in a published ballot file, by receipt code."""

from dataclasses import dataclass

from app.results.models import ResultSnapshot
from app.tally import Election, parse_pb


@dataclass(frozen=True)
class Found:
    snapshot: ResultSnapshot
    project_titles: list[tuple[str, str, object]]  # (code, title, points)


_PARSED: dict[tuple[int, str], Election] = {}
_KEEP = 8


def _parsed(snapshot: ResultSnapshot) -> Election:
    """The parsed file, kept for the next lookups: a published file never changes (keyed by its hash)."""
    key = (snapshot.id, snapshot.pb_sha256)
    if key not in _PARSED:
        if len(_PARSED) >= _KEEP:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = parse_pb(snapshot.pb_text)
    return _PARSED[key]


def normalise_receipt(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return (
        "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))
        if len(cleaned) == 12
        else code.strip()
    )


def find_ballot(snapshots: list[ResultSnapshot], code: str) -> Found | None:
    """The ballot with voter id `code` in one of the published files, read from the file itself."""
    receipt = normalise_receipt(code)
    for snapshot in snapshots:
        election = _parsed(snapshot)
        ballot = election.ballot_of(receipt)
        if ballot is not None:
            titles = {f["code"]: f["title"] for f in snapshot.figures}
            points = ballot.points or (1,) * len(ballot.ids)
            chosen = [(pid, titles.get(pid, pid), pts) for pid, pts in zip(ballot.ids, points, strict=True)]
            return Found(snapshot, chosen)
    return None
