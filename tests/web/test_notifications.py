"""Notification pages: the list, e-mail settings, and the one-click unsubscribe link from an e-mail."""

from app.extensions import db
from app.notifications import services
from app.processes.models import Phase
from app.proposals.models import ProposalStatus
from tests.conftest import link_in


def _notify(app, user, message="Your proposal is on the ballot.", kind="status"):
    with app.test_request_context():
        services.notify([db.session.merge(user)], kind, message, "/processes")
        db.session.commit()


def test_the_list_shows_unread_first_and_marks_all_read(app, login):
    client, user = login()
    _notify(app, user)
    page = client.get("/notifications").text
    assert "Your proposal is on the ballot." in page and 'class="notification unread"' in page
    assert "1 unread" in page
    client.post("/notifications/read")
    page = client.get("/notifications").text
    assert "0 unread" in page and 'unread"' not in page


def test_someone_else_never_sees_my_notifications(app, login):
    _client, me = login()
    _notify(app, me, "Only for me")
    other, _ = login()
    assert "Only for me" not in other.get("/notifications").text


def test_settings_turn_email_off_by_kind(app, login, outbox):
    client, user = login()
    page = client.get("/notifications/settings").text
    assert "Someone replies to your comment" in page and page.count("checked") == len(services.KINDS)
    data = {f"email_{kind}": "y" for kind in services.KINDS if kind != "comment"}
    assert client.post("/notifications/settings", data=data).status_code == 302
    _notify(app, user, "A comment", kind="comment")
    _notify(app, user, "A status", kind="status")
    assert [m["Subject"] for m in outbox] == ["A status"]
    assert 'name="email_comment" type="checkbox" value="y">' in client.get("/notifications/settings").text


def test_a_status_change_reaches_followers_by_email_with_an_unsubscribe_link(
    app, login, make_process, make_proposal, outbox
):
    follower_client, follower = login()
    proposal = make_proposal(make_process(Phase.REVIEW), status=ProposalStatus.UNDER_REVIEW)
    follower_client.post(f"/proposals/{proposal.id}/follow")
    officer, _ = login("officer")
    officer.post(f"/officer/proposals/{proposal.id}/review/reject", data={"reject-reason": "Private land"})
    mail = next(m for m in outbox if m["To"] == follower.email)
    assert "was not accepted" in mail["Subject"] and f"/proposals/{proposal.id}" in mail.get_content()
    unsubscribe = link_in(mail, "/unsubscribe/")
    assert mail["List-Unsubscribe"] == f"<http://localhost{unsubscribe}>"
    page = follower_client.get("/notifications").text
    assert "was not accepted for the ballot" in page and f'href="/proposals/{proposal.id}"' in page


def test_bad_unsubscribe_links_are_refused(client):
    resp = client.get("/unsubscribe/forged")
    assert resp.status_code == 400 and "not valid" in resp.text
