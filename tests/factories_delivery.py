"""Factory fixtures for delivery: funded projects' records, milestones, offers, reports and ratings.

Each returns a committed object with what the tests read already loaded.
"""

from collections.abc import Callable
from contextlib import nullcontext
from datetime import date

import pytest
from flask import has_app_context
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.delivery.models import (
    DeliveryChange,
    DeliveryProject,
    DeliveryStatus,
    GroundReport,
    HelpOffer,
    Milestone,
    OfferStatus,
    Rating,
    ReportKind,
    ReportStatus,
    Serves,
)
from app.extensions import db
from app.processes.models import Phase, Process


def _context(app):
    return nullcontext() if has_app_context() else app.app_context()


def _load(record_id: int) -> DeliveryProject:
    record = db.session.get(
        DeliveryProject, record_id, options=[selectinload(DeliveryProject.milestones)], populate_existing=True
    )
    _ = record.process, record.project.district, record.milestones
    return record


@pytest.fixture
def make_delivery(app, make_process, make_project) -> Callable[..., DeliveryProject]:
    """A funded project's delivery record in `status`, in `process` (a new one in the delivery phase
    unless given). `milestones`: (title, due date, done date or None) triples."""

    def _make(
        process: Process | None = None,
        *,
        status: DeliveryStatus = DeliveryStatus.PLANNED,
        milestones: tuple[tuple[str, date | None, date | None], ...] = (),
        project_fields: dict | None = None,
        **fields,
    ) -> DeliveryProject:
        process = process or make_process(Phase.DELIVERY)
        project = make_project(process, **(project_fields or {}))
        with _context(app):
            record = DeliveryProject(
                project_id=project.id,
                process_id=process.id,
                status=status,
                allocated_cents=fields.pop("allocated_cents", project.cost_cents),
                **fields,
            )
            if status.needs_reason and not record.status_reason:
                record.status_reason = "Waiting for the contractor."
            if status == DeliveryStatus.COMPLETED:
                record.progress_percent = 100
            record.milestones = [
                Milestone(title=title, due_on=due, done_on=done) for title, due, done in milestones
            ]
            db.session.add(record)
            db.session.flush()
            db.session.add(DeliveryChange(delivery_id=record.id, to_status=status, reason="Funded."))
            db.session.commit()
            return _load(record.id)

    return _make


@pytest.fixture
def make_offer(app, make_user) -> Callable[..., HelpOffer]:
    def _make(
        record: DeliveryProject, *, user: User | None = None, status: OfferStatus = OfferStatus.PENDING
    ) -> HelpOffer:
        user = user or make_user()
        with _context(app):
            offer = HelpOffer(
                delivery_id=record.id,
                user_id=user.id,
                what="Water the new trees",
                availability="Saturday mornings",
                status=status,
            )
            db.session.add(offer)
            db.session.commit()
            offer = db.session.get(HelpOffer, offer.id)
            _ = offer.user, offer.delivery.project
            return offer

    return _make


@pytest.fixture
def make_report(app, make_user) -> Callable[..., GroundReport]:
    def _make(
        record: DeliveryProject,
        *,
        user: User | None = None,
        kind: ReportKind = ReportKind.PROBLEM,
        status: ReportStatus = ReportStatus.PENDING,
        body: str = "A fence panel is down by the gate.",
    ) -> GroundReport:
        user = user or make_user()
        with _context(app):
            report = GroundReport(delivery_id=record.id, user_id=user.id, kind=kind, body=body, status=status)
            db.session.add(report)
            db.session.commit()
            report = db.session.get(GroundReport, report.id)
            _ = report.user, report.delivery.project
            return report

    return _make


@pytest.fixture
def make_rating(app, make_user) -> Callable[..., Rating]:
    def _make(
        record: DeliveryProject, *, user: User | None = None, stars: int = 4, serves: Serves = Serves.YES
    ) -> Rating:
        user = user or make_user()
        with _context(app):
            rating = Rating(delivery_id=record.id, user_id=user.id, stars=stars, serves=serves)
            db.session.add(rating)
            db.session.commit()
            return db.session.get(Rating, rating.id)

    return _make
