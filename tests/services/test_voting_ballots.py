"""Casting and changing ballots on a real session: the rules, the closing time, the database's unique
constraint, secrecy, and what other features read (ballots_for, turnout, vetoes)."""

from datetime import timedelta
from unittest import mock

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.extensions import db
from app.processes.models import BallotType, Phase, Process
from app.processes.phase_changes import change_phase
from app.processes.services import ProcessError
from app.voting import ballots, services
from app.voting.eligibility import account_voter, make_voter
from app.voting.errors import BallotRejected, NotEligible, VotingClosed, VotingError
from app.voting.models import Ballot, BallotChoice, Channel


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _process(vote) -> Process:
    return db.session.get(Process, vote.id)


def _voter(process, make_user, **fields):
    user = db.session.get(User, make_user(**fields).id)
    return account_voter(process, user, now=process.dates(Phase.VOTING).starts_at + timedelta(hours=1))


def _cast(process, voter, choices, district_id=None, **kw):
    return ballots.cast_ballot(process, district_id or process.budgets[0].district_id, voter, choices, **kw)


def test_an_approval_ballot_is_cast_with_a_receipt(ctx, make_vote, make_user):
    vote = make_vote(BallotType.APPROVAL)
    process = _process(vote)
    result = _cast(process, _voter(process, make_user), dict.fromkeys(vote.ids(), 1))
    db.session.commit()
    assert not result.changed and len(result.ballot.receipt) == 14
    assert result.ballot.points == dict.fromkeys(vote.ids(), 1) and result.ballot.channel == Channel.ACCOUNT


@pytest.mark.parametrize(
    ("ballot_type", "fields", "choices", "message"),
    [
        (BallotType.APPROVAL, {}, {}, "Choose at least 1 project. You have chosen 0."),
        (BallotType.K_APPROVAL, {"max_choices": 2}, [0, 1, 2], "You can choose up to 2 projects."),
        (
            BallotType.KNAPSACK,
            {},
            [0, 1, 2],
            "Your projects cost €120,000, which is €20,000 more than the budget of €100,000.",
        ),
        (BallotType.KNAPSACK, {"min_spend_percent": 50}, [0], "Choose projects worth at least €50,000"),
        (BallotType.KNAPSACK, {"min_choices": 2}, [2], "Choose at least 2 projects. You have chosen 1."),
    ],
)
def test_rule_problems_are_refused_in_plain_words(
    ctx, make_vote, make_user, ballot_type, fields, choices, message
):
    vote = make_vote(ballot_type, **fields)
    process = _process(vote)
    ids = vote.ids()
    with pytest.raises(BallotRejected) as err:
        _cast(process, _voter(process, make_user), {ids[i]: 1 for i in choices})
    assert message in str(err.value)
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_cumulative_points(ctx, make_vote, make_user):
    vote = make_vote(BallotType.CUMULATIVE, total_points=10, max_points_per_project=5)
    process, (a, b, c) = _process(vote), vote.ids()
    voter = _voter(process, make_user)
    with pytest.raises(BallotRejected, match="You have given 11 points, 1 more than the 10 you have"):
        _cast(process, voter, {a: 5, b: 5, c: 1})
    with pytest.raises(BallotRejected, match=r"at most 5 points to one project; “Project .*” has 6"):
        _cast(process, voter, {a: 6})
    assert _cast(process, voter, {a: 5, b: 4, c: 0}).ballot.points == {a: 5, b: 4}


def test_a_project_of_another_district_is_refused(ctx, make_vote, make_user):
    vote = make_vote(budgets=[10_000_000, 10_000_000])
    process = _process(vote)
    other = vote.ids(process.budgets[1].district_id)[0]
    with pytest.raises(BallotRejected, match="not on this ballot"):
        _cast(process, _voter(process, make_user), {other: 1})


def test_changing_a_ballot_replaces_its_choices_and_receipt(ctx, make_vote, make_user):
    vote = make_vote(BallotType.APPROVAL)
    process, (a, b, c) = _process(vote), vote.ids()
    voter = _voter(process, make_user)
    first = _cast(process, voter, {a: 1, b: 1})
    receipt = first.ballot.receipt
    db.session.commit()
    second = _cast(process, voter, {c: 1})
    db.session.commit()
    assert second.changed and second.ballot.id == first.ballot.id and second.ballot.receipt != receipt
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert db.session.execute(select(BallotChoice.project_id)).scalars().all() == [c]


