"""Import every mapped class, so that the metadata is complete for Alembic and the tests."""

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.core.images import StoredImage
from app.core.outbox import OutboxMessage
from app.delivery.models import (
    DeliveryChange,
    DeliveryProject,
    DeliveryUpdate,
    DeliveryUpdatePhoto,
    GroundReport,
    HelpOffer,
    Milestone,
    Rating,
)
from app.notifications.models import Notification, NotificationSetting
from app.processes.models import Category, District, Process, ProcessDistrict, ProcessPhase, Project
from app.proposals.models import Comment, Flag, Follow, Proposal, ProposalPhoto, ProposalStatusChange, Support
from app.results.models import ResultSnapshot
from app.voting.models import (
    Ballot,
    BallotChoice,
    BallotDraft,
    CensusEntry,
    PaperEntry,
    PaperSheet,
    VoterCode,
)

__all__ = [
    "AuditEvent",
    "Ballot",
    "BallotChoice",
    "BallotDraft",
    "Category",
    "CensusEntry",
    "Comment",
    "DeliveryChange",
    "DeliveryProject",
    "DeliveryUpdate",
    "DeliveryUpdatePhoto",
    "District",
    "Flag",
    "Follow",
    "GroundReport",
    "HelpOffer",
    "Milestone",
    "Notification",
    "NotificationSetting",
    "OutboxMessage",
    "PaperEntry",
    "PaperSheet",
    "Process",
    "ProcessDistrict",
    "ProcessPhase",
    "Project",
    "Proposal",
    "ProposalPhoto",
    "ProposalStatusChange",
    "Rating",
    "ResultSnapshot",
    "Role",
    "StoredImage",
    "Support",
    "User",
    "VoterCode",
]
