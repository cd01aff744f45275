"""Officers' pages: the dashboard, moderation, blocking, the review queue and decisions."""

from sqlalchemy import select

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.extensions import db
from app.processes.models import Phase, Project
from app.proposals.models import Flag, FlagReason, Proposal, ProposalStatus, Visibility

S = ProposalStatus


def _flag(app, target, n=1, make_user=None):
    with app.app_context():
        for _ in range(n):
            reporter = make_user()
            column = "proposal_id" if isinstance(target, Proposal) else "comment_id"
            db.session.add(Flag(reporter_id=reporter.id, reason=FlagReason.SPAM, **{column: target.id}))
        db.session.commit()


def test_the_dashboard_shows_the_queues(app, login, make_user, make_process, make_proposal):
    review = make_process(Phase.REVIEW)
    make_proposal(review, status=S.UNDER_REVIEW)
    _flag(app, make_proposal(make_process(Phase.PROPOSALS)), make_user=make_user)
    officer, _ = login(Role.OFFICER)
    page = officer.get("/officer/").text
    assert "Moderation queue" in page and f"Review queue: {review.title}" in page
    assert page.count("1 waiting") == 2
    resident, _ = login()
    assert resident.get("/officer/").status_code == 403
    assert "/officer/" in officer.get("/").text and "/officer/" not in resident.get("/").text


def test_hide_with_a_public_reason_then_restore(app, login, make_user, make_process, make_proposal, client):
    process = make_process(Phase.PROPOSALS)
    proposal = make_proposal(process, title="Buy my watches")
    _flag(app, proposal, make_user=make_user)
    officer, _ = login(Role.OFFICER)
    page = officer.get("/officer/moderation").text
    assert "Buy my watches" in page and "Spam or advertising" in page
    url = f"/officer/moderation/proposal/{proposal.id}"
    resp = officer.post(f"{url}/hide", data={"reason": ""})
    assert resp.status_code == 400 and f'id="reason-proposal-{proposal.id}-error"' in resp.text
    assert officer.post(f"{url}/hide", data={"reason": "Advertising"}).status_code == 302
    public = client.get(f"/proposals/{proposal.id}").text
    assert "Advertising" in public and "Buy my watches" not in public
    assert "Buy my watches" not in client.get(f"/processes/{process.slug}/proposals").text
    assert "Buy my watches" in officer.get("/officer/moderation?show=hidden").text
    officer.post(f"{url}/restore")
    assert "Buy my watches" in client.get(f"/proposals/{proposal.id}").text
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["proposal.hidden", "proposal.restored"]


def test_dismissing_reports_on_a_held_comment(
    app, login, make_user, make_process, make_proposal, make_comment
):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    comment = make_comment(proposal, body="I disagree strongly", visibility=Visibility.HELD)
    _flag(app, comment, 3, make_user=make_user)
    officer, _ = login(Role.OFFICER)
    assert "I disagree strongly" in officer.get("/officer/moderation").text
    officer.post(f"/officer/moderation/comment/{comment.id}/dismiss")
    assert "Nothing to look at" in officer.get("/officer/moderation").text
    assert "I disagree strongly" in officer.get(f"/proposals/{proposal.id}").text


def test_unknown_moderation_actions_are_not_found(login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    officer, _ = login(Role.OFFICER)
    assert officer.post(f"/officer/moderation/proposal/{proposal.id}/delete").status_code == 404
    assert officer.post(f"/officer/moderation/user/{proposal.id}/hide").status_code == 404


def test_block_and_unblock(app, login, make_process, make_proposal):
    officer, _ = login(Role.OFFICER)
    troll_client, troll = login()
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    resp = officer.post(f"/officer/users/{troll.id}/block", data={"days": "0", "reason": "Insults"})
    assert 'id="days-error"' in resp.text
    resp = officer.post(f"/officer/users/{troll.id}/block", data={"days": "7", "reason": "Insults"})
    assert resp.status_code == 302
    assert "Blocked until" in officer.get(f"/officer/users/{troll.id}/block").text
    page = troll_client.post(f"/proposals/{proposal.id}/comments", data={"body": "More insults"}).text
    assert "blocked from taking part" in page
    officer.post(f"/officer/users/{troll.id}/unblock")
    assert troll_client.post(f"/proposals/{proposal.id}/comments", data={"body": "Sorry"}).status_code == 302
    other_officer, colleague = login(Role.OFFICER)
    resp = other_officer.post(f"/officer/users/{colleague.id}/block", data={"days": "1", "reason": "x"})
    assert "cannot be blocked" in resp.text


def test_accept_onto_the_ballot_from_the_review_page(app, login, make_process, make_proposal, client):
    process = make_process(Phase.REVIEW)
    proposal = make_proposal(
        process, status=S.UNDER_REVIEW, title="River benches", estimated_cost_cents=900_000
    )
    officer, _ = login(Role.OFFICER)
    assert "River benches" in officer.get(f"/officer/processes/{process.id}/review").text
    page = officer.get(f"/officer/proposals/{proposal.id}/review").text
    assert 'value="9000"' in page and "Ask for changes" in page
    url = f"/officer/proposals/{proposal.id}/review"
    resp = officer.post(f"{url}/accept", data={"accept-cost": "-1", "accept-feasibility_note": ""})
    assert resp.status_code == 400 and 'id="accept-cost-error"' in resp.text
    assert 'id="accept-feasibility_note-error"' in resp.text
    resp = officer.post(
        f"{url}/accept", data={"accept-cost": "9,500", "accept-feasibility_note": "Parks agree."}
    )
    assert resp.status_code == 302
    public = client.get(f"/proposals/{proposal.id}").text
    assert "On the ballot" in public and "€9,500" in public and "Parks agree." in public
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project.proposal_id == proposal.id and project.cost_cents == 950_000
    assert "not waiting for a decision" in officer.get(url).text


def test_ask_for_changes_then_the_author_resubmits(app, login, make_process, make_proposal, outbox):
    process = make_process(Phase.REVIEW)
    author_client, author = login()
    proposal = make_proposal(process, author=author, status=S.UNDER_REVIEW)
    officer, _ = login(Role.OFFICER)
    url = f"/officer/proposals/{proposal.id}/review"
    assert "Give a reason." in officer.post(f"{url}/changes", data={"changes-reason": ""}).text
    officer.post(f"{url}/changes", data={"changes-reason": "Which park?"})
    assert outbox[-1]["To"] == author.email and "ask for changes" in outbox[-1]["Subject"]
    page = author_client.get(f"/proposals/{proposal.id}").text
    assert "Changes requested" in page and "Which park?" in page and "Send back for review" in page
    edit = author_client.get(f"/proposals/{proposal.id}/edit").text
    assert "Officers ask for these changes:" in edit and "Save and send for review" in edit
    author_client.post(f"/proposals/{proposal.id}/publish")
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).status == S.UNDER_REVIEW


