"""Import every mapped class, so that the metadata is complete for Alembic and the tests."""

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.core.images import StoredImage
from app.processes.models import Category, District, Process, ProcessDistrict, ProcessPhase, Project

__all__ = [
    "AuditEvent",
    "Category",
    "District",
    "Process",
    "ProcessDistrict",
    "ProcessPhase",
    "Project",
    "Role",
    "StoredImage",
    "User",
]

from app.voting.models import (
    Ballot,
    BallotChoice,
    BallotDraft,
    CensusEntry,
    PaperEntry,
    PaperSheet,
    VoterCode,
)

__all__ += ["Ballot", "BallotChoice", "BallotDraft", "CensusEntry", "PaperEntry", "PaperSheet", "VoterCode"]
