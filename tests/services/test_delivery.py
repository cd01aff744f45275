"""Delivery services on a real session: records opened on publication, officers' changes with their
history, audit and notifications, and residents' offers, reports and ratings."""

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.auth.services import delete_account
from app.core.audit import AuditEvent
from app.delivery import coproduction, progress, queries, services
from app.delivery.figures import dashboard_figures, figures_by_process
from app.delivery.models import (
    DeliveryChange,
    DeliveryProject,
    DeliveryStatus,
    HelpOffer,
    Milestone,
    OfferStatus,
    Rating,
    ReportKind,
    ReportStatus,
    Serves,
)
from app.delivery.services import DeliveryError
from app.extensions import db
from app.notifications.models import Notification
from app.processes.models import OutcomeRule, Phase, Process, Project
from app.proposals.models import Follow, Support
from app.results import services as results
from tests.conftest import PASSWORD
from tests.factories import jpeg_bytes
from tests.factories_results import BUDGET, COSTS, VOTES

S = DeliveryStatus


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _fresh(record: DeliveryProject) -> DeliveryProject:
    return db.session.get(DeliveryProject, record.id)


def _user(user: User) -> User:
    return db.session.get(User, user.id)


def _figures(record=None, **overrides) -> dict:
    values = {
        "status": S.IN_PROGRESS,
        "status_reason": "",
        "progress_percent": 40,
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 9, 30),
        "allocated_cents": 48_000_00,
        "spent_cents": 12_000_00,
    }
    return {**values, **overrides}


def _notified(user: User) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(Notification.user_id == user.id)))


# Opening records --------------------------------------------------------------------------------


def test_publishing_results_opens_a_record_for_each_winner_once(ctx, make_election, make_user):
    admin = _user(make_user(Role.ADMIN))
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    process = db.session.get(Process, election.process.id)
    results.count_process(process, admin)
    results.publish(process, admin)
    db.session.commit()
    winners = services.funded_project_ids(process)
    records = list(
        db.session.scalars(select(DeliveryProject).where(DeliveryProject.process_id == process.id))
    )
    assert sorted(r.project_id for r in records) == sorted(winners) and winners
    for record in records:
        assert record.status == S.PLANNED and record.allocated_cents == record.project.cost_cents
    assert db.session.scalar(select(func.count()).select_from(DeliveryChange)) == len(winners)
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "delivery.opened")).actor_id
        == admin.id
    )
    assert services.ensure_records(process, admin) == []  # idempotent
    assert db.session.scalar(select(func.count()).select_from(DeliveryProject)) == len(winners)


def test_a_record_no_longer_funded_is_cancelled_with_a_reason(ctx, make_election, make_user):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    process = db.session.get(Process, election.process.id)
    loser = next(p for p in election.projects.values())
    results.count_process(process, None)
    results.publish(process, None)
    winners = services.funded_project_ids(process)
    loser = next(p for p in election.projects.values() if p.id not in winners)
    db.session.add(DeliveryProject(project_id=loser.id, process_id=process.id))
    db.session.flush()
    services.ensure_records(process, None)
    stale = db.session.scalar(select(DeliveryProject).where(DeliveryProject.project_id == loser.id))
    assert stale.status == S.CANCELLED and stale.status_reason


# Officers' changes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"progress_percent": 101}, "progress_percent"),
        ({"progress_percent": -1}, "progress_percent"),
        ({"allocated_cents": -1}, "allocated"),
        ({"spent_cents": -5}, "spent"),
        ({"ends_on": date(2026, 2, 1)}, "ends_on"),
        ({"status": S.DELAYED, "status_reason": "  "}, "status_reason"),
        ({"status": S.CANCELLED}, "status_reason"),
    ],
)
def test_bad_figures_are_refused_at_their_field_and_nothing_changes(
    ctx, make_delivery, make_user, overrides, field
):
    officer = _user(make_user(Role.OFFICER))
    record = _fresh(make_delivery())
    with pytest.raises(DeliveryError) as refused:
        services.update_record(officer, record, **_figures(**overrides))
    assert refused.value.field == field
    db.session.rollback()
    record = _fresh(record)
    assert record.status == S.PLANNED and record.progress_percent == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_spent_without_allocation_is_fine(ctx, make_delivery, make_user):
    officer = _user(make_user(Role.OFFICER))
    record = _fresh(make_delivery())
    services.update_record(officer, record, **_figures(allocated_cents=None, spent_cents=5_00))
    db.session.commit()
    assert (_fresh(record).allocated_cents, _fresh(record).spent_cents) == (None, 5_00)


