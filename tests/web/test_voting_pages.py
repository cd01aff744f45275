"""The ballot in a browser without JavaScript: choose, get told what is wrong, review, cast, change;
sign in, a voter code or the census list in the middle; closing time; secrecy on the page."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.core.outbox import MailStatus, OutboxMessage
from app.db import utcnow
from app.extensions import db
from app.processes.models import BallotType, Phase, Process, ProcessPhase
from app.voting.models import Ballot, VoterCode
from tests.conftest import PASSWORD


def _draft(client, vote, ids) -> str:
    """The token of the draft that sending the ballot form made."""
    resp = client.post(vote.url("review"), data={"p": ids})
    return re.search(r"[?&]d=([^&]+)", resp.headers["Location"]).group(1)


def _review(client, vote, data):
    """Send the ballot form to the review page; a checked ballot is kept as a draft and shown."""
    resp = client.post(vote.url("review"), data=data if isinstance(data, dict) else {"p": data})
    if resp.status_code in (302, 303):
        assert "d=" in resp.headers["Location"] and "p=" not in resp.headers["Location"]
        return client.get(resp.headers["Location"])
    return resp


def test_the_process_page_invites_to_vote(client, make_vote):
    vote = make_vote()
    page = client.get(f"/processes/{vote.slug}").text
    assert "Vote now" in page and f"/processes/{vote.slug}/vote" in page


def test_a_resident_votes_without_javascript(app, login, make_vote, outbox):
    vote = make_vote(BallotType.KNAPSACK)
    client, user = login(Role.RESIDENT)
    ballot = client.get(vote.url())
    assert ballot.status_code == 200 and "€100,000 left of €100,000" in ballot.text
    assert "fieldset" in ballot.text and "<legend>" in ballot.text
    a, b, c = vote.ids()
    over = _review(client, vote, [a, b, c])
    assert over.status_code == 200 and "which is €20,000 more than the budget of €100,000" in over.text
    assert over.text.count("checked") == 3 and 'class="error-summary"' in over.text  # choices kept
    assert "€20,000 over the budget of €100,000" in over.text  # the bar, as drawn by the server
    review = _review(client, vote, [a, c])
    assert "Cast my vote" in review.text and "€80,000 of €100,000" in review.text
    cast = client.post(vote.url("cast"), data={"p": [a, c]})
    assert cast.status_code == 302 and "/done" in cast.headers["Location"]
    done = client.get(cast.headers["Location"]).text
    receipt = re.search(r'id="receipt">([A-Z0-9-]{14})<', done).group(1)
    assert "Thank you, your vote is recorded" in done
    mail = outbox[-1]
    assert mail["To"] == user.email and receipt in mail.get_content()
    assert not any(p.title in mail.get_content() for p in vote.projects)  # nor how they voted
    lines = mail.get_content().splitlines()
    link = next(line for line in lines if "/done" in line)
    assert link.startswith("http") and lines[lines.index(link) - 1].endswith(":")  # the link on its own line


def test_changing_the_vote(login, make_vote, outbox):
    vote = make_vote(BallotType.APPROVAL)
    client, _user = login(Role.RESIDENT)
    a, b, _c = vote.ids()
    client.post(vote.url("cast"), data={"p": [a]})
    page = client.get(vote.url()).text
    assert re.search(rf'value="{a}" checked', page)  # the ballot shows the vote cast
    cast = client.post(vote.url("cast"), data={"p": [b]})
    assert "Your vote is changed" in client.get(cast.headers["Location"]).text
    assert "changed" in outbox[-1]["Subject"]


def _receipt_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_receipt_is_built_and_sent_after_the_answer(app, login, make_vote, outbox):
    vote = make_vote(BallotType.APPROVAL)
    client, user = login(Role.RESIDENT, locale="es")
    a, _b, _c = vote.ids()
    cast = client.post(vote.url("cast"), data={"p": [a]}, buffered=False)  # as a server streams it
    assert cast.status_code == 302 and outbox == []  # not in the request
    assert [r.status for r in _receipt_rows(app)] == [MailStatus.PENDING]  # committed with the ballot
    cast.close()  # the server has sent the answer
    assert len(outbox) == 1 and outbox[0]["To"] == user.email
    assert outbox[0]["Subject"].startswith("Su voto") and "Hola" in outbox[0].get_content()  # in Spanish
    (row,) = _receipt_rows(app)
    assert row.status == MailStatus.SENT and row.sent_at is not None


def test_a_receipt_that_cannot_be_sent_waits_for_another_try(
    app, login, make_vote, outbox, monkeypatch, caplog
):
    vote = make_vote(BallotType.APPROVAL)
    client, user = login(Role.RESIDENT)
    a, _b, _c = vote.ids()

    def broken(*_args):
        raise OSError("mail server down")

    monkeypatch.setattr("app.core.outbox.deliver", broken)
    cast = client.post(vote.url("cast"), data={"p": [a]})
    assert cast.status_code == 302 and "/done" in cast.headers["Location"]  # the vote stands
    assert outbox == []
    (row,) = _receipt_rows(app)
    assert row.status == MailStatus.PENDING and row.last_error == "OSError: mail server down"
    assert row.next_attempt_at > row.created_at and row.attempts == 1
    logged = [r for r in caplog.records if r.name == "app.core.outbox" and r.levelname == "WARNING"]
    assert len(logged) == 1 and user.email in logged[0].getMessage()


def test_a_cast_whose_receipt_cannot_be_queued_saves_nothing(app, login, make_vote, monkeypatch, outbox):
    vote = make_vote(BallotType.APPROVAL)
    client, _user = login(Role.RESIDENT)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("app.core.outbox.enqueue", broken)
    with pytest.raises(RuntimeError):  # an error page in production; no commit either way
        client.post(vote.url("cast"), data={"p": [vote.ids()[0]]})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    assert _receipt_rows(app) == [] and outbox == []


def test_sending_the_same_ballot_again_sends_no_second_receipt(app, login, make_vote, outbox):
    vote = make_vote(BallotType.APPROVAL)
    client, _user = login(Role.RESIDENT)
    a, b, _c = vote.ids()
    receipts = []
    for choices in ([a, b], [a, b], [a]):  # a double tap, then a real change
        done = client.get(client.post(vote.url("cast"), data={"p": choices}).headers["Location"]).text
        receipts.append(re.search(r'id="receipt">([A-Z0-9-]{14})<', done).group(1))
    assert receipts[0] == receipts[1] != receipts[2]
    assert [m["Subject"].split(":")[0] for m in outbox] == ["Your vote is cast", "Your vote is changed"]
    assert receipts[0] in outbox[0].get_content() and receipts[2] in outbox[1].get_content()
    assert len(_receipt_rows(app)) == 2


def test_a_tampered_choice_is_refused(app, login, make_vote):
    vote = make_vote(budgets=[10_000_000, 10_000_000])
    client, _user = login(Role.RESIDENT)
    with app.app_context():
        other = vote.ids(db.session.get(Process, vote.id).budgets[1].district_id)[0]
    resp = client.post(vote.url("cast"), data={"p": [other]})
    assert resp.status_code == 400 and "not on this ballot" in resp.text
    resp = client.post(vote.url("cast"), data={"p": ["x"]})
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_points_ballot_keeps_what_was_typed(login, make_vote):
    vote = make_vote(BallotType.CUMULATIVE, total_points=10, max_points_per_project=6)
    client, _user = login(Role.RESIDENT)
    a, b, c = vote.ids()
    resp = _review(client, vote, {f"pts_{a}": "6", f"pts_{b}": "5", f"pts_{c}": "abc"})
    assert "Enter a whole number of points" in resp.text and 'value="6"' in resp.text
    resp = _review(client, vote, {f"pts_{a}": "6", f"pts_{b}": "5", f"pts_{c}": "0"})
    assert "You have given 11 points, 1 more than the 10 you have" in resp.text
    assert "Too many points: 11 of 10" in resp.text
    resp = client.post(vote.url("cast"), data={f"pts_{a}": "6", f"pts_{b}": "4"})
    assert resp.status_code == 302


def test_signing_in_in_the_middle_keeps_the_choices(app, client, make_user, make_vote):
    vote = make_vote(BallotType.APPROVAL)
    make_user(email="mid@example.org")
    a, b, _c = vote.ids()
    review = _review(client, vote, [a, b])
    assert "Sign in to vote" in review.text and "Cast my vote" not in review.text
    login_link = re.search(r'href="(/login\?next=[^"]+)"', review.text).group(1).replace("&amp;", "&")
    form_page = client.get(login_link).text
    next_value = (
        re.search(r'name="next" type="hidden" value="([^"]+)"', form_page).group(1).replace("&amp;", "&")
    )
    signed_in = client.post(
        "/login", data={"email": "mid@example.org", "password": PASSWORD, "next": next_value}
    )
    assert signed_in.status_code == 302
    back = client.get(signed_in.headers["Location"])
    assert "Cast my vote" in back.text and back.text.count('name="p"') == 2


def test_casting_without_a_voter_goes_to_the_ways_to_vote_and_back_to_the_draft(client, make_vote):
    vote = make_vote()
    a = vote.ids()[0]
    token = _draft(client, vote, [a])
    resp = client.post(vote.url("cast"), data={"p": [a], "d": token})
    assert resp.status_code == 302 and f"/processes/{vote.slug}/vote?next=" in resp.headers["Location"]
    assert f"d%3D{token}" in resp.headers["Location"]


def test_a_voter_code_lets_a_person_vote_without_an_account(app, client, make_vote, make_codes):
    vote = make_vote(allow_codes=True)
    code = make_codes(vote.id, 1)[0]
    a = vote.ids()[0]
    wrong = client.post(f"/processes/{vote.slug}/vote/code", data={"code": "AAAAA-BBBBB"})
    assert wrong.status_code == 200 and "We do not recognise this code" in wrong.text
    next_url = _review(client, vote, [a]).request.full_path.rstrip("?")
    resp = client.post(f"/processes/{vote.slug}/vote/code", data={"code": code.lower(), "next": next_url})
    assert resp.status_code == 302 and resp.headers["Location"] == next_url
    assert "Cast my vote" in client.get(next_url).text
    cast = client.post(vote.url("cast"), data={"p": [a]})
    done = client.get(cast.headers["Location"]).text
    assert "You are voting with a voter code" in done and "Finish" in done
    with app.app_context():
        assert db.session.scalar(select(VoterCode)).used_at is not None
    client.post(f"/processes/{vote.slug}/vote/finish")
    assert client.get(vote.url("done")).status_code == 302  # the pass is gone from this device
    again = client.post(f"/processes/{vote.slug}/vote/code", data={"code": code})
    assert "already been used" in again.text


def test_the_census_list_lets_a_person_vote(app, client, make_vote, add_census):
    vote = make_vote(allow_census=True)
    add_census(vote.id, "id_number,birth_date\nXY-987,1975-06-30\n")
    start = client.get(f"/processes/{vote.slug}/vote").text
    assert "Identity number" in start and "Date of birth" in start and "Postcode" not in start
    bad = client.post(
        f"/processes/{vote.slug}/vote/census", data={"id_number": "XY987", "birth_date": "1975-06-29"}
    )
    assert "could not find these details" in bad.text
    good = client.post(
        f"/processes/{vote.slug}/vote/census", data={"id_number": "xy 987", "birth_date": "1975-06-30"}
    )
    assert good.status_code == 302
    cast = client.post(vote.url("cast"), data={"p": [vote.ids()[0]]})
    assert cast.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Ballot)).channel == "census"


def test_a_signed_in_resident_links_the_census_once(app, login, make_vote, add_census):
    vote = make_vote(allow_census=True)
    add_census(vote.id, "id_number,birth_date\nXY-987,1975-06-30\n")
    client, _user = login(Role.RESIDENT)
    start = client.get(f"/processes/{vote.slug}/vote").text
    assert "Confirm you are on the voters' list" in start and "Sign in to vote" not in start
    client.post(
        f"/processes/{vote.slug}/vote/census", data={"id_number": "XY987", "birth_date": "1975-06-30"}
    )
    assert "You are voting as" in client.get(f"/processes/{vote.slug}/vote").text


def test_code_and_census_attempts_are_rate_limited(client, make_vote):
    vote = make_vote(allow_codes=True)
    codes = [
        client.post(f"/processes/{vote.slug}/vote/code", data={"code": "AAAAA-AAAAA"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_code_attempts_are_rate_limited_per_process_across_addresses(client, make_vote):
    vote = make_vote(allow_codes=True)
    statuses = [
        client.post(
            f"/processes/{vote.slug}/vote/code",
            data={"code": "AAAAA-AAAAA"},
            environ_base={"REMOTE_ADDR": f"10.0.{n // 200}.{n % 200}"},
        ).status_code
        for n in range(101)
    ]
    assert statuses[-1] == 429 and statuses[:100] == [200] * 100


def test_casting_after_the_end_is_refused_clearly(app, login, make_vote):
    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    review = _review(client, vote, [vote.ids()[0]])
    assert "Cast my vote" in review.text
    with app.app_context():
        db.session.scalar(select(ProcessPhase)).ends_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    resp = client.post(vote.url("cast"), data={"p": [vote.ids()[0]]})
    assert (
        resp.status_code == 403
        and "Your vote was not recorded" in resp.text
        and "Voting closed on" in resp.text
    )
    assert "Voting closed on" in client.get(vote.url()).text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_residents_only_turns_others_away(app, login, make_vote):
    vote = make_vote(residents_only=True)
    client, _user = login(Role.RESIDENT)
    start = client.get(f"/processes/{vote.slug}/vote").text
    assert "There is no ballot for your district" in start
    review = _review(client, vote, [vote.ids()[0]])
    assert "Only residents of" in review.text and "Cast my vote" not in review.text
    resp = client.post(vote.url("cast"), data={"p": [vote.ids()[0]]})
    assert resp.status_code == 403 and "Set the district you live in" in resp.text


def test_projects_come_in_a_stable_order_of_each_voters_own(app, login, make_vote, make_project):
    vote = make_vote(costs=[[100 * (n + 1) for n in range(9)]])

    def order(client):
        return re.findall(r'data-project="(\d+)"', client.get(vote.url()).text)

    one, _ = login(Role.RESIDENT)
    two, _ = login(Role.RESIDENT)
    assert order(one) == order(one) and sorted(order(one)) == sorted(order(two))
    assert order(one) != order(two)  # 1 chance in 362,880 of failing


def test_the_ballot_page_needs_no_inline_script_or_style(login, make_vote, make_image, app):
    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    page = client.get(vote.url()).text
    assert "<script>" not in page and " style=" not in page and "onclick" not in page
    assert 'src="/static/js/ballot.js' in page


def test_the_project_page_and_photos(app, client, make_vote, make_image):
    vote = make_vote()
    image = make_image()
    with app.app_context():
        from app.processes.models import Project

        project = db.session.get(Project, vote.ids()[0])
        project.image_id = image.id
        project.description = "**Big** benches"
        db.session.commit()
    ballot = client.get(vote.url()).text
    assert f"/media/{image.key}-thumb.jpg" in ballot and 'loading="lazy"' in ballot
    page = client.get(vote.url(f"projects/{vote.ids()[0]}")).text
    assert "<strong>Big</strong> benches" in page and f"/media/{image.key}-large.jpg" in page
    assert client.get(vote.url("projects/999999")).status_code == 404


def test_draft_processes_and_unknown_districts_are_not_found(client, make_process, make_vote):
    draft = make_process(Phase.DRAFT)
    assert client.get(f"/processes/{draft.slug}/vote").status_code == 404
    vote = make_vote()
    assert client.get(f"/processes/{vote.slug}/ballot/nowhere").status_code == 404


def test_the_last_reviewed_draft_comes_back_on_the_ballot(login, make_vote):
    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    a, b, _c = vote.ids()
    _review(client, vote, [a, b])
    page = client.get(vote.url()).text
    assert re.search(rf'value="{a}" checked', page) and re.search(rf'value="{b}" checked', page)
    assert 'data-source="draft"' in page


def test_no_choice_ever_appears_in_an_address(login, make_vote):
    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    a, b, _c = vote.ids()
    review = _review(client, vote, [a, b])  # asserts the redirect carries only the draft token
    addresses = re.findall(r'(?:href|action)="([^"]+)"', review.text)
    assert addresses and not any(re.search(r"[?&](p|pts_\d+)=", url) for url in addresses)
    assert 'method="get"' not in client.get(vote.url()).text


def test_an_unknown_or_foreign_draft_leads_back_to_the_ballot(client, make_vote):
    one, two = make_vote(), make_vote()
    token = _draft(client, one, [one.ids()[0]])
    assert client.get(two.url("review") + f"?d={token}").status_code == 302
    assert client.get(one.url("review") + "?d=nonsense").status_code == 302
    assert client.get(one.url("review") + f"?d={token}").status_code == 200


def test_drafts_are_deleted_once_cast_and_purged_when_old(app, login, make_vote):
    from datetime import timedelta

    from app.voting.models import BallotDraft

    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    token = _draft(client, vote, [vote.ids()[0]])
    with app.app_context():
        db.session.get(BallotDraft, token).created_at = utcnow() - timedelta(days=3)
        db.session.commit()
    _review(client, vote, [vote.ids()[1]])  # saving a new draft purges the old one
    with app.app_context():
        assert db.session.get(BallotDraft, token) is None
        token = db.session.scalar(select(BallotDraft.id))
    client.post(vote.url("cast"), data={"p": [vote.ids()[1]], "d": token})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BallotDraft)) == 0


def test_the_ballot_page_query_count_does_not_grow_with_projects(app, login, make_vote, make_project):
    from tests.web.query_counter import count_queries

    vote = make_vote()
    client, _user = login(Role.RESIDENT)
    few = count_queries(app, lambda: client.get(vote.url()))
    with app.app_context():
        process = db.session.get(Process, vote.id)
    for _ in range(5):
        make_project(process)
    assert count_queries(app, lambda: client.get(vote.url())) == few
