"""Residents' proposal pages: propose, bad input, drafts, editing, supports, withdrawal."""

from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.core.images import StoredImage
from app.db import utcnow
from app.extensions import db
from app.processes.models import Phase, Process
from app.proposals.models import Proposal, ProposalStatus, Support, Visibility
from tests.factories import jpeg_bytes

S = ProposalStatus


def form_data(process, **overrides):
    data = {
        "title": "Benches along the river",
        "summary": "Six benches between the two bridges",
        "description": "People walk here **every day** and there is nowhere to sit.",
        "estimated_cost": "12,000",
        "district_id": str(process.budgets[0].district_id),
        "category_id": "",
        "address": "River path",
        "latitude": "51.5072",
        "longitude": "-0.1276",
        "links": "https://example.org/benches",
        "publish": "Publish",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _post_new(client, process, **overrides):
    return client.post(
        f"/processes/{process.slug}/proposals/new",
        data=form_data(process, **overrides),
        content_type="multipart/form-data",
    )


def test_a_resident_proposes_with_a_photo(app, login, make_process):
    client, user = login()
    process = make_process(Phase.PROPOSALS)
    resp = _post_new(client, process, photos=[(BytesIO(jpeg_bytes()), "bench.jpg")])
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).text
    assert "Benches along the river" in page and "Published" in page and "€12,000" in page
    assert "<strong>every day</strong>" in page and "/media/" in page and "51.50720, -0.12760" in page
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.author_id == user.id and proposal.status == S.PUBLISHED
        assert proposal.estimated_cost_cents == 1_200_000 and proposal.links == [
            "https://example.org/benches"
        ]
        assert len(proposal.photos) == 1


def test_a_draft_is_private_until_published(app, login, make_process, client):
    author_client, _ = login()
    process = make_process(Phase.PROPOSALS)
    resp = _post_new(author_client, process, publish=None, save="Save draft", description="")
    assert resp.status_code == 302
    url = resp.headers["Location"]
    assert "only you can see it" in author_client.get(url).text
    other, _ = login()
    officer, _ = login(Role.OFFICER)
    assert other.get(url).status_code == 404 and client.get(url).status_code == 404
    assert officer.get(url).status_code == 200
    assert "Benches" not in client.get(f"/processes/{process.slug}/proposals").text
    proposal_id = url.rsplit("/", 1)[1]
    resp = author_client.post(f"/proposals/{proposal_id}/publish", follow_redirects=True)
    assert "Describe your proposal." in resp.text  # the draft lacks a description
    author_client.post(
        f"/proposals/{proposal_id}/edit", data=form_data(process), content_type="multipart/form-data"
    )
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Give your proposal a title."),
        ({"title": "x" * 161}, "title", "between 5 and 160"),
        ({"description": "word " * 2001}, "description", "10000"),
        ({"estimated_cost": "-500"}, "estimated_cost", "Enter an amount in numbers"),
        ({"estimated_cost": "0"}, "estimated_cost", "more than zero"),
        ({"estimated_cost": "99999999999"}, "estimated_cost", "too large"),
        ({"estimated_cost": "250,000"}, "estimated_cost", "more than the district"),
        ({"estimated_cost": ""}, "estimated_cost", "Give an estimated cost."),
        ({"title": "<script>alert(1)</script> benches"}, "title", "Remove the HTML code"),
        ({"description": "Nice <script>alert(1)</script>"}, "description", "Remove the HTML code"),
        ({"district_id": ""}, "district_id", "Choose a district."),
        ({"district_id": "999"}, "district_id", "Not a valid choice"),
        ({"links": "javascript:alert(1)"}, "links", "is not a web address"),
        ({"links": "<script>alert(1)</script>"}, "links", "is not a web address"),
        ({"latitude": "91"}, "latitude", "Between -90 and 90."),
        ({"longitude": ""}, "latitude", "both latitude and longitude"),
    ],
)
def test_bad_input_is_explained_at_the_field_kept_and_not_saved(
    app, login, make_process, overrides, field, message
):
    client, _ = login()
    process = make_process(Phase.PROPOSALS)  # budget: 100,000.00
    resp = _post_new(client, process, **overrides)
    assert resp.status_code == 200
    assert f'id="{field}-error"' in resp.text and message in resp.text, resp.text[:3000]
    assert "Please check the form" in resp.text
    assert "River path" in resp.text  # what was typed is kept
    assert "<script>" not in resp.text and 'name="publish"' in resp.text  # escaped: the page is whole
    assert _count(app, Proposal) == 0


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(app, login, make_process):
    client, _ = login()
    process = make_process(Phase.PROPOSALS)
    photos = [(BytesIO(jpeg_bytes()), "ok.jpg"), (BytesIO(b"<?php echo 1; ?>"), "bench.jpg")]
    resp = _post_new(client, process, photos=photos)
    assert resp.status_code == 200 and 'id="photos-error"' in resp.text and "not a photo" in resp.text
    assert "choose them again" in resp.text
    assert _count(app, Proposal) == 0 and _count(app, StoredImage) == 0


