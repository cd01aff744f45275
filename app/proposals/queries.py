"""Reading proposals: the public list with filters, search and sorts, and a person's own proposals."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.processes.models import Process
from app.proposals.models import Proposal, ProposalStatus, Visibility
from app.proposals.rules import LISTED_STATUSES, PUBLIC_STATUSES

SORTS = ("newest", "supported", "random")
# A prime above any id we will see; (id * a + b) mod P is then a different order for every seed.
RANDOM_PRIME = 2_147_483_647


@dataclass(frozen=True)
class Filters:
    q: str | None = None
    district_id: int | None = None
    category_id: int | None = None
    status: ProposalStatus | None = None
    sort: str = "newest"


def with_list_loads(stmt: Select) -> Select:
    """Everything a proposal card shows, in a fixed number of queries whatever the list's length."""
    return stmt.options(selectinload(Proposal.photos), selectinload(Proposal.project))


def random_order(seed: int) -> sa.ColumnElement:
    """A shuffled but stable order for one visitor: (id * a + b) mod P, with a and b from their seed.

    Portable (integer arithmetic on SQLite and PostgreSQL); the id is cast to BIGINT so that the
    product cannot overflow a 32-bit integer. Ties cannot happen below P; ties above it go by id.
    """
    a = 1 + seed % (RANDOM_PRIME - 1)
    b = (seed // RANDOM_PRIME) % RANDOM_PRIME
    return (sa.cast(Proposal.id, sa.BigInteger) * a + b) % RANDOM_PRIME


def public_list(process: Process, filters: Filters, seed: int = 0) -> Select:
    """A process's public proposals (not drafts, not hidden) matching `filters`.

    Without a status filter, withdrawn and merged proposals are left out. Search looks for the words
    as typed in the title and summary, case-insensitively (% and _ are taken literally).
    Sorts: newest published first; most supported (then newest); random (stable per seed). Ties by id.
    """
    stmt = select(Proposal).where(
        Proposal.process_id == process.id, Proposal.visibility == Visibility.VISIBLE
    )
    if filters.status in PUBLIC_STATUSES:
        stmt = stmt.where(Proposal.status == filters.status)
    else:
        stmt = stmt.where(Proposal.status.in_(LISTED_STATUSES))
    if filters.district_id:
        stmt = stmt.where(Proposal.district_id == filters.district_id)
    if filters.category_id:
        stmt = stmt.where(Proposal.category_id == filters.category_id)
    if filters.q:
        stmt = stmt.where(
            or_(
                Proposal.title.icontains(filters.q, autoescape=True),
                Proposal.summary.icontains(filters.q, autoescape=True),
            )
        )
    return with_list_loads(stmt.order_by(*_order(filters.sort, seed)))


def _order(sort: str, seed: int) -> list:
    newest = [Proposal.published_at.desc(), Proposal.id.desc()]
    if sort == "supported":
        return [Proposal.supports_count.desc(), *newest]
    if sort == "random":
        return [random_order(seed), Proposal.id]
    return newest


def authored_by(user: User) -> Select:
    """Everything `user` proposed, drafts and hidden ones included, latest change first."""
    return with_list_loads(
        select(Proposal)
        .where(Proposal.author_id == user.id)
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
        .options(selectinload(Proposal.process))
    )
