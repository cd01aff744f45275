"""Factory fixtures for proposals and comments. Each returns a committed, loaded object."""

from collections.abc import Callable
from contextlib import nullcontext

import pytest
from flask import has_app_context

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.processes.models import Process, Project
from app.proposals.models import (
    Comment,
    Follow,
    Proposal,
    ProposalPhoto,
    ProposalStatus,
    ProposalStatusChange,
    Support,
)


def _context(app):
    return nullcontext() if has_app_context() else app.app_context()


@pytest.fixture
def make_proposal(app, make_user) -> Callable[..., Proposal]:
    """A proposal in `status` (published by default) by `author` (a new resident unless given), in the
    process's first district, costing 5,000.00, followed by its author. `photos`: StoredImage list."""
    counter = iter(range(1, 10_000))

    def _make(
        process: Process,
        *,
        author: User | None = None,
        status: ProposalStatus = ProposalStatus.PUBLISHED,
        photos=(),
        **fields,
    ) -> Proposal:
        n = next(counter)
        author = author or make_user()
        with _context(app):
            now = utcnow()
            process = db.session.get(Process, process.id)
            values = {
                "title": f"Proposal {n}",
                "summary": f"Summary of proposal {n}",
                "description": f"What proposal {n} is about.",
                "estimated_cost_cents": 500_000,
                "district_id": process.budgets[0].district_id,
                **fields,
            }
            proposal = Proposal(process_id=process.id, author_id=author.id, status=status, **values)
            if status != ProposalStatus.DRAFT:
                proposal.published_at = fields.get("published_at", now)
                proposal.history = [
                    ProposalStatusChange(
                        from_status=ProposalStatus.DRAFT, to_status=status, actor_id=author.id
                    )
                ]
            proposal.photos = [ProposalPhoto(image_id=image.id, position=i) for i, image in enumerate(photos)]
            db.session.add(proposal)
            db.session.flush()
            db.session.add(Follow(user_id=author.id, proposal_id=proposal.id))
            db.session.commit()
            return db.session.get(Proposal, proposal.id)

    return _make


@pytest.fixture
def make_comment(app, make_user) -> Callable[..., Comment]:
    def _make(
        target: Proposal | Project, *, author: User | None = None, parent: Comment | None = None, **fields
    ):
        author = author or make_user()
        with _context(app):
            column = "proposal_id" if isinstance(target, Proposal) else "project_id"
            comment = Comment(
                author_id=author.id,
                parent_id=parent.id if parent else None,
                body=fields.pop("body", "A comment."),
                **{column: target.id},
                **fields,
            )
            db.session.add(comment)
            db.session.commit()
            return db.session.get(Comment, comment.id)

    return _make


@pytest.fixture
def add_supports(app, make_user) -> Callable[..., list[User]]:
    """`n` new residents support `proposal`; returns them."""

    def _add(proposal: Proposal, n: int = 1) -> list[User]:
        people = [make_user() for _ in range(n)]
        with _context(app):
            db.session.add_all(Support(proposal_id=proposal.id, user_id=u.id) for u in people)
            db.session.commit()
        return people

    return _add
