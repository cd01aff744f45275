"""Running a vote: turnout for admins, census upload, voter code sheets, paper entry by officers."""

import io
import re

from sqlalchemy import func, select

from app.auth.models import Role
from app.extensions import db
from app.processes.models import Phase, Process
from app.voting.models import Ballot, Channel, VoterCode


def test_admins_see_turnout_by_district_and_channel_but_no_choices(app, login, make_vote):
    vote = make_vote(allow_codes=True, allow_paper=True)
    voter, _user = login(Role.RESIDENT)
    voter.post(vote.url("cast"), data={"p": [vote.ids()[0]]})
    admin, _admin = login(Role.ADMIN)
    assert f"/admin/processes/{vote.id}/voting/" in admin.get(f"/admin/processes/{vote.id}").text
    page = admin.get(f"/admin/processes/{vote.id}/voting/").text
    assert "1 ballot cast so far." in page
    assert not any(p.title in page for p in vote.projects)  # nobody sees per-project figures
    # at phone width each row is a block whose values carry their column's name
    assert 'class="table table-stack"' in page
    assert '<td class="num" data-label="Account">1</td>' in page and 'data-label="Imported"' in page
    csv = admin.get(f"/admin/processes/{vote.id}/voting/turnout.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    lines = csv.text.splitlines()
    assert lines[0] == "district,account,census,code,paper,import,total" and lines[-1] == "all,1,0,0,0,0,1"


def test_admin_uploads_a_census_list(app, login, make_vote):
    vote = make_vote(allow_census=True)
    admin, _ = login(Role.ADMIN)
    data = {
        "file": (io.BytesIO("id_number,birth_date\nA1,1990-01-01\nB2,oops\n".encode("cp1252")), "list.csv")
    }
    page = admin.post(
        f"/admin/processes/{vote.id}/voting/census", data=data, content_type="multipart/form-data"
    )
    assert page.status_code == 200 and "Added 1 people" in page.text and "Line 3:" in page.text
    assert "1 people are on the list" in page.text
    bad = admin.post(
        f"/admin/processes/{vote.id}/voting/census",
        data={"file": (io.BytesIO(b"name\nx\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert "must name the columns" in bad.text


def test_admin_makes_a_printable_sheet_of_codes_that_work(app, login, client, make_vote):
    vote = make_vote(allow_codes=True)
    admin, _ = login(Role.ADMIN)
    sheet = admin.post(f"/admin/processes/{vote.id}/voting/codes", data={"count": "4", "output": "sheet"})
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    codes = re.findall(r'class="code-slip-code">([A-Z0-9]{5}-[A-Z0-9]{5})<', sheet.text)
    assert len(codes) == 4 and "data-print" in sheet.text
    assert client.post(f"/processes/{vote.slug}/vote/code", data={"code": codes[0]}).status_code == 302
    csv = admin.post(
        f"/admin/processes/{vote.id}/voting/codes",
        data={"count": "2", "output": "csv", "district_id": str(vote.district_id)},
    )
    assert csv.mimetype == "text/csv" and len(csv.text.splitlines()) == 3
    listing = admin.get(f"/admin/processes/{vote.id}/voting/codes").text
    assert '<td data-label="Batch">1</td>' in listing and '<td data-label="Batch">2</td>' in listing
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(VoterCode)) == 6
    too_many = admin.post(
        f"/admin/processes/{vote.id}/voting/codes", data={"count": "5000", "output": "sheet"}
    )
    assert too_many.status_code == 200 and "error-summary" in too_many.text


def test_two_officers_enter_a_paper_ballot(app, login, make_vote, make_user):
    vote = make_vote(allow_paper=True)
    make_user(email="paper-voter@example.org")
    one, _ = login(Role.OFFICER)
    two, _ = login(Role.OFFICER)
    assert "Enter paper ballots" in one.get(f"/processes/{vote.slug}").text
    url = f"/admin/processes/{vote.id}/voting/paper?district={vote.district_id}"
    form = {"number": "A-1", "identity": "account", "email": "paper-voter@example.org", "p": [vote.ids()[1]]}
    first = one.post(url, data=form)
    assert first.status_code == 302
    assert "Another officer must now enter it a second time" in one.get(first.headers["Location"]).text
    assert "Sheet A-1" in two.get(url).text
    second = two.post(url, data=form)
    assert "the ballot is counted" in two.get(second.headers["Location"]).text
    with app.app_context():
        assert db.session.scalar(select(Ballot)).channel == Channel.PAPER
    again = one.post(url, data={**form, "number": "A-2"})
    assert again.status_code == 302  # waits; the second entry will find the person has voted
    missing = one.post(url, data={**form, "number": "A-3", "email": ""})
    assert "Fill this in for the identity chosen above." in missing.text


def test_paper_entry_is_only_for_processes_that_take_paper(login, make_vote):
    vote = make_vote()
    officer, _ = login(Role.OFFICER)
    assert officer.get(f"/admin/processes/{vote.id}/voting/paper").status_code == 404


def test_census_list_cannot_change_after_voting(app, login, make_vote):
    vote = make_vote(allow_census=True)
    with app.app_context():
        db.session.get(Process, vote.id).phase = Phase.RESULTS
        db.session.commit()
    admin, _ = login(Role.ADMIN)
    data = {"file": (io.BytesIO(b"id_number,birth_date\nA1,1990-01-01\n"), "list.csv")}
    page = admin.post(
        f"/admin/processes/{vote.id}/voting/census", data=data, content_type="multipart/form-data"
    )
    assert "cannot change any more" in page.text