def test_the_same_ballot_sent_again_changes_nothing(ctx, make_vote, make_user):
    """A double tap or a retry after a lost answer: same choices, same receipt, not a change."""
    vote = make_vote(BallotType.CUMULATIVE, total_points=10, max_points_per_project=6)
    process, (a, b, c) = _process(vote), vote.ids()
    voter = _voter(process, make_user)
    receipt = _cast(process, voter, {a: 6, b: 4}).ballot.receipt
    db.session.commit()
    again = _cast(process, voter, {a: 6, b: 4, c: 0})
    db.session.commit()
    assert not again.changed and again.ballot.receipt == receipt
    other = _cast(process, voter, {a: 4, b: 6})  # the same projects, other points: a change
    assert other.changed and other.ballot.receipt != receipt


def test_a_failed_change_leaves_the_old_ballot_whole(ctx, make_vote, make_user):
    vote = make_vote(BallotType.APPROVAL)
    process, (a, b, _c) = _process(vote), vote.ids()
    voter = _voter(process, make_user)
    receipt = _cast(process, voter, {a: 1, b: 1}).ballot.receipt
    db.session.commit()
    with (
        mock.patch.object(ballots, "_write_choices", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        _cast(process, voter, {b: 1})
    db.session.rollback()
    ballot = db.session.scalar(select(Ballot))
    assert ballot.receipt == receipt and ballot.points == {a: 1, b: 1}


def test_one_ballot_per_voter_and_district_is_a_database_constraint(ctx, make_vote):
    vote = make_vote()
    values = {
        "process_id": vote.id,
        "district_id": vote.district_id,
        "voter_key": "k" * 64,
        "channel": "account",
    }
    db.session.execute(sa.insert(Ballot), {**values, "receipt": "AAAA-AAAA-AAAA"})
    with pytest.raises(IntegrityError):
        db.session.execute(sa.insert(Ballot), {**values, "receipt": "BBBB-BBBB-BBBB"})
    db.session.rollback()


def test_a_concurrent_first_ballot_turns_this_one_into_a_change(ctx, make_vote, make_user):
    """When another request inserts the voter's ballot between our check and our insert, the unique
    constraint fails our insert and we replace that ballot instead (the real race is tested on
    PostgreSQL in test_voting_concurrency.py)."""
    vote = make_vote()
    process, (a, b, _c) = _process(vote), vote.ids()
    voter = _voter(process, make_user)
    _cast(process, voter, {a: 1})
    db.session.commit()
    real_locked = ballots._locked
    calls = iter([None])  # the first look finds nothing, as if the other request had not committed yet
    with mock.patch.object(
        ballots, "_locked", side_effect=lambda *args: next(calls, None) or real_locked(*args)
    ):
        result = _cast(process, voter, {b: 1})
    db.session.commit()
    assert result.changed and db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert db.session.scalar(select(Ballot)).points == {b: 1}


def test_voting_closes_exactly_at_the_end_time(ctx, make_vote, make_user):
    vote = make_vote()
    process = _process(vote)
    end = process.dates(Phase.VOTING).ends_at
    voter = _voter(process, make_user)
    _cast(process, voter, {vote.ids()[0]: 1}, now=end - timedelta(microseconds=1))
    with pytest.raises(VotingClosed) as err:
        _cast(process, voter, {vote.ids()[1]: 1}, now=end)
    assert "Voting closed on" in str(err.value) and "Votes sent after that are not counted" in str(err.value)
    assert db.session.scalar(select(Ballot)).points == {vote.ids()[0]: 1}


def test_the_closing_time_is_shown_in_the_city_time_zone(ctx, make_vote, make_user):
    from datetime import UTC, datetime

    vote = make_vote()
    process = _process(vote)
    process.dates(Phase.VOTING).ends_at = datetime(2027, 7, 15, 19, 0, tzinfo=UTC)  # 20:00 in London (BST)
    with pytest.raises(VotingClosed, match="July 15, 2027 at 8:00\u202fPM"):
        _cast(
            process,
            _voter(process, make_user),
            {vote.ids()[0]: 1},
            now=datetime(2027, 7, 15, 19, 0, tzinfo=UTC),
        )


def test_no_voting_before_the_start_or_outside_the_voting_phase(ctx, make_vote, make_user):
    vote = make_vote()
    process = _process(vote)
    voter = _voter(process, make_user)
    start = process.dates(Phase.VOTING).starts_at
    with pytest.raises(VotingClosed, match="Voting opens on"):
        _cast(process, voter, {vote.ids()[0]: 1}, now=start - timedelta(seconds=1))
    process.phase = Phase.RESULTS
    with pytest.raises(VotingClosed):
        _cast(process, voter, {vote.ids()[0]: 1})


def test_ballot_tables_hold_no_user_id(app):
    for table in ("ballots", "ballot_choices", "ballot_drafts"):
        columns = {c.name for c in db.metadata.tables[table].columns}
        targets = {fk.column.table.name for fk in db.metadata.tables[table].foreign_keys}
        assert not any("user" in name for name in columns), columns
        assert "users" not in targets


def test_a_database_dump_does_not_name_the_voter(ctx, make_vote, make_user):
    vote = make_vote()
    process = _process(vote)
    user = db.session.get(User, make_user(email="secret-voter@example.org").id)
    voter = account_voter(process, user, now=process.dates(Phase.VOTING).starts_at + timedelta(hours=1))
    ballot = _cast(process, voter, {vote.ids()[0]: 1}).ballot
    db.session.commit()
    row = db.session.execute(sa.select(db.metadata.tables["ballots"])).one()._asdict()
    assert str(user.id) not in {str(v) for v in row.values() if v != row["id"] and v != vote.id} - {
        str(vote.district_id)
    }
    assert len(ballot.voter_key) == 64 and ballot.voter_key != f"user:{user.id}"
    assert ballot.created_at.minute == 0 and ballot.created_at.second == 0  # kept to the hour
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0  # casting is not audited


def test_voter_keys_are_stable_per_process_and_differ_between_processes(ctx, make_vote):
    one, two = _process(make_vote()), _process(make_vote())
    assert (
        make_voter(one, "user:7", Channel.ACCOUNT, None).key
        == make_voter(one, "user:7", Channel.ACCOUNT, None).key
    )
    assert (
        make_voter(one, "user:7", Channel.ACCOUNT, None).key
        != make_voter(two, "user:7", Channel.ACCOUNT, None).key
    )


def test_ballots_for_is_sealed_until_results_then_lists_receipts_and_points(ctx, make_vote, make_user):
    vote = make_vote(BallotType.CUMULATIVE, total_points=5)
    process, (a, b, _c) = _process(vote), vote.ids()
    receipts = {
        _cast(process, _voter(process, make_user), {a: 3, b: 2}).ballot.receipt: {a: 3, b: 2},
        _cast(process, _voter(process, make_user), {b: 5}).ballot.receipt: {b: 5},
    }
    db.session.commit()
    with pytest.raises(VotingError, match="only once voting is over"):
        services.ballots_for(vote.id, vote.district_id)
    process.phase = Phase.RESULTS
    assert services.ballots_for(vote.id, vote.district_id) == sorted(receipts.items())


def test_turnout_counts_per_district_and_channel(ctx, make_vote, make_user):
    vote = make_vote(budgets=[10_000_000, 10_000_000])
    process = _process(vote)
    first, second = (b.district_id for b in process.budgets)
    _cast(process, _voter(process, make_user), {vote.ids(first)[0]: 1}, district_id=first)
    _cast(process, _voter(process, make_user), {vote.ids(second)[0]: 1}, district_id=second)
    code_voter = make_voter(process, "code:1", Channel.CODE, None)
    _cast(process, code_voter, {vote.ids(first)[1]: 1}, district_id=first)
    figures = services.turnout(process)
    assert (
        figures.total == 3
        and figures.by_channel[Channel.ACCOUNT] == 2
        and figures.by_channel[Channel.CODE] == 1
    )
    assert [(r.district_id, r.total) for r in figures.rows] == [(first, 2), (second, 1)]


def test_paper_ballots_are_final_both_ways(ctx, make_vote, make_user):
    vote = make_vote()
    process, (a, b, _c) = _process(vote), vote.ids()
    online = _voter(process, make_user)
    _cast(process, online, {a: 1})
    with pytest.raises(NotEligible, match="already voted"):
        ballots.store_ballot(process.id, vote.district_id, online.key, Channel.PAPER, {b: 1})
    paper_voter = _voter(process, make_user)
    ballots.store_ballot(process.id, vote.district_id, paper_voter.key, Channel.PAPER, {b: 1})
    with pytest.raises(
        NotEligible, match="You voted on paper in this district, so you cannot also vote online"
    ):
        _cast(process, paper_voter, {a: 1})


def test_no_going_back_before_voting_once_ballots_exist(ctx, make_vote, make_user):
    vote = make_vote()
    process = _process(vote)
    admin = db.session.get(User, make_user(Role.ADMIN).id)
    _cast(process, _voter(process, make_user), {vote.ids()[0]: 1})
    with pytest.raises(ProcessError, match="Ballots have been cast"):
        change_phase(process, Phase.REVIEW, admin)


def test_ballot_settings_lock_once_ballots_exist(ctx, make_vote, make_user):
    from app.voting.hooks import refuse_settings_change

    vote = make_vote()
    process = _process(vote)
    assert refuse_settings_change(process) is None
    _cast(process, _voter(process, make_user), {vote.ids()[0]: 1})
    assert "cannot change" in str(refuse_settings_change(process))