def test_at_most_three_photos(app, login, make_process):
    client, _ = login()
    process = make_process(Phase.PROPOSALS)
    photos = [(BytesIO(jpeg_bytes()), f"{n}.jpg") for n in range(4)]
    resp = _post_new(client, process, photos=photos)
    assert 'id="photos-error"' in resp.text and "3 more photos at most" in resp.text
    assert _count(app, StoredImage) == 0


def test_proposing_needs_an_open_phase_and_a_confirmed_email(login, make_process):
    client, _ = login(verified=False)
    process = make_process(Phase.PROPOSALS)
    assert "confirm your email" in client.get(f"/processes/{process.slug}/proposals/new").text
    resp = _post_new(client, process)
    assert resp.status_code == 200 and "confirm your email" in resp.text
    client, _ = login()
    closed = make_process(Phase.REVIEW)
    assert "not taking proposals" in client.get(f"/processes/{closed.slug}/proposals/new").text
    draft = make_process(Phase.DRAFT)
    assert client.get(f"/processes/{draft.slug}/proposals/new").status_code == 404


def test_only_the_author_edits_and_only_until_review(app, login, make_process, make_proposal):
    client, author = login()
    process = make_process(Phase.PROPOSALS)
    proposal = make_proposal(process, author=author)
    other, _ = login()
    officer, _ = login(Role.OFFICER)
    assert other.get(f"/proposals/{proposal.id}/edit").status_code == 403
    assert officer.get(f"/proposals/{proposal.id}/edit").status_code == 403
    page = client.get(f"/proposals/{proposal.id}/edit").text
    assert f'value="{proposal.title}"' in page and 'value="5000"' in page and "Save changes" in page
    resp = client.post(
        f"/proposals/{proposal.id}/edit",
        data=form_data(process, title="Benches, shaded", publish=None, save="Save changes"),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    with app.app_context():
        db.session.get(Process, process.id).phase = Phase.REVIEW
        db.session.commit()
    assert "only be changed while" in client.get(f"/proposals/{proposal.id}/edit").text
    client.post(f"/proposals/{proposal.id}/edit", data=form_data(process, title="Sneaky"))
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).title == "Benches, shaded"


def test_removing_a_photo(app, login, make_process, make_proposal, make_image):
    client, author = login()
    image = make_image()
    proposal = make_proposal(make_process(Phase.PROPOSALS), author=author, photos=[image])
    assert "Remove photo 1" in client.get(f"/proposals/{proposal.id}/edit").text
    other, _ = login()
    other.post(f"/proposals/{proposal.id}/photos/{image.id}/delete")
    assert _count(app, StoredImage) == 1
    client.post(f"/proposals/{proposal.id}/photos/{image.id}/delete")
    assert _count(app, StoredImage) == 0