def test_the_database_refuses_what_the_service_refuses(ctx, make_delivery):
    record = make_delivery()
    for column, value in (("progress_percent", 150), ("spent_cents", -1), ("status", "delayed")):
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.execute(
                sa.update(DeliveryProject).where(DeliveryProject.id == record.id).values({column: value})
            )
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            sa.update(DeliveryProject)
            .where(DeliveryProject.id == record.id)
            .values(starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))
        )


def test_a_status_change_is_history_audit_and_news_for_followers_and_supporters(
    ctx, make_process, make_proposal, make_delivery, make_user
):
    officer, follower, supporter = (_user(make_user(r)) for r in (Role.OFFICER, Role.RESIDENT, Role.RESIDENT))
    process = make_process(Phase.DELIVERY)
    proposal = make_proposal(process)
    record = _fresh(make_delivery(process, project_fields={"proposal_id": proposal.id}))
    db.session.add_all(
        [
            Follow(user_id=follower.id, project_id=record.project_id),
            Follow(user_id=officer.id, project_id=record.project_id),
            Support(user_id=supporter.id, proposal_id=proposal.id),
        ]
    )
    db.session.flush()
    change = services.update_record(
        officer, record, **_figures(status=S.DELAYED, status_reason="Wet spring.")
    )
    db.session.commit()
    assert (
        change.from_status == S.PLANNED and change.to_status == S.DELAYED and change.reason == "Wet spring."
    )
    assert change.changes["progress_percent"] == [0, 40]
    assert change.changes["starts_on"] == [None, "2026-03-01"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "delivery.updated"))
    assert (
        event.actor_id == officer.id and event.after["status"] == "delayed" and event.reason == "Wet spring."
    )
    for person in (follower, supporter, _user(db.session.get(User, proposal.author_id))):
        assert any("delayed" in m for m in _notified(person)), person.email
    assert _notified(officer) == []  # not told of their own change
    assert (
        services.update_record(
            officer, _fresh(record), **_figures(status=S.DELAYED, status_reason="Wet spring.")
        )
        is None
    )


def test_completing_sets_full_progress_and_the_day_and_on_time(ctx, make_delivery, make_user):
    officer = _user(make_user(Role.OFFICER))
    record = _fresh(make_delivery())
    services.update_record(
        officer, record, **_figures(status=S.COMPLETED, progress_percent=80), today=date(2026, 9, 1)
    )
    db.session.commit()
    record = _fresh(record)
    assert (
        record.progress_percent == 100 and record.completed_on == date(2026, 9, 1) and record.on_time is True
    )
    services.update_record(officer, record, **_figures(status=S.IN_PROGRESS))
    assert _fresh(record).completed_on is None and _fresh(record).on_time is None


def test_milestones_are_audited_overdue_and_cannot_be_done_in_the_future(ctx, make_delivery, make_user):
    officer = _user(make_user(Role.OFFICER))
    record = _fresh(make_delivery())
    today = date(2026, 6, 1)
    late = progress.save_milestone(
        officer,
        record,
        None,
        title="Trees delivered",
        due_on=today - timedelta(days=3),
        done_on=None,
        today=today,
    )
    progress.save_milestone(
        officer, record, None, title="Planting", due_on=today + timedelta(days=9), done_on=None, today=today
    )
    db.session.commit()
    assert [m.title for m in _fresh(record).overdue_milestones(today)] == ["Trees delivered"]
    assert _fresh(record).next_milestone().title == "Trees delivered"
    with pytest.raises(DeliveryError) as refused:
        progress.save_milestone(
            officer,
            record,
            late,
            title="Trees delivered",
            due_on=None,
            done_on=today + timedelta(days=1),
            today=today,
        )
    assert refused.value.field == "done_on"
    db.session.rollback()
    late = db.session.get(Milestone, late.id)
    progress.save_milestone(
        officer, _fresh(record), late, title="Trees delivered", due_on=late.due_on, done_on=today, today=today
    )
    assert _fresh(record).overdue_milestones(today) == []
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"delivery.milestone_added", "delivery.milestone_changed"} <= actions
    assert any(e.kind == "milestone" for e in queries.timeline(_fresh(record)))