def test_reject_and_merge(app, login, make_process, make_proposal, client):
    process = make_process(Phase.REVIEW)
    keep = make_proposal(process, status=S.UNDER_REVIEW, title="Keep me")
    duplicate = make_proposal(process, status=S.UNDER_REVIEW, title="Copy of keep me")
    unwanted = make_proposal(process, status=S.UNDER_REVIEW, title="Unwanted")
    officer, _ = login(Role.OFFICER)
    resp = officer.post(
        f"/officer/proposals/{unwanted.id}/review/reject", data={"reject-reason": "Private land"}
    )
    assert resp.status_code == 302
    assert "Private land" in client.get(f"/proposals/{unwanted.id}").text
    review_page = officer.get(f"/officer/proposals/{duplicate.id}/review").text
    assert f"#{keep.id} Keep me" in review_page and "Unwanted" not in review_page
    resp = officer.post(f"/officer/proposals/{duplicate.id}/review/merge", data={"merge-target_id": ""})
    assert 'id="merge-target_id-error"' in resp.text
    officer.post(f"/officer/proposals/{duplicate.id}/review/merge", data={"merge-target_id": str(keep.id)})
    page = client.get(f"/proposals/{duplicate.id}").text
    assert "merged into another one" in page and f'href="/proposals/{keep.id}"' in page
    assert officer.post(f"/officer/proposals/{keep.id}/review/approve").status_code == 404


def test_decisions_are_in_the_audit_log(app, login, make_process, make_proposal):
    process = make_process(Phase.REVIEW)
    proposal = make_proposal(process, status=S.UNDER_REVIEW)
    officer, officer_user = login(Role.OFFICER)
    officer.post(f"/officer/proposals/{proposal.id}/review/reject", data={"reject-reason": "Too costly"})
    admin, _ = login(Role.ADMIN)
    page = admin.get("/admin/audit?action=proposal.").text
    assert "proposal.rejected" in page and "Too costly" in page and officer_user.display_name in page


def test_residents_cannot_decide(app, login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.REVIEW), status=S.UNDER_REVIEW)
    resident, _ = login()
    assert (
        resident.post(
            f"/officer/proposals/{proposal.id}/review/reject", data={"reject-reason": "x"}
        ).status_code
        == 403
    )
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).status == S.UNDER_REVIEW
        assert db.session.scalar(select(User).where(User.role == Role.OFFICER)) is None


def test_acting_from_the_hidden_tab_returns_to_it(app, login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS), visibility=Visibility.HIDDEN, hidden_reason="x")
    officer, _ = login(Role.OFFICER)
    assert (
        'name="next" value="/officer/moderation?show=hidden"'
        in officer.get("/officer/moderation?show=hidden").text
    )
    resp = officer.post(
        f"/officer/moderation/proposal/{proposal.id}/restore",
        data={"next": "/officer/moderation?show=hidden"},
    )
    assert resp.headers["Location"] == "/officer/moderation?show=hidden"
    resp = officer.post(
        f"/officer/moderation/proposal/{proposal.id}/dismiss", data={"next": "//evil.example"}
    )
    assert resp.headers["Location"] == "/officer/moderation"


def test_the_admin_process_page_links_to_the_review_queue(login, make_process):
    process = make_process(Phase.REVIEW)
    admin, _ = login(Role.ADMIN)
    assert f"/officer/processes/{process.id}/review" in admin.get(f"/admin/processes/{process.id}").text
