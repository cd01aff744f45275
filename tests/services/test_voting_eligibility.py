"""Who may vote: verified accounts, residents only, minimum age, the census list and voter codes."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.processes.models import Phase, Process
from app.voting import ballots, census, codes
from app.voting.eligibility import account_voter, allowed_budgets, check_district, pass_voter
from app.voting.errors import NotEligible, VotingError
from app.voting.models import CensusEntry, Channel, VoterCode


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _now(process: Process) -> datetime:
    return process.dates(Phase.VOTING).starts_at + timedelta(hours=1)


def _user(make_user, **fields) -> User:
    return db.session.get(User, make_user(**fields).id)


def test_a_verified_account_may_vote(ctx, make_vote, make_user):
    process = db.session.get(Process, make_vote().id)
    voter = account_voter(process, _user(make_user), now=_now(process))
    assert voter.channel == Channel.ACCOUNT and voter.kind == "user"


@pytest.mark.parametrize(
    ("process_fields", "user_fields", "reason"),
    [
        ({}, {"verified": False}, "unverified"),
        ({"allow_accounts": False}, {}, "accounts_off"),
        ({"min_age": 16}, {}, "birth_date"),
        ({"min_age": 16}, {"birth_date": date.today() - timedelta(days=365 * 10)}, "age"),
        ({"allow_census": True}, {}, "census_link"),
    ],
)
def test_accounts_that_may_not_vote_are_told_why(
    ctx, make_vote, make_user, process_fields, user_fields, reason
):
    process = db.session.get(Process, make_vote(**process_fields).id)
    with pytest.raises(NotEligible) as err:
        account_voter(process, _user(make_user, **user_fields), now=_now(process))
    assert err.value.reason == reason and str(err.value)


def test_age_is_counted_on_the_last_day_of_voting_in_the_city(ctx, make_vote, make_user):
    from datetime import UTC

    process = db.session.get(Process, make_vote(min_age=16).id)
    # Voting ends at midnight starting 1 June 2030 in London (23:00 UTC): the last day is 31 May.
    process.dates(Phase.VOTING).ends_at = datetime(2030, 5, 31, 23, 0, tzinfo=UTC)
    now = datetime(2030, 5, 20, tzinfo=UTC)
    account_voter(process, _user(make_user, birth_date=date(2014, 5, 31)), now=now)
    with pytest.raises(NotEligible, match="aged 16 and over on May 31, 2030"):
        account_voter(process, _user(make_user, birth_date=date(2014, 6, 1)), now=now)


def test_residents_vote_in_their_own_district_and_the_city_wide_pot(ctx, make_vote, make_district, make_user):
    vote = make_vote(budgets=[10_000_000, 10_000_000], residents_only=True)
    process = db.session.get(Process, vote.id)
    home, other = (b.district_id for b in process.budgets)
    voter = account_voter(process, _user(make_user, district_id=home), now=_now(process))
    assert [b.district_id for b in allowed_budgets(process, voter)] == [home]
    with pytest.raises(NotEligible, match="Only residents of"):
        check_district(process, voter, other)
    homeless = account_voter(process, _user(make_user), now=_now(process))
    with pytest.raises(NotEligible, match="Set the district you live in") as err:
        check_district(process, homeless, home)
    assert err.value.reason == "no_district"
    citywide = make_district("Whole city", citywide=True)
    from app.processes.models import ProcessDistrict

    process.budgets.append(ProcessDistrict(district_id=citywide.id, budget_cents=5_000_000))
    db.session.flush()
    db.session.refresh(process.budgets[-1])
    assert citywide.id in [b.district_id for b in allowed_budgets(process, homeless)]


def test_without_residents_only_everyone_votes_everywhere(ctx, make_vote, make_user):
    process = db.session.get(Process, make_vote(budgets=[1_000, 1_000]).id)
    voter = account_voter(process, _user(make_user), now=_now(process))
    assert len(allowed_budgets(process, voter)) == 2


CSV = """id_number;birth_date;district
AB-123 456;1984-02-29;{d}
CD654321;05.11.2001;
EF111;30/04/1990;{d}
GH222;not a date;
;2000-01-01;
IJ333;2000-01-01;Atlantis
AB123456;1999-09-09;
"""


def test_census_upload_keeps_only_hashes_and_reports_problems(ctx, make_vote, add_census):
    vote = make_vote(min_age=16)
    report = add_census(vote.id, CSV.format(d=vote.district) + "KL444;2020-01-01;\n")
    assert (report.added, report.duplicates, report.under_age, report.skipped) == (3, 1, 1, 3)
    assert [line for line, _problem in report.problems] == [5, 6, 7]
    assert "Atlantis" in report.problems[2][1]
    dump = " ".join(str(v) for row in db.session.execute(sa.select(CensusEntry.__table__)) for v in row)
    for secret in ("AB123456", "AB-123 456", "1984-02-29", "CD654321", "2001-11-05"):
        assert secret not in dump
    entry = census.find_entry(
        db.session.get(Process, vote.id), "ab 123456", birth_date=date(1984, 2, 29), postcode=None
    )
    assert entry.district_id == vote.district_id


def test_census_upload_needs_the_columns(ctx, make_vote, add_census):
    vote = make_vote()
    with pytest.raises(VotingError, match="must name the columns"):
        add_census(vote.id, "name,email\nA,b@example.org\n")


def test_census_postcodes_are_typed_any_way(ctx, make_vote, add_census):
    vote = make_vote()
    add_census(vote.id, "id_number,postcode\nZZ1,rv1 2ab\n")
    process = db.session.get(Process, vote.id)
    assert census.find_entry(process, "zz1", birth_date=None, postcode="RV12AB")
    with pytest.raises(NotEligible, match="could not find these details"):
        census.find_entry(process, "zz1", birth_date=None, postcode="RV1 2AC")


def test_a_census_mismatch_says_the_same_whatever_is_wrong(ctx, make_vote, add_census):
    vote = make_vote()
    add_census(vote.id, "id_number,birth_date\nAA1,1990-01-01\n")
    process = db.session.get(Process, vote.id)
    messages = set()
    for number, born in (("AA1", date(1990, 1, 2)), ("AA2", date(1990, 1, 1)), ("AA1", None)):
        with pytest.raises(NotEligible) as err:
            census.prove_census(process, number, birth_date=born, postcode=None, user=None)
        messages.add(str(err.value))
    assert len(messages) == 1


def test_a_census_entry_unlocks_one_voter(ctx, make_vote, add_census, make_user):
    vote = make_vote(allow_census=True)
    add_census(vote.id, "id_number,birth_date\nAA1,1990-01-01\nBB2,1980-01-01\n")
    process = db.session.get(Process, vote.id)
    rosa, omar = _user(make_user), _user(make_user)
    details = {"birth_date": date(1990, 1, 1), "postcode": None}
    anonymous = census.prove_census(process, "AA1", user=None, **details)
    assert pass_voter(process, "census", anonymous.id).identity == f"census:{anonymous.id}"
    census.prove_census(process, "AA1", user=None, **details)  # the same person again: fine
    linked = census.prove_census(process, "AA1", user=rosa, **details)  # and now with their account
    assert account_voter(process, rosa, now=_now(process)).identity == f"census:{linked.id}"
    with pytest.raises(NotEligible, match="linked to another account"):
        census.prove_census(process, "AA1", user=omar, **details)
    with pytest.raises(NotEligible, match="sign in with it"):
        census.prove_census(process, "AA1", user=None, **details)
    with pytest.raises(NotEligible, match="already linked to other details"):
        census.prove_census(process, "BB2", user=rosa, birth_date=date(1980, 1, 1), postcode=None)


def test_a_census_only_vote_counts_a_linked_account_as_a_census_voter(ctx, make_vote, add_census, make_user):
    vote = make_vote(allow_census=True, allow_accounts=False)
    add_census(vote.id, "id_number,birth_date\nAA1,1990-01-01\n")
    process = db.session.get(Process, vote.id)
    rosa = _user(make_user, verified=False)
    with pytest.raises(NotEligible, match="cannot vote with your account"):
        account_voter(process, rosa, now=_now(process))
    census.prove_census(process, "AA1", birth_date=date(1990, 1, 1), postcode=None, user=rosa)
    assert account_voter(process, rosa, now=_now(process)).channel == Channel.CENSUS


def test_an_account_and_its_census_entry_share_one_ballot(ctx, make_vote, add_census, make_user):
    vote = make_vote(allow_census=True)
    add_census(vote.id, "id_number,birth_date\nAA1,1990-01-01\n")
    process = db.session.get(Process, vote.id)
    rosa = _user(make_user)
    entry = census.prove_census(process, "AA1", birth_date=date(1990, 1, 1), postcode=None, user=None)
    by_census = pass_voter(process, "census", entry.id)
    ballots.cast_ballot(process, vote.district_id, by_census, {vote.ids()[0]: 1})
    census.prove_census(process, "AA1", birth_date=date(1990, 1, 1), postcode=None, user=rosa)
    result = ballots.cast_ballot(
        process, vote.district_id, account_voter(process, rosa, now=_now(process)), {vote.ids()[1]: 1}
    )
    assert result.changed  # the same person: their ballot is changed, not doubled


def test_voter_codes_are_stored_as_hashes_and_work_once(ctx, make_vote, make_codes):
    vote = make_vote(allow_codes=True)
    made = make_codes(vote.id, 5)
    assert len(set(made)) == 5 and all(len(c) == 11 and c[5] == "-" for c in made)
    hashes = set(db.session.scalars(select(VoterCode.code_hash)))
    assert not any(c in h or c.replace("-", "") in h for c in made for h in hashes)
    process = db.session.get(Process, vote.id)
    code = codes.redeem_code(process, made[0].lower().replace("-", " "))
    voter = pass_voter(process, "code", code.id)
    ballots.cast_ballot(process, vote.district_id, voter, {vote.ids()[0]: 1})
    db.session.commit()
    with pytest.raises(NotEligible, match="already been used"):
        codes.redeem_code(process, made[0])
    with pytest.raises(NotEligible, match="do not recognise"):
        codes.redeem_code(process, "AAAAA-AAAAA")
    # The same person can still change that ballot while their pass lasts.
    assert ballots.cast_ballot(process, vote.district_id, voter, {vote.ids()[1]: 1}).changed


def test_codes_of_one_process_do_not_work_in_another(ctx, make_vote, make_codes):
    one, two = make_vote(allow_codes=True), make_vote(allow_codes=True)
    made = make_codes(one.id, 1)
    with pytest.raises(NotEligible):
        codes.redeem_code(db.session.get(Process, two.id), made[0])


def test_codes_come_in_numbered_batches_for_a_district(ctx, make_vote, make_codes):
    vote = make_vote(allow_codes=True, residents_only=True, budgets=[1_000_000, 1_000_000])
    make_codes(vote.id, 2)
    make_codes(vote.id, 3, vote.district_id)
    process = db.session.get(Process, vote.id)
    assert [(b.batch, b.issued, b.district_name) for b in codes.batches(process)] == [
        (1, 2, ""),
        (2, 3, process.budgets[0].district.name),
    ]
    code = db.session.scalar(select(VoterCode).where(VoterCode.batch == 2))
    voter = pass_voter(process, "code", code.id)
    assert [b.district_id for b in allowed_budgets(process, voter)] == [vote.district_id]


def test_code_batches_are_limited(ctx, make_vote, make_codes):
    vote = make_vote(allow_codes=True)
    with pytest.raises(VotingError, match="between 1 and 2000"):
        make_codes(vote.id, 2001)
