"""Ballots, census lists, voter codes and paper-ballot entry.

Secrecy: a ballot is stored under a pseudonymous `voter_key`, a keyed hash (HMAC with the server's
ballot secret, see keys.py) of the voter's identity within the process. No ballot table holds a user
id, so a database dump alone does not tell who voted for what. Ballot times are kept to the hour,
so that they cannot be matched to a person's sign-in time either.
"""

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import str_enum, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User


class Channel(enum.StrEnum):
    """How the voter proved who they are."""

    ACCOUNT = "account"  # a verified account, online
    CENSUS = "census"  # identity number and birth date or postcode, on the census list
    CODE = "code"  # a single-use voter code (kiosks, people without e-mail)
    PAPER = "paper"  # a paper ballot typed in twice by officers
    IMPORT = "import"  # read from a Pabulib file by `flask pb import` (an election held elsewhere)


def this_hour() -> datetime:
    """Now, rounded down to the hour: ballots keep no finer time (see the module docstring)."""
    return utcnow().replace(minute=0, second=0, microsecond=0)


class Ballot(db.Model):
    """One voter's ballot in one district of a process. Changing it replaces its choices and receipt."""

    __tablename__ = "ballots"
    __table_args__ = (sa.UniqueConstraint("process_id", "district_id", "voter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint's index (process, district, key) serves lookups by process too.
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"))
    voter_key: Mapped[str] = mapped_column(sa.String(64))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    # Shown to the voter and published as the ballot's voter_id in the anonymised ballot file.
    receipt: Mapped[str] = mapped_column(sa.String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=this_hour)
    updated_at: Mapped[datetime] = mapped_column(default=this_hour)

    choices: Mapped[list["BallotChoice"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", passive_deletes=True
    )

    def __str__(self) -> str:
        return f"ballot {self.receipt}"

    @property
    def points(self) -> dict[int, int]:
        return {c.project_id: c.points for c in self.choices}


class BallotChoice(db.Model):
    __tablename__ = "ballot_choices"
    __table_args__ = (sa.CheckConstraint("points > 0", name="points_positive"),)

    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    points: Mapped[int] = mapped_column(default=1)

    ballot: Mapped[Ballot] = relationship(back_populates="choices")


class BallotDraft(db.Model):
    """A ballot being filled in, not yet cast, under a random token that the person's address bar
    and session carry. It names nobody, and keeps choices out of addresses (and so out of web
    server logs). Deleted once cast, or after drafts.DRAFT_DAYS days."""

    __tablename__ = "ballot_drafts"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id", ondelete="CASCADE"))
    choices: Mapped[dict[str, int]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=this_hour, index=True)


class ProofKind(enum.StrEnum):
    BIRTH_DATE = "birth_date"
    POSTCODE = "postcode"


class CensusEntry(db.Model):
    """A person on the process's census list. Only keyed, salted hashes are kept: the identity number
    as a lookup hash, the birth date or postcode as a salted hash. One entry unlocks one voter."""

    __tablename__ = "census_entries"
    __table_args__ = (
        sa.UniqueConstraint("process_id", "id_hash"),
        sa.Index("ix_census_entries_claimed", "process_id", "claimed_by_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    id_hash: Mapped[str] = mapped_column(sa.String(64))
    salt: Mapped[str] = mapped_column(sa.String(32))
    proof_kind: Mapped[ProofKind] = mapped_column(str_enum(ProofKind))
    proof_hash: Mapped[str] = mapped_column(sa.String(64))
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"))
    # The pseudonymous key of whoever first proved this entry (an account, or the entry itself).
    claimed_by_key: Mapped[str | None] = mapped_column(sa.String(64))
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __str__(self) -> str:
        return f"census entry {self.id}"


class VoterCode(db.Model):
    """A single-use code that lets one person vote without an account. Only its keyed hash is kept."""

    __tablename__ = "voter_codes"
    __table_args__ = (sa.Index("ix_voter_codes_batch", "process_id", "batch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    batch: Mapped[int]
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    def __str__(self) -> str:
        return f"voter code {self.id}"


class SheetStatus(enum.StrEnum):
    WAITING = "waiting"  # entered once; a second officer must enter it again
    COUNTED = "counted"  # both entries agreed: the ballot is counted
    CONFLICT = "conflict"  # the entries differed and were discarded: enter it twice again
    REFUSED = "refused"  # the entries agreed but the ballot cannot count (see `note`)


class PaperSheet(db.Model):
    """A numbered paper ballot, as it goes through double entry."""

    __tablename__ = "paper_sheets"
    __table_args__ = (sa.UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[SheetStatus] = mapped_column(str_enum(SheetStatus), default=SheetStatus.WAITING)
    note: Mapped[str] = mapped_column(sa.String(40), default="")  # why it was refused (a problem kind)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    entries: Mapped[list["PaperEntry"]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", order_by="PaperEntry.id"
    )

    def __str__(self) -> str:
        return f"paper sheet {self.number}"


class PaperEntry(db.Model):
    """One officer's typing of a paper sheet; deleted once the sheet is counted or found in conflict."""

    __tablename__ = "paper_entries"
    __table_args__ = (sa.UniqueConstraint("sheet_id", "entered_by_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("paper_sheets.id", ondelete="CASCADE"))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id", ondelete="RESTRICT"))
    voter_key: Mapped[str] = mapped_column(sa.String(64))
    choices: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sheet: Mapped[PaperSheet] = relationship(back_populates="entries")
    entered_by: Mapped["User | None"] = relationship()
