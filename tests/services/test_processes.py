"""Processes: settings, budgets, dates and guarded phase changes, on a real session."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.db import utcnow
from app.extensions import db
from app.processes import phase_changes, projects, services
from app.processes.models import BallotType, OutcomeRule, Phase, Process
from app.processes.signals import phase_change_requested, settings_change_requested

SETTINGS = {
    "title": "Riverside 2027",
    "summary": "",
    "description": "",
    "currency": "EUR",
    "ballot_type": BallotType.APPROVAL,
    "min_choices": 1,
    "max_choices": None,
    "total_points": None,
    "max_points_per_project": None,
    "min_spend_percent": 0,
    "rule": OutcomeRule.GREEDY,
    "rule_threshold": None,
    "residents_only": False,
    "min_age": None,
    "allow_accounts": True,
    "allow_census": False,
    "allow_codes": False,
    "allow_paper": False,
}


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def admin(ctx, make_user):
    return db.session.get(User, make_user(Role.ADMIN).id)


def _new(admin, district, **overrides):
    return services.save_process(
        admin,
        None,
        slug=None,
        settings={**SETTINGS, **overrides},
        budgets={district.id: 50_000_00},
        dates={},
        category_ids=[],
    )


def test_create_makes_a_draft_with_a_slug_budgets_and_an_audit_event(admin, make_district):
    district = make_district("Old Town")
    process = _new(admin, district)
    db.session.commit()
    assert process.phase == Phase.DRAFT and process.slug == "riverside-2027"
    assert process.total_budget_cents == 50_000_00 and process.budgets[0].district.name == "Old Town"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "process.created"))
    assert event.after["title"] == "Riverside 2027"


def test_slugs_are_unique(admin, make_district):
    district = make_district()
    _new(admin, district)
    with pytest.raises(services.ProcessError) as err:
        _new(admin, district)
    assert err.value.field == "slug"


def test_dates_and_budgets_are_replaced_on_update(admin, make_district):
    a, b = make_district(), make_district()
    process = _new(admin, a)
    start = utcnow()
    services.save_process(
        admin,
        process,
        slug=process.slug,
        settings=SETTINGS,
        budgets={a.id: None, b.id: 7_00},
        dates={Phase.VOTING: (start, start + timedelta(days=7))},
        category_ids=[],
    )
    assert [x.district_id for x in process.budgets] == [b.id]
    assert process.dates(Phase.VOTING).ends_at == start + timedelta(days=7)


def test_ballot_settings_are_locked_once_voting_begins(admin, make_process):
    process = db.session.get(Process, make_process(Phase.VOTING).id)
    budgets = {x.district_id: x.budget_cents for x in process.budgets}
    with pytest.raises(services.ProcessError, match="cannot change once voting"):
        services.save_process(
            admin,
            process,
            slug=process.slug,
            settings={**SETTINGS, "ballot_type": BallotType.KNAPSACK},
            budgets=budgets,
            dates={},
            category_ids=[],
        )


def test_other_features_can_lock_settings(admin, make_process):
    process = db.session.get(Process, make_process(Phase.REVIEW).id)

    def refuse(sender):
        return "ballots exist"

    settings_change_requested.connect(refuse)
    try:
        with pytest.raises(services.ProcessError, match="ballots exist"):
            services.save_process(
                admin,
                process,
                slug=process.slug,
                settings={**SETTINGS, "min_choices": 2},
                budgets={x.district_id: x.budget_cents for x in process.budgets},
                dates={},
                category_ids=[],
            )
    finally:
        settings_change_requested.disconnect(refuse)


def test_voting_needs_projects(admin, make_process, make_project):
    process = db.session.get(Process, make_process(Phase.REVIEW).id)
    with pytest.raises(services.ProcessError, match="no projects"):
        phase_changes.change_phase(process, Phase.VOTING, admin)
    make_project(process)
    phase_changes.change_phase(process, Phase.VOTING, admin)
    assert process.phase == Phase.VOTING
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "process.phase_changed"))
    assert event.before == {"phase": "review"} and event.after == {"phase": "voting"}


def test_closing_voting_early_needs_a_reason(admin, make_process):
    process = db.session.get(Process, make_process(Phase.VOTING).id)
    with pytest.raises(services.ProcessError, match="reason"):
        phase_changes.change_phase(process, Phase.RESULTS, admin)
    phase_changes.change_phase(process, Phase.RESULTS, admin, reason="storm closed the polling stations")
    assert process.phase == Phase.RESULTS


def test_going_back_is_one_phase_at_a_time_and_can_be_refused(admin, make_process):
    process = db.session.get(Process, make_process(Phase.RESULTS).id)
    with pytest.raises(services.ProcessError, match="one phase at a time"):
        phase_changes.change_phase(process, Phase.PROPOSALS, admin)

    def refuse(sender, target):
        return "ballots exist" if target.index < Phase.RESULTS.index else None

    phase_change_requested.connect(refuse)
    try:
        with pytest.raises(services.ProcessError, match="ballots exist"):
            phase_changes.change_phase(process, Phase.VOTING, admin)
    finally:
        phase_change_requested.disconnect(refuse)


def test_advance_due_moves_running_processes_whose_phase_ended(admin, make_process):
    ended = db.session.get(Process, make_process(Phase.PROPOSALS).id)
    running = db.session.get(Process, make_process(Phase.PROPOSALS).id)
    draft = db.session.get(Process, make_process(Phase.DRAFT).id)
    ended.dates(Phase.PROPOSALS).ends_at = utcnow() - timedelta(minutes=1)
    moved = phase_changes.advance_due(utcnow())
    assert [(p.id, prev) for p, prev in moved] == [(ended.id, Phase.PROPOSALS)]
    assert ended.phase == Phase.REVIEW and running.phase == Phase.PROPOSALS and draft.phase == Phase.DRAFT


def test_phase_dates_end_exactly_at_the_end_time(make_process, ctx):
    process = db.session.get(Process, make_process(Phase.VOTING).id)
    end = process.dates(Phase.VOTING).ends_at
    assert process.is_open_for(Phase.VOTING, end - timedelta(microseconds=1))
    assert not process.is_open_for(Phase.VOTING, end)


def test_projects_get_codes_and_are_locked_in_voting(admin, make_process):
    process = db.session.get(Process, make_process(Phase.REVIEW).id)
    values = {
        "title": "Trees",
        "summary": "",
        "description": "",
        "district_id": process.budgets[0].district_id,
        "category_id": None,
        "cost_cents": 5_000_00,
        "feasibility_note": "",
    }
    first = projects.save_project(admin, process, None, code=None, **values)
    second = projects.save_project(admin, process, None, code=None, **values)
    assert (first.code, second.code) == ("P1", "P2")
    with pytest.raises(services.ProcessError, match="already has the code"):
        projects.save_project(admin, process, None, code="P1", **values)
    process.phase = Phase.VOTING
    with pytest.raises(services.ProcessError, match="cannot change once voting"):
        projects.delete_project(admin, first)


def test_a_project_must_be_in_a_district_of_the_process(admin, make_process, make_district):
    process = db.session.get(Process, make_process(Phase.REVIEW).id)
    other = make_district()
    values = {
        "title": "Trees",
        "summary": "",
        "description": "",
        "district_id": other.id,
        "category_id": None,
        "cost_cents": 5_000_00,
        "feasibility_note": "",
    }
    with pytest.raises(services.ProcessError, match="no budget"):
        projects.save_project(admin, process, None, code=None, **values)