def test_an_update_with_photos_tells_followers_and_a_bad_photo_saves_nothing(ctx, make_delivery, make_user):
    officer, follower = _user(make_user(Role.OFFICER)), _user(make_user())
    record = _fresh(make_delivery())
    db.session.add(Follow(user_id=follower.id, project_id=record.project_id))
    db.session.commit()
    with pytest.raises(DeliveryError) as refused:
        progress.post_update(
            officer, record, "The trees are here.", [BytesIO(jpeg_bytes()), BytesIO(b"not a photo")]
        )
    assert refused.value.field == "photos"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    update = progress.post_update(officer, _fresh(record), "The **trees** are here.", [BytesIO(jpeg_bytes())])
    db.session.commit()
    assert len(update.photos) == 1 and update.photos[0].image.width > 0
    assert _notified(follower) and "News on" in _notified(follower)[0]
    assert next(e.kind for e in queries.timeline(_fresh(record))) == "update"


# Residents --------------------------------------------------------------------------------------


def test_an_offer_follows_the_project_and_the_answer_reaches_the_resident(ctx, make_delivery, make_user):
    resident, officer = _user(make_user()), _user(make_user(Role.OFFICER))
    record = _fresh(make_delivery(status=S.IN_PROGRESS))
    offer = coproduction.offer_help(resident, record, "Water the trees", "Weekends")
    db.session.commit()
    assert db.session.scalar(
        select(Follow.id).where(Follow.user_id == resident.id, Follow.project_id == record.project_id)
    )
    with pytest.raises(DeliveryError) as refused:
        coproduction.answer_offer(officer, offer, OfferStatus.COORDINATING, "")
    assert refused.value.field == "reply"
    coproduction.answer_offer(officer, offer, OfferStatus.ACCEPTED, "See you Saturday at 10.")
    db.session.commit()
    assert offer.status == OfferStatus.ACCEPTED and offer.replied_by_id == officer.id
    assert any("accepted" in m for m in _notified(resident))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "delivery.offer_answered"))


def test_no_offers_on_finished_projects_nor_from_unconfirmed_accounts(ctx, make_delivery, make_user):
    done = _fresh(make_delivery(status=S.COMPLETED))
    with pytest.raises(DeliveryError):
        coproduction.offer_help(_user(make_user()), done, "Help", "Now")
    open_one = _fresh(make_delivery())
    with pytest.raises(DeliveryError):
        coproduction.offer_help(_user(make_user(verified=False)), open_one, "Help", "Now")


def test_confirmed_reports_join_the_timeline_answered_ones_do_not(ctx, make_delivery, make_user):
    resident, officer = _user(make_user()), _user(make_user(Role.OFFICER))
    record = _fresh(make_delivery(status=S.IN_PROGRESS))
    first = coproduction.file_report(
        resident,
        record,
        kind=ReportKind.STARTED,
        body="Diggers on site.",
        photo=BytesIO(jpeg_bytes()),
        location="By the gate",
        latitude=51.5,
        longitude=-0.12,
    )
    second = coproduction.file_report(resident, record, kind=ReportKind.OTHER, body="When do they start?")
    with pytest.raises(DeliveryError) as refused:
        coproduction.file_report(resident, record, kind=ReportKind.OTHER, body="x", latitude=51.5)
    assert refused.value.field == "latitude"
    coproduction.answer_report(officer, first, ReportStatus.CONFIRMED)
    coproduction.answer_report(officer, second, ReportStatus.ANSWERED, "In May.")
    db.session.commit()
    reports = [e.item.id for e in queries.timeline(_fresh(record)) if e.kind == "report"]
    assert reports == [first.id] and first.image is not None
    assert len(_notified(resident)) == 2


