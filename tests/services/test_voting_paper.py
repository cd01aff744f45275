"""Paper ballots: double entry by two officers, and no voting both on paper and online."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.extensions import db
from app.processes.models import BallotType, Phase, Process
from app.processes.phase_changes import change_phase
from app.processes.services import ProcessError
from app.voting import ballots, census, paper
from app.voting.eligibility import account_voter, pass_voter
from app.voting.errors import BallotRejected, NotEligible, VotingClosed, VotingError
from app.voting.models import Ballot, Channel, PaperEntry, SheetStatus, VoterCode
from app.voting.paper import PaperIdentity


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def setup(ctx, make_vote, add_census, make_user):
    vote = make_vote(BallotType.APPROVAL, allow_paper=True, allow_census=True, allow_codes=True)
    add_census(vote.id, "id_number,birth_date\nAA1,1990-01-01\nBB2,1980-05-05\n")
    officers = [db.session.get(User, make_user(Role.OFFICER).id) for _ in range(3)]
    return vote, db.session.get(Process, vote.id), officers


AA1 = PaperIdentity("census", id_number="AA1", birth_date=date(1990, 1, 1))


def _enter(process, officer, vote, number="17", who=AA1, picks=(0,)):
    ids = vote.ids()
    return paper.enter_paper_ballot(
        process,
        officer,
        number=number,
        district_id=vote.district_id,
        who=who,
        choices={ids[i]: 1 for i in picks},
    )


def test_a_sheet_counts_when_two_officers_agree(setup):
    vote, process, (one, two, _three) = setup
    assert _enter(process, one, vote).status == SheetStatus.WAITING
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    outcome = _enter(process, two, vote)
    assert outcome.status == SheetStatus.COUNTED and "counted" in outcome.message
    ballot = db.session.scalar(select(Ballot))
    assert ballot.channel == Channel.PAPER and ballot.points == {vote.ids()[0]: 1}
    assert db.session.scalar(select(func.count()).select_from(PaperEntry)) == 0  # entries are not kept
    with pytest.raises(VotingError, match="already counted"):
        _enter(process, one, vote)


def test_the_same_officer_cannot_enter_a_sheet_twice(setup):
    vote, process, (one, _two, _three) = setup
    _enter(process, one, vote)
    with pytest.raises(VotingError, match="Another officer must enter it the second time"):
        _enter(process, one, vote)


def test_entries_that_differ_are_discarded_and_entered_twice_again(setup):
    vote, process, (one, two, three) = setup
    _enter(process, one, vote, picks=(0,))
    outcome = _enter(process, two, vote, picks=(1,))
    assert outcome.status == SheetStatus.CONFLICT and "differ" in outcome.message
    assert db.session.scalar(select(func.count()).select_from(PaperEntry)) == 0
    assert _enter(process, three, vote, picks=(1,)).status == SheetStatus.WAITING
    assert _enter(process, one, vote, picks=(1,)).status == SheetStatus.COUNTED


def test_who_voted_on_paper_cannot_vote_online(setup):
    vote, process, (one, two, _three) = setup
    _enter(process, one, vote)
    _enter(process, two, vote)
    entry = census.prove_census(process, "AA1", birth_date=date(1990, 1, 1), postcode=None, user=None)
    with pytest.raises(NotEligible, match="voted on paper"):
        ballots.cast_ballot(
            process, vote.district_id, pass_voter(process, "census", entry.id), {vote.ids()[1]: 1}
        )


def test_who_voted_online_cannot_vote_on_paper(setup):
    vote, process, (one, two, _three) = setup
    entry = census.prove_census(process, "AA1", birth_date=date(1990, 1, 1), postcode=None, user=None)
    ballots.cast_ballot(
        process, vote.district_id, pass_voter(process, "census", entry.id), {vote.ids()[1]: 1}
    )
    _enter(process, one, vote)
    outcome = _enter(process, two, vote)
    assert outcome.status == SheetStatus.REFUSED and "already voted" in outcome.message
    assert db.session.scalar(select(Ballot)).channel == Channel.CENSUS


def test_paper_voters_are_identified_by_account_or_code(setup, make_user, make_codes):
    vote, process, (one, two, _three) = setup
    process.allow_census = False  # accounts then vote by themselves, not through the census list
    user = db.session.get(User, make_user(email="paper@example.org").id)
    who = PaperIdentity("account", email="PAPER@example.org")
    _enter(process, one, vote, who=who)
    assert _enter(process, two, vote, who=who).status == SheetStatus.COUNTED
    with pytest.raises(NotEligible, match="voted on paper"):
        ballots.cast_ballot(
            process, vote.district_id, account_voter(process, user, now=_now(process)), {vote.ids()[0]: 1}
        )
    code = make_codes(vote.id, 1)[0]
    who = PaperIdentity("code", code=code)
    _enter(process, one, vote, number="18", who=who)
    assert _enter(process, two, vote, number="18", who=who).status == SheetStatus.COUNTED
    assert db.session.scalar(select(VoterCode)).used_at is not None
    with pytest.raises(NotEligible, match="No account has this email"):
        _enter(process, one, vote, number="19", who=PaperIdentity("account", email="nobody@example.org"))


def _now(process):
    return process.dates(Phase.VOTING).starts_at + timedelta(hours=1)


def test_typing_slips_are_caught_at_once(setup):
    vote, process, (one, _two, _three) = setup
    with pytest.raises(NotEligible, match="could not find these details"):
        _enter(process, one, vote, who=PaperIdentity("census", id_number="AA1", birth_date=date(1990, 1, 2)))
    with pytest.raises(BallotRejected, match="Choose at least 1 project"):
        _enter(process, one, vote, picks=())


def test_paper_entry_only_in_the_voting_phase_even_after_the_end_time(setup):
    vote, process, (one, two, _three) = setup
    process.dates(Phase.VOTING).ends_at = _now(process)  # polls closed; counting goes on
    _enter(process, one, vote)
    assert _enter(process, two, vote).status == SheetStatus.COUNTED
    process.phase = Phase.RESULTS
    with pytest.raises(VotingClosed):
        _enter(process, one, vote, number="99")


def test_voting_cannot_end_while_a_sheet_waits(setup, make_user):
    vote, process, (one, two, _three) = setup
    admin = db.session.get(User, make_user(Role.ADMIN).id)
    _enter(process, one, vote)
    with pytest.raises(ProcessError, match="wait for their second entry"):
        change_phase(process, Phase.RESULTS, admin, reason="closing")
    _enter(process, two, vote)
    change_phase(process, Phase.RESULTS, admin, reason="closing")
    assert [s.status for s in paper.open_sheets(process)] == []
