"""Counting and publishing: the published hash is of what was counted; published results never change."""

import hashlib

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.extensions import db
from app.processes.models import BallotType, OutcomeRule, Phase, Process
from app.processes.signals import projects_funded
from app.results import services
from app.results.models import ImmutableResultError, ResultSnapshot, ResultStatus
from app.tally import parse_pb, run_rule
from tests.factories_results import BUDGET, COSTS, VOTES


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _process(election) -> Process:
    return db.session.get(Process, election.process.id)


def test_count_makes_a_preview_whose_file_recounts_to_the_same_outcome(ctx, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.MES_ADD1)
    (snapshot,) = services.count_process(_process(election), None)
    assert snapshot.status == ResultStatus.PREVIEW and snapshot.voters == 6
    assert snapshot.pb_sha256 == hashlib.sha256(snapshot.pb_text.encode()).hexdigest()
    parsed = parse_pb(snapshot.pb_text)
    assert parsed.voter_ids == election.receipts  # each voter's id is their receipt code
    assert run_rule(parsed, "mes-add1").winners == snapshot.outcome["winners"]
    assert snapshot.winner_ids == [election.projects[c].id for c in snapshot.outcome["winners"]]
    assert snapshot.outcome["details"]["greedy_winners"] == ["A", "C"]


def test_greedy_funds_by_votes_and_skips_what_does_not_fit(ctx, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    (snapshot,) = services.count_process(_process(election), None)
    assert snapshot.outcome["winners"] == ["A", "C"] and snapshot.spent_cents == 9_000_00
    figures = {f["code"]: f for f in snapshot.figures}
    assert figures["A"]["votes"] == 3 and figures["A"]["share_of_voters"] == 0.5
    assert figures["B"]["explanation"]["reason"] == "did_not_fit"


def test_greedy_threshold_uses_the_process_minimum(ctx, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY_THRESHOLD, rule_threshold=3)
    (snapshot,) = services.count_process(_process(election), None)
    assert snapshot.outcome["winners"] == ["A"]


def test_cumulative_ballots_are_counted_by_points(ctx, make_election):
    votes = [{"A": 3}, {"B": 2, "C": 1}, {"B": 3}, {"C": 2, "A": 1}]
    election = make_election(
        COSTS,
        votes,
        budget=BUDGET,
        rule=OutcomeRule.GREEDY,
        ballot_type=BallotType.CUMULATIVE,
        total_points=3,
    )
    (snapshot,) = services.count_process(_process(election), None)
    scores = {f["code"]: f["score"] for f in snapshot.figures}
    assert scores == {"A": 4, "B": 5, "C": 3, "D": 0}
    # plain greedy, as Pabulib and pabutools define it, funds whatever still fits, even with no votes
    assert snapshot.outcome["winners"] == ["B", "C", "D"]


def test_counting_waits_for_the_end_of_voting(ctx, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, phase=Phase.VOTING)
    with pytest.raises(services.ResultsError, match="Voting is not over"):
        services.count_process(_process(election), None)


def test_publish_sends_the_winners_to_delivery_and_is_audited(ctx, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    process = _process(election)
    services.count_process(process, None)
    funded = []

    def listen(sender, project_ids, actor):
        funded.extend(project_ids)

    projects_funded.connect(listen)
    try:
        (snapshot,) = services.publish(process, None)
    finally:
        projects_funded.disconnect(listen)
    assert snapshot.status == ResultStatus.PUBLISHED and snapshot.published_at is not None
    assert funded == [election.projects["A"].id, election.projects["C"].id]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "results.published"))
    assert list(event.after.values()) == [snapshot.pb_sha256]


def test_counting_again_never_touches_the_published_result(ctx, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    process = _process(election)
    services.count_process(process, None)
    (first,) = services.publish(process, None)
    process.rule = OutcomeRule.MES  # a change after publication
    (preview,) = services.count_process(process, None)
    assert preview.id != first.id and services.published(process) == [first]
    with pytest.raises(services.ResultsError, match="public reason"):
        services.publish(process, None)
    (second,) = services.publish(process, None, reason="The rule in the rulebook was equal shares.")
    db.session.commit()
    assert first.status == ResultStatus.SUPERSEDED and first.supersede_reason.startswith("The rule")
    assert services.published(process) == [second] and first.outcome["winners"] == ["A", "C"]


def test_a_published_result_cannot_be_edited_or_deleted(ctx, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET)
    process = _process(election)
    services.count_process(process, None)
    (snapshot,) = services.publish(process, None)
    db.session.commit()
    snapshot.winner_ids = [1, 2, 3]
    with pytest.raises(ImmutableResultError, match="winner_ids"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ResultSnapshot, snapshot.id))
    with pytest.raises(ImmutableResultError, match="deleted"):
        db.session.flush()


def test_publishing_needs_a_count_of_every_district(ctx, make_process):
    process = db.session.get(Process, make_process(Phase.RESULTS).id)
    with pytest.raises(services.ResultsError, match="Count the votes"):
        services.publish(process, None)
