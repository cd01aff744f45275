"""Factory fixtures for processes, projects, images and queued e-mail. Each returns a committed, loaded
object."""

from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta
from io import BytesIO

import pytest
from flask import has_app_context
from PIL import Image

from app.core.images import StoredImage, store_image
from app.core.outbox import MAX_ATTEMPTS, MailStatus, OutboxMessage
from app.db import utcnow
from app.extensions import db
from app.processes.models import (
    BallotType,
    Category,
    District,
    Phase,
    Process,
    ProcessDistrict,
    ProcessPhase,
    Project,
)


def _context(app):
    return nullcontext() if has_app_context() else app.app_context()


def jpeg_bytes(size=(640, 480), color=(30, 120, 90), exif: bytes | None = None) -> bytes:
    out = BytesIO()
    image = Image.new("RGB", size, color)
    image.save(out, "JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


@pytest.fixture
def make_district(app) -> Callable[..., District]:
    counter = iter(range(1, 10_000))

    def _make(name: str | None = None, *, citywide: bool = False, **fields) -> District:
        n = next(counter)
        with _context(app):
            district = District(
                slug=fields.pop("slug", f"district-{n}"),
                name=name or f"District {n}",
                is_citywide=citywide,
                position=fields.pop("position", n),
                **fields,
            )
            db.session.add(district)
            db.session.commit()
            return db.session.get(District, district.id)

    return _make


@pytest.fixture
def make_category(app) -> Callable[..., Category]:
    counter = iter(range(1, 10_000))

    def _make(name: str | None = None, **fields) -> Category:
        n = next(counter)
        with _context(app):
            category = Category(
                slug=fields.pop("slug", f"category-{n}"),
                name=name or f"Category {n}",
                position=fields.pop("position", n),
                **fields,
            )
            db.session.add(category)
            db.session.commit()
            return db.session.get(Category, category.id)

    return _make


@pytest.fixture
def make_process(app, make_district) -> Callable[..., Process]:
    """A process in `phase` with one district (budget 100,000.00) unless `districts` says otherwise.

    The current phase's dates run from a day ago to a day ahead, so it is open now.
    """
    counter = iter(range(1, 10_000))

    def _make(
        phase: Phase = Phase.PROPOSALS,
        *,
        budgets: list[int] | None = None,
        ballot_type: BallotType = BallotType.APPROVAL,
        **fields,
    ) -> Process:
        n = next(counter)
        budgets = budgets or [10_000_000]
        districts = [make_district() for _ in budgets]
        with _context(app):
            now = utcnow()
            process = Process(
                slug=f"process-{n}", title=f"Budget {n}", phase=phase, ballot_type=ballot_type, **fields
            )
            process.budgets = [
                ProcessDistrict(district_id=d.id, budget_cents=b)
                for d, b in zip(districts, budgets, strict=True)
            ]
            if phase not in (Phase.DRAFT, Phase.CLOSED):
                process.phases = [
                    ProcessPhase(
                        phase=phase, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)
                    )
                ]
            db.session.add(process)
            db.session.commit()
            process = db.session.get(Process, process.id)
            _ = process.budgets, process.phases, process.categories  # loaded for use after the context
            return process

    return _make


@pytest.fixture
def make_project(app) -> Callable[..., Project]:
    counter = iter(range(1, 10_000))

    def _make(
        process: Process, *, cost_cents: int = 1_000_000, district_id: int | None = None, **fields
    ) -> Project:
        n = next(counter)
        with _context(app):
            process = db.session.get(Process, process.id)
            project = Project(
                process_id=process.id,
                district_id=district_id or process.budgets[0].district_id,
                code=fields.pop("code", f"P{n}"),
                title=fields.pop("title", f"Project {n}"),
                cost_cents=cost_cents,
                position=n,
                **fields,
            )
            db.session.add(project)
            db.session.commit()
            return db.session.get(Project, project.id)

    return _make


@pytest.fixture
def make_image(app) -> Callable[..., StoredImage]:
    def _make(**kwargs) -> StoredImage:
        with _context(app), app.test_request_context():
            image = store_image(BytesIO(jpeg_bytes(**kwargs)), uploader_id=None)
            db.session.commit()
            return db.session.get(StoredImage, image.id)

    return _make


@pytest.fixture
def make_outbox_message(app) -> Callable[..., OutboxMessage]:
    """A queued e-mail as the sender would leave it: `status="failed"` after MAX_ATTEMPTS tries with
    an error, else pending; `age` is how long ago it was queued (and first tried)."""
    counter = iter(range(1, 10_000))

    def _make(status: str = "pending", *, age: timedelta = timedelta(0), **fields) -> OutboxMessage:
        n, now = next(counter), utcnow()
        failed = MailStatus(status) == MailStatus.FAILED
        with _context(app):
            message = OutboxMessage(
                kind=fields.pop("kind", "ballot_receipt"),
                key=f"key-{n}",
                recipient=fields.pop("recipient", f"voter{n}@example.org"),
                payload=fields.pop("payload", {"name": f"Voter {n}", "title": "Riverside 2027"}),
                status=MailStatus(status),
                attempts=fields.pop("attempts", MAX_ATTEMPTS if failed else 0),
                last_error=fields.pop(
                    "last_error", "ConnectionRefusedError: [Errno 111] Connection refused" if failed else ""
                ),
                created_at=now - age,
                next_attempt_at=fields.pop("next_attempt_at", now - age),
                **fields,
            )
            db.session.add(message)
            db.session.commit()
            return db.session.get(OutboxMessage, message.id)

    return _make
