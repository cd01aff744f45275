"""The election data model shared by the .pb reader/writer and the rules.

An :class:`Election` keeps every voter row (id, ballot, extra columns) so a published file can be
searched by receipt id, but the rules only ever see the *multiprofile*: each distinct written ballot
once, with its multiplicity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import NamedTuple

from app.tally.numbers import Number, normalise

VOTE_TYPES = ("approval", "cumulative", "scoring", "ordinal", "choose-1")
ORDINAL_SCHEMES = ("max_length", "ballot_length")


@dataclass(frozen=True, eq=True)
class Project:
    """A project on the ballot. ``cost`` is in currency units; ``meta`` keeps every other column as text."""

    id: str
    cost: Number
    name: str = ""
    meta: Mapping[str, str] = field(default_factory=dict, hash=False, compare=True)


class Ballot(NamedTuple):
    """One written ballot: project ids in the order written, and for cumulative/scoring the points."""

    ids: tuple[str, ...]
    points: tuple[Number, ...] | None = None


@dataclass(eq=False)
class Election:
    """A participatory budgeting election (one Pabulib instance).

    ``ballots[i]`` was cast by ``multiplicity[i]`` voters; voter ``k`` (file order) has id
    ``voter_ids[k]`` and ballot ``ballots[voter_ballot[k]]``. ``voter_extra[k]`` holds the values of the
    extra VOTES columns named in ``voter_columns`` (verbatim text).
    """

    budget: Number
    vote_type: str
    projects: dict[str, Project]
    ballots: list[Ballot]
    multiplicity: list[int]
    voter_ids: list[str]
    voter_ballot: list[int]
    meta: dict[str, str] = field(default_factory=dict)
    voter_columns: tuple[str, ...] = ()
    voter_extra: list[tuple[str, ...]] | None = None
    project_columns: tuple[str, ...] = ()
    _tallies: dict[str, tuple[dict[str, Number], dict[str, int]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _masks: list[int] | None = field(default=None, init=False, repr=False)

    @classmethod
    def build(
        cls,
        budget: Number | float | str,
        projects: Iterable[Project] | Mapping[str, Number],
        votes: Iterable[Sequence[str] | Mapping[str, Number]],
        vote_type: str = "approval",
        meta: Mapping[str, str] | None = None,
    ) -> Election:
        """Build an election in code: ``votes`` are id lists (approval/ordinal) or ``{id: points}``.

        Voter ids are ``"1"``, ``"2"``, ...; identical ballots are grouped.
        """
        if isinstance(projects, Mapping):
            projects = [Project(pid, normalise(cost)) for pid, cost in projects.items()]
        plist = {p.id: p for p in projects}
        written = [_as_ballot(v) for v in votes]
        index: dict[Ballot, int] = {}
        voter_ballot = [index.setdefault(b, len(index)) for b in written]
        counts = Counter(voter_ballot)
        election = cls(
            budget=normalise(budget),
            vote_type=vote_type,
            projects=plist,
            ballots=list(index),
            multiplicity=[counts[i] for i in range(len(index))],
            voter_ids=[str(k + 1) for k in range(len(written))],
            voter_ballot=voter_ballot,
            meta=dict(meta or {}),
        )
        election.validate()
        return election

    def validate(self) -> None:
        """Raise ``ValueError`` for an unknown vote type, unknown or repeated ids, or bad points."""
        if self.vote_type not in VOTE_TYPES:
            raise ValueError(f"unknown vote_type {self.vote_type!r}; expected one of {', '.join(VOTE_TYPES)}")
        for ballot in self.ballots:
            if len(set(ballot.ids)) != len(ballot.ids):
                raise ValueError(f"ballot {ballot.ids} lists a project twice")
            unknown = [pid for pid in ballot.ids if pid not in self.projects]
            if unknown:
                raise ValueError(f"ballot mentions unknown project id {unknown[0]!r}")
            if ballot.points is not None and len(ballot.points) != len(ballot.ids):
                raise ValueError(f"ballot {ballot.ids} needs one points value per project id")
            if (ballot.points is not None) != self.uses_points:
                need = "need" if self.uses_points else "take no"
                raise ValueError(f"{self.vote_type} ballots {need} points")

    @property
    def uses_points(self) -> bool:
        return self.vote_type in ("cumulative", "scoring")

    @property
    def num_voters(self) -> int:
        """n: every voter counts, including those who cast an empty ballot."""
        return len(self.voter_ids)

    @cached_property
    def _voter_index(self) -> dict[str, int]:
        return {vid: k for k, vid in enumerate(self.voter_ids)}

    def ballot_of(self, voter_id: str) -> Ballot | None:
        """The ballot cast by ``voter_id`` (e.g. a receipt id in a published file), or ``None``."""
        k = self._voter_index.get(voter_id)
        return None if k is None else self.ballots[self.voter_ballot[k]]

    def ordinal_length(self, scheme: str = "max_length") -> int | None:
        """L for positional points: META ``max_length`` (``scheme="max_length"``) or None (own length)."""
        if scheme not in ORDINAL_SCHEMES:
            expected = " or ".join(ORDINAL_SCHEMES)
            raise ValueError(f"unknown ordinal points scheme {scheme!r}; expected {expected}")
        if scheme == "ballot_length":
            return None
        declared = self.meta.get("max_length", "").strip()
        longest = max((len(b.ids) for b in self.ballots), default=0)
        return max(int(declared), longest) if declared.isdigit() else longest

    def points_of(self, ballot: Ballot, length: int | None = None) -> dict[str, Number]:
        """Points a ballot gives: approval 1; cumulative/scoring as written; ordinal L - position.

        Ordinal: the project ranked first gets L, the next L-1, ...; ``length`` is L, or None to use the
        ballot's own length (see :meth:`ordinal_length`).
        """
        if ballot.points is not None:
            return dict(zip(ballot.ids, ballot.points, strict=True))
        if self.vote_type != "ordinal":
            return dict.fromkeys(ballot.ids, 1)
        top = len(ballot.ids) if length is None else length
        return {pid: top - pos for pos, pid in enumerate(ballot.ids)}

    def approval_masks(self) -> list[int]:
        """Per distinct ballot, the projects it names as a bit mask (bit k = the k-th project of
        ``projects``); kept from parsing when the reader made them, else computed once."""
        if self._masks is None:
            bit = {pid: 1 << k for k, pid in enumerate(self.projects)}
            self._masks = [sum(map(bit.__getitem__, ballot.ids)) for ballot in self.ballots]
        return self._masks

    def tallies(self, ordinal_scheme: str = "max_length") -> tuple[dict[str, Number], dict[str, int]]:
        """(score, votes) per project: score = total points, votes = number of voters giving points > 0.

        Computed once per scheme and cached: treat an election as immutable once built.
        """
        if ordinal_scheme not in self._tallies:
            self._tallies[ordinal_scheme] = self._count(ordinal_scheme)
        score, votes = self._tallies[ordinal_scheme]
        return dict(score), dict(votes)

    def _count(self, ordinal_scheme: str) -> tuple[dict[str, Number], dict[str, int]]:
        if self.vote_type in ("approval", "choose-1"):
            ids = [ballot.ids for ballot in self.ballots]
            counts = Counter(chain.from_iterable(map(ids.__getitem__, self.voter_ballot)))
            votes = {pid: counts[pid] for pid in self.projects}
            return dict(votes), votes
        length = self.ordinal_length(ordinal_scheme) if self.vote_type == "ordinal" else None
        score: dict[str, Number] = dict.fromkeys(self.projects, 0)
        votes: dict[str, int] = dict.fromkeys(self.projects, 0)
        for ballot, mult in zip(self.ballots, self.multiplicity, strict=True):
            for pid, pts in self.points_of(ballot, length).items():
                score[pid] += pts * mult
                if pts > 0:
                    votes[pid] += mult
        return score, votes

    def profile(self, ordinal_scheme: str = "max_length") -> list[tuple[dict[str, Number], int]]:
        """The multiprofile: (points per project, number of voters), equivalent ballots merged."""
        length = self.ordinal_length(ordinal_scheme) if self.vote_type == "ordinal" else None
        merged: Counter[tuple[tuple[str, Number], ...]] = Counter()
        order = {pid: k for k, pid in enumerate(self.projects)}
        for ballot, mult in zip(self.ballots, self.multiplicity, strict=True):
            points = self.points_of(ballot, length)
            merged[tuple(sorted(points.items(), key=lambda item: order[item[0]]))] += mult
        return [(dict(key), mult) for key, mult in merged.items()]


def _as_ballot(vote: Sequence[str] | Mapping[str, Number]) -> Ballot:
    if isinstance(vote, Mapping):
        return Ballot(tuple(vote), tuple(normalise(v) for v in vote.values()))
    return Ballot(tuple(vote))