def test_ratings_only_when_completed_once_per_person_and_editable(ctx, make_delivery, make_user):
    resident = _user(make_user())
    planned = _fresh(make_delivery())
    with pytest.raises(DeliveryError):
        coproduction.rate(resident, planned, 5, Serves.YES)
    record = _fresh(make_delivery(status=S.COMPLETED))
    _rating, created = coproduction.rate(resident, record, 5, Serves.YES, "Lovely shade.")
    again, created_again = coproduction.rate(resident, record, 3, Serves.PARTLY)
    db.session.commit()
    assert created and not created_again and again.stars == 3
    assert db.session.scalar(select(func.count()).select_from(Rating)) == 1
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Rating(delivery_id=record.id, user_id=resident.id, stars=1, serves=Serves.NO))
    other = _user(make_user())
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Rating(delivery_id=record.id, user_id=other.id, stars=6, serves=Serves.NO))
    summary = queries.rating_summaries([record.id])[record.id]
    assert (summary.count, summary.average, summary.serves["partly"]) == (1, 3.0, 1)


def test_headline_figures_of_a_process(ctx, make_process, make_delivery, make_user, make_comment):
    process = make_process(Phase.DELIVERY)
    on_time = make_delivery(
        process,
        status=S.COMPLETED,
        ends_on=date(2026, 6, 1),
        completed_on=date(2026, 5, 1),
        allocated_cents=100_00,
        spent_cents=90_00,
    )
    make_delivery(
        process,
        status=S.COMPLETED,
        ends_on=date(2026, 6, 1),
        completed_on=date(2026, 7, 1),
        allocated_cents=100_00,
        spent_cents=120_00,
    )
    make_delivery(process, status=S.IN_PROGRESS, allocated_cents=200_00, spent_cents=None)
    make_delivery(process, status=S.CANCELLED, allocated_cents=None)
    rosa, omar = _user(make_user()), _user(make_user())
    db.session.add_all(
        [
            HelpOffer(delivery_id=on_time.id, user_id=rosa.id, what="x", availability="y"),
            Rating(delivery_id=on_time.id, user_id=rosa.id, stars=5, serves=Serves.YES),
            Rating(delivery_id=on_time.id, user_id=omar.id, stars=2, serves=Serves.NO),
        ]
    )
    db.session.commit()
    make_comment(db.session.get(Project, on_time.project_id), author=make_user())
    figures = figures_by_process([process.id])[process.id]
    assert (figures.funded, figures.completed, figures.cancelled) == (4, 2, 1)
    assert figures.delivered_percent == 50 and figures.on_time_percent == 50
    assert (figures.allocated_cents, figures.spent_cents, figures.spent_percent) == (400_00, 210_00, 52)
    assert figures.residents == 3  # Rosa once (offer and rating), Omar, the commenter
    assert (figures.ratings.count, figures.ratings.average) == (2, 3.5)
    rows, years = dashboard_figures()
    assert rows[0][0].id == process.id and years[0][1].funded == 4


def test_a_year_counts_a_person_involved_in_two_of_its_processes_once(
    ctx, make_process, make_delivery, make_offer, make_rating, make_user
):
    spring, autumn, older = (
        make_process(Phase.DELIVERY, created_at=datetime(year, month, 1, tzinfo=UTC))
        for year, month in ((2025, 3), (2025, 9), (2024, 5))
    )
    rosa = make_user()
    make_offer(make_delivery(spring), user=rosa)
    make_offer(make_delivery(spring))
    make_rating(make_delivery(autumn), user=rosa)
    make_rating(make_delivery(older), user=rosa)
    rows, years = dashboard_figures()
    assert [(p.id, f.residents) for p, f in rows] == [(autumn.id, 1), (spring.id, 2), (older.id, 1)]
    assert [(year, f.residents, f.funded) for year, f in years] == [(2025, 2, 3), (2024, 1, 1)]


def test_a_deleted_account_takes_its_offers_along(ctx, make_delivery, make_offer, make_user):
    resident = make_user()
    make_offer(make_delivery(), user=resident)
    delete_account(_user(resident), PASSWORD)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(HelpOffer)) == 0