def test_support_once_take_it_back_and_see_the_count(app, login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    url = f"/proposals/{proposal.id}"
    client, _ = login()
    assert "Support this proposal" in client.get(url).text
    client.post(f"{url}/support")
    page = client.post(f"{url}/support", follow_redirects=True).text
    assert "You already support this proposal." in page and "1 support" in page
    assert _count(app, Support) == 1
    page = client.post(f"{url}/unsupport", follow_redirects=True).text
    assert "0 supports" in page and _count(app, Support) == 0


def test_the_author_and_blocked_people_cannot_support(app, login, make_process, make_proposal):
    author_client, author = login()
    proposal = make_proposal(make_process(Phase.PROPOSALS), author=author)
    assert "Support this proposal" not in author_client.get(f"/proposals/{proposal.id}").text
    assert "your own" in author_client.post(f"/proposals/{proposal.id}/support", follow_redirects=True).text
    blocked, _ = login(blocked_until=utcnow() + timedelta(days=3))
    assert "blocked" in blocked.post(f"/proposals/{proposal.id}/support", follow_redirects=True).text
    assert _count(app, Support) == 0


def test_withdrawing(app, login, make_process, make_proposal):
    client, author = login()
    proposal = make_proposal(make_process(Phase.PROPOSALS), author=author)
    other, _ = login()
    assert "Only the author" in other.post(f"/proposals/{proposal.id}/withdraw", follow_redirects=True).text
    page = client.post(f"/proposals/{proposal.id}/withdraw", follow_redirects=True).text
    assert "Your proposal is withdrawn." in page and "Withdrawn" in page
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).status == S.WITHDRAWN


def test_a_hidden_proposal_shows_only_its_reason_to_the_public(
    app, client, login, make_process, make_proposal
):
    author_client, author = login()
    proposal = make_proposal(
        make_process(Phase.PROPOSALS),
        author=author,
        title="Secret plan",
        visibility=Visibility.HIDDEN,
        hidden_reason="Contains a phone number",
    )
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Contains a phone number" in page and "Secret plan" not in page and "Summary of" not in page
    assert "Summary of" in author_client.get(f"/proposals/{proposal.id}").text


def test_follow_and_unfollow(login, make_process, make_proposal):
    proposal = make_proposal(make_process(Phase.PROPOSALS))
    client, _ = login()
    assert "Stop following" in client.post(f"/proposals/{proposal.id}/follow", follow_redirects=True).text
    assert ">Follow<" in client.post(f"/proposals/{proposal.id}/unfollow", follow_redirects=True).text


def test_my_proposals_lists_drafts_and_hidden_ones(login, make_process, make_proposal):
    client, author = login()
    process = make_process(Phase.PROPOSALS)
    make_proposal(process, author=author, status=S.DRAFT, title="My draft idea")
    make_proposal(process, author=author, title="Hidden idea", visibility=Visibility.HELD)
    page = client.get("/my/proposals").text
    assert "My draft idea" in page and "Hidden idea" in page and "Hidden by moderators" in page


def test_the_process_page_invites_proposals_in_the_proposals_phase(client, make_process):
    open_process, in_review = make_process(Phase.PROPOSALS), make_process(Phase.REVIEW)
    page = client.get(f"/processes/{open_process.slug}").text
    assert "Propose a project" in page and f"/processes/{open_process.slug}/proposals" in page
    page = client.get(f"/processes/{in_review.slug}").text
    assert "Propose a project" not in page and "reviewing the proposals" in page


def test_pages_have_no_inline_script_or_style(login, make_process, make_proposal, make_comment, make_image):
    client, author = login()
    process = make_process(Phase.PROPOSALS)
    proposal = make_proposal(process, author=author, photos=[make_image()])
    make_comment(proposal)
    for url in (
        f"/processes/{process.slug}/proposals",
        f"/processes/{process.slug}/proposals/new",
        f"/proposals/{proposal.id}",
        f"/proposals/{proposal.id}/edit",
        f"/proposals/{proposal.id}/flag",
        "/my/proposals",
        "/notifications",
        "/notifications/settings",
    ):
        page = client.get(url).text
        assert "<script>" not in page and " style=" not in page, url
