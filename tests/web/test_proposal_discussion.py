"""Discussion pages: comments, replies, edits, tombstones, reports and rate limits."""

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.processes.models import Phase
from app.proposals.models import Comment, Flag, Visibility


def _comments(app) -> list[Comment]:
    with app.app_context():
        return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def test_comment_and_reply(app, login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    url = f"/proposals/{proposal.id}"
    alice, _ = login(display_name="Alice")
    bob, _ = login(display_name="Bob")
    resp = alice.post(f"{url}/comments", data={"body": "Where exactly?"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#comment-1")
    resp = bob.post(f"{url}/comments", data={"body": "By the **old mill**.", "parent_id": "1"})
    assert resp.status_code == 302
    page = alice.get(url).text
    assert (
        "Where exactly?" in page
        and "<strong>old mill</strong>" in page
        and 'Comments <span class="muted">(2)</span>' in page
    )
    assert page.index('id="comment-1"') < page.index('class="replies"') < page.index('id="comment-2"')
    assert [c.parent_id for c in _comments(app)] == [None, 1]


def test_an_empty_or_scripted_comment_is_explained_and_kept(app, login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    client, _ = login()
    resp = client.post(f"/proposals/{proposal.id}/comments", data={"body": "   "})
    assert resp.status_code == 200 and 'id="body-error"' in resp.text and "Write your comment." in resp.text
    resp = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Look <script>alert(1)</script>"})
    assert "Remove the HTML code" in resp.text and "Look &lt;script&gt;" in resp.text
    assert "<script>" not in resp.text
    resp = client.post(f"/proposals/{proposal.id}/comments", data={"body": "x" * 5001})
    assert "under 5000 characters" in resp.text
    assert _comments(app) == []


def test_a_bad_reply_shows_its_error_in_the_reply_box(app, login, make_process, make_proposal, make_comment):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    top = make_comment(proposal, body="First")
    client, _ = login()
    resp = client.post(f"/proposals/{proposal.id}/comments", data={"body": "", "parent_id": str(top.id)})
    assert f'id="reply-{top.id}-error"' in resp.text and '<details class="reply-box" open>' in resp.text


def test_anonymous_visitors_are_asked_to_sign_in(client, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Sign in to comment" in page and "Sign in to support it" in page
    assert client.post(f"/proposals/{proposal.id}/comments", data={"body": "hi"}).status_code == 302


def test_edit_your_own_comment_for_15_minutes(app, login, make_process, make_proposal, make_comment):
    client, author = login()
    other, _ = login()
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    comment = make_comment(proposal, author=author, body="Frist")
    assert other.get(f"/comments/{comment.id}/edit").status_code == 403
    page = client.get(f"/proposals/{proposal.id}").text
    assert f"/comments/{comment.id}/edit" in page
    assert "Frist</textarea>" in client.get(f"/comments/{comment.id}/edit").text
    resp = client.post(f"/comments/{comment.id}/edit", data={"body": "First"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"#comment-{comment.id}")
    assert "edited" in client.get(f"/proposals/{proposal.id}").text
    with app.app_context():
        row = db.session.get(Comment, comment.id)
        row.created_at -= timedelta(minutes=16)
        db.session.commit()
    assert f"/comments/{comment.id}/edit" not in client.get(f"/proposals/{proposal.id}").text
    resp = client.post(f"/comments/{comment.id}/edit", data={"body": "Too late"})
    assert "first 15 minutes" in resp.text and _comments(app)[0].body == "First"


def test_delete_your_own_comment_leaves_a_tombstone(app, login, make_process, make_proposal, make_comment):
    client, author = login()
    other, _ = login()
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    comment = make_comment(proposal, author=author, body="Oops, my address")
    make_comment(proposal, parent=comment, body="A reply")
    assert other.post(f"/comments/{comment.id}/delete").status_code == 403
    client.post(f"/comments/{comment.id}/delete")
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Oops, my address" not in page and "deleted by its author" in page and "A reply" in page


def test_report_a_proposal_and_a_comment(app, login, make_process, make_proposal, make_comment):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    comment = make_comment(proposal, body="Spam spam")
    client, _ = login()
    page = client.get(f"/proposals/{proposal.id}/flag").text
    assert "Spam or advertising" in page
    resp = client.post(f"/proposals/{proposal.id}/flag", data={"reason": "other"})
    assert 'id="details-error"' in resp.text and "Say what is wrong." in resp.text
    assert client.post(f"/proposals/{proposal.id}/flag", data={"reason": "spam"}).status_code == 302
    resp = client.post(f"/proposals/{proposal.id}/flag", data={"reason": "spam"})
    assert "already reported" in resp.text
    resp = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    assert resp.headers["Location"].endswith(f"#comment-{comment.id}")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 2


def test_three_reports_hide_a_comment_until_an_officer_looks(
    app, login, make_process, make_proposal, make_comment
):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    comment = make_comment(proposal, body="Rude words here")
    for _ in range(3):
        client, _ = login()
        client.post(f"/comments/{comment.id}/flag", data={"reason": "offensive"})
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Rude words here" not in page and "until a moderator has looked at it" in page
    assert _comments(app)[0].visibility == Visibility.HELD


def test_comments_are_rate_limited(login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    client, _ = login()
    for n in range(10):
        assert (
            client.post(f"/proposals/{proposal.id}/comments", data={"body": f"Comment {n}"}).status_code
            == 302
        )
    resp = client.post(f"/proposals/{proposal.id}/comments", data={"body": "One too many"})
    assert resp.status_code == 429 and "Too many attempts" in resp.text
    other, _ = login()  # counted per person, not per address
    assert other.post(f"/proposals/{proposal.id}/comments", data={"body": "Mine"}).status_code == 302


def test_comments_on_a_draft_are_not_found(login, make_process, make_proposal):
    from app.proposals.models import ProposalStatus

    draft = make_proposal(make_process(Phase.PROPOSALS), status=ProposalStatus.DRAFT)
    client, _ = login()
    assert client.post(f"/proposals/{draft.id}/comments", data={"body": "hi"}).status_code == 404
