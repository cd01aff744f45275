"""The list of proposals: filters, search, sorts, pages, and a fixed number of queries."""

import re
from datetime import timedelta

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.processes.models import Category, Phase, Process, Project
from app.proposals.models import ProposalStatus, Visibility
from tests.web.query_counter import count_queries

S = ProposalStatus


def titles(page: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/proposals/\d+">([^<]+)</a>', page)


def test_filters_by_district_category_and_status(app, client, make_process, make_proposal):
    process = make_process(Phase.REVIEW, budgets=[1_000_000, 2_000_000])
    with app.app_context():
        category = Category(slug="parks", name="Parks")
        db.session.add(category)
        db.session.get(Process, process.id).categories = [category]
        db.session.commit()
        category_id = category.id
    north, south = (b.district_id for b in process.budgets)
    make_proposal(
        process, title="North park", district_id=north, category_id=category_id, status=S.UNDER_REVIEW
    )
    make_proposal(process, title="South road", district_id=south, status=S.UNDER_REVIEW)
    make_proposal(process, title="Rejected idea", district_id=south, status=S.REJECTED)
    make_proposal(process, title="Withdrawn idea", status=S.WITHDRAWN)
    make_proposal(process, title="Draft idea", status=S.DRAFT)
    make_proposal(process, title="Held idea", status=S.UNDER_REVIEW, visibility=Visibility.HELD)
    url = f"/processes/{process.slug}/proposals"
    assert sorted(titles(client.get(url).text)) == ["North park", "Rejected idea", "South road"]
    assert titles(client.get(f"{url}?district={north}").text) == ["North park"]
    assert titles(client.get(f"{url}?category={category_id}").text) == ["North park"]
    assert titles(client.get(f"{url}?status=rejected").text) == ["Rejected idea"]
    assert titles(client.get(f"{url}?status=withdrawn").text) == ["Withdrawn idea"]
    assert titles(client.get(f"{url}?status=draft").text) != ["Draft idea"]  # not a public status
    assert client.get(f"{url}?district=abc&status=nonsense&sort=evil").status_code == 200


def test_search_is_case_insensitive_and_takes_wildcards_literally(client, make_process, make_proposal):
    process = make_process(Phase.PROPOSALS)
    make_proposal(process, title="Bike racks at the station", summary="Twenty racks")
    make_proposal(process, title="Playground", summary="Swings for 100% of children")
    make_proposal(process, title="Trees_on_Mill_Lane", summary="Shade")
    url = f"/processes/{process.slug}/proposals"
    assert titles(client.get(f"{url}?q=BIKE").text) == ["Bike racks at the station"]
    assert titles(client.get(f"{url}?q=swings").text) == ["Playground"]
    assert titles(client.get(f"{url}?q=100%25").text) == ["Playground"]
    assert titles(client.get(f"{url}?q=%25").text) == ["Playground"]
    assert titles(client.get(f"{url}?q=_on_").text) == ["Trees_on_Mill_Lane"]
    assert "No proposal matches" in client.get(f"{url}?q=nothing+like+this").text


def test_sorts_newest_and_most_supported(client, make_process, make_proposal, add_supports):
    process = make_process(Phase.PROPOSALS)
    now = utcnow()
    old = make_proposal(process, title="Old", published_at=now - timedelta(days=3))
    make_proposal(process, title="Middle", published_at=now - timedelta(days=2))
    make_proposal(process, title="New", published_at=now - timedelta(days=1))
    add_supports(old, 2)
    url = f"/processes/{process.slug}/proposals"
    assert titles(client.get(url).text) == ["New", "Middle", "Old"]
    assert titles(client.get(f"{url}?sort=supported").text) == ["Old", "New", "Middle"]
    assert "2 supports" in client.get(url).text


def test_random_order_is_stable_for_a_visitor_and_differs_between_visitors(app, make_process, make_proposal):
    process = make_process(Phase.PROPOSALS)
    for n in range(30):
        make_proposal(process, title=f"Idea {n:02d}")
    url = f"/processes/{process.slug}/proposals?sort=random"
    orders = []
    for _ in range(4):
        visitor = app.test_client()
        first = titles(visitor.get(url).text) + titles(visitor.get(url + "&page=2").text)
        assert first == titles(visitor.get(url).text) + titles(visitor.get(url + "&page=2").text)
        assert sorted(first) == [f"Idea {n:02d}" for n in range(30)]  # pages neither repeat nor skip
        orders.append(first)
    assert len({tuple(o) for o in orders}) > 1


def test_pages_of_twenty(client, make_process, make_proposal):
    process = make_process(Phase.PROPOSALS)
    for n in range(23):
        make_proposal(process, title=f"Idea {n:02d}")
    url = f"/processes/{process.slug}/proposals"
    first = client.get(url).text
    assert len(titles(first)) == 20 and "23 proposals" in first and 'rel="next"' in first
    assert len(titles(client.get(f"{url}?page=2").text)) == 3
    assert client.get(f"{url}?page=9").status_code == 404
    # query arguments that url_for would take as its own, or as the route's, are not passed on
    odd = client.get(f"{url}?_anchor=x&_external=1&slug=other&q=Idea")
    assert odd.status_code == 200 and f'href="{url}?q=Idea&amp;page=2"' in odd.text


def _fill(app, process, make_proposal, make_image, add_supports, make_comment, n: int) -> None:
    image = make_image()
    for i in range(n):
        proposal = make_proposal(process, photos=[image] if i == 0 else [])
        if i % 3 == 0:
            add_supports(proposal, 1)
            make_comment(proposal)
        if i % 4 == 0:
            with app.app_context():
                db.session.add(
                    Project(
                        process_id=process.id,
                        district_id=proposal.district_id,
                        code=f"P{proposal.id}",
                        title=proposal.title,
                        cost_cents=100,
                        proposal_id=proposal.id,
                    )
                )
                db.session.commit()


def test_list_pages_make_the_same_number_of_queries_whatever_their_length(
    app, login, make_process, make_proposal, make_image, add_supports, make_comment
):
    client, _ = login(Role.RESIDENT)
    short, long = make_process(Phase.PROPOSALS), make_process(Phase.PROPOSALS)
    _fill(app, short, make_proposal, make_image, add_supports, make_comment, 2)
    _fill(app, long, make_proposal, make_image, add_supports, make_comment, 20)
    counts = {}
    for process in (short, long):
        for sort in ("newest", "supported", "random"):
            url = f"/processes/{process.slug}/proposals?sort={sort}"
            client.get(url)  # warm up: the random seed goes into the session
            counts[(process.slug, sort)] = count_queries(app, lambda u=url: client.get(u))
    assert len(set(counts.values())) == 1, counts
    assert (
        next(iter(counts.values())) <= 11
    )  # user, process, budgets, phases, categories x2, count, items, photos, projects, supports


def test_my_proposals_and_notifications_make_a_fixed_number_of_queries(
    app, login, make_process, make_proposal
):
    from app.notifications.services import notify

    client, author = login()
    process = make_process(Phase.PROPOSALS)

    def add(n):
        for _ in range(n):
            make_proposal(process, author=author)
        with app.test_request_context():
            notify([db.session.merge(author)] * 1, "status", "Hello", "/")
            db.session.commit()

    add(1)
    few = [count_queries(app, lambda u=u: client.get(u)) for u in ("/my/proposals", "/notifications")]
    add(15)
    many = [count_queries(app, lambda u=u: client.get(u)) for u in ("/my/proposals", "/notifications")]
    assert few == many


def test_officer_lists_and_a_proposal_page_make_a_fixed_number_of_queries(
    app, login, make_user, make_process, make_proposal, make_comment
):
    from app.proposals.models import Flag, FlagReason

    officer, _ = login(Role.OFFICER)
    process = make_process(Phase.REVIEW)
    target = make_proposal(process, status=S.UNDER_REVIEW)

    def add(n):
        for _ in range(n):
            proposal = make_proposal(process, status=S.UNDER_REVIEW)
            comment = make_comment(target, body="Flagged")
            make_comment(target, parent=comment)
            with app.app_context():
                reporter = make_user()
                db.session.add(Flag(reporter_id=reporter.id, comment_id=comment.id, reason=FlagReason.SPAM))
                db.session.add(Flag(reporter_id=reporter.id, proposal_id=proposal.id, reason=FlagReason.SPAM))
                db.session.commit()

    urls = (
        "/officer/moderation",
        f"/officer/processes/{process.id}/review",
        f"/proposals/{target.id}",
        "/officer/",
    )
    add(1)
    few = [count_queries(app, lambda u=u: officer.get(u)) for u in urls]
    add(8)
    many = [count_queries(app, lambda u=u: officer.get(u)) for u in urls]
    assert few == many, dict(zip(urls, zip(few, many, strict=True), strict=True))
