"""A corpus of XSS and template-injection payloads, through every text field people can fill in.

Two paths:
- stored: each payload is saved (one record per payload) in every text column people write, then every
  page that shows those columns is fetched as the people who see it;
- typed: each payload is sent through every form and query parameter; the answer (usually the form again,
  with the error and what was typed) and the pages showing what was accepted are checked.

A page passes when an HTML parser finds nothing that could run: no script element of ours missing its
/static/ source, no event handler or style attribute, no javascript:/data:/vbscript: URL, no iframe,
object, embed, svg, math, base or refresh; and no tag or attribute that the same pages do not have with
harmless text (the baseline) or that sanitised markdown does not add. Titles must show exactly as typed,
so `{{7*7}}` reads `{{7*7}}`, never 49.
"""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.db import utcnow
from app.delivery.models import (
    DeliveryChange,
    DeliveryProject,
    DeliveryStatus,
    DeliveryUpdate,
    GroundReport,
    HelpOffer,
    Milestone,
    OfferStatus,
    Rating,
    ReportKind,
    ReportStatus,
    Serves,
)
from app.extensions import db, limiter
from app.notifications.models import Notification
from app.processes.models import Category, District, Phase, Process, ProcessDistrict, ProcessPhase, Project
from app.proposals.models import (
    Comment,
    Flag,
    FlagReason,
    Proposal,
    ProposalStatus,
    ProposalStatusChange,
    Visibility,
)
from app.voting.models import PaperSheet
from tests.security.html_scan import MARKDOWN_ATTRIBUTES, MARKDOWN_TAGS, Scan, scan_html

CORPUS = Path(__file__).with_name("xss_payloads.txt")
PAYLOADS = [line for line in CORPUS.read_text().splitlines() if line and not line.startswith("# ")]
BENIGN = ["Benches by the river", "A **bold** idea with [a link](https://example.org) and `code`"]
TEMPLATE_INJECTION = [p for p in PAYLOADS if "7*7" in p or "7*'7'" in p]


def test_the_corpus_is_large_and_distinct():
    assert len(PAYLOADS) >= 100 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert (
        TEMPLATE_INJECTION
        and any("javascript:" in p for p in PAYLOADS)
        and any("<svg" in p for p in PAYLOADS)
    )


@pytest.fixture
def no_rate_limits(app):
    """Hundreds of posts by one person in a second: limits would answer 429 before the form is read."""
    limiter.enabled = False
    yield
    limiter.enabled = True


class Pages:
    """Fetches pages as people and checks them against what harmless text produces."""

    def __init__(self, clients: dict):
        self.clients = clients
        self.baseline = Scan()
        self.fetched = 0

    def get(self, role: str, url: str) -> str:
        resp = self.clients[role].get(url)
        self.fetched += 1
        assert resp.status_code in (200, 400, 404), f"{role} {url}: {resp.status_code}"
        return resp.get_data(as_text=True)

    def learn(self, role: str, url: str) -> str:
        return self.learn_text(self.get(role, url), url)

    def learn_text(self, text: str, where: str) -> str:
        page = scan_html(text)
        assert not page.live, f"{where} has live parts even with harmless text: {page.live}"
        self.baseline.tags |= page.tags
        self.baseline.attributes |= page.attributes
        return text

    def check_text(self, text: str, where: str) -> None:
        page = scan_html(text)
        assert not page.live, f"{where}: {page.live}"
        extra_tags = page.tags - self.baseline.tags - MARKDOWN_TAGS
        extra_attributes = page.attributes - self.baseline.attributes - MARKDOWN_ATTRIBUTES
        assert not extra_tags and not extra_attributes, f"{where}: {extra_tags} {extra_attributes}"

    def check(self, role: str, url: str) -> str:
        text = self.get(role, url)
        self.check_text(text, f"{role} {url}")
        return text


def shows_exactly(page: str, typed: str) -> bool:
    return typed.strip() in html.unescape(page)


# --- stored payloads ---------------------------------------------------------------------------------


CHUNK = 25  # payloads per proposals process: list and review pages stay page-sized


class World:
    """Records holding `texts` in every column people write, and the pages that show them.

    Districts and categories come last (`add_places`): every process form lists all districts, so
    the per-record pages are fetched before there are hundreds of them.
    """

    def __init__(self, texts: list[str], tag: str, admin: User, viewer: User):
        self.tag, self.texts, self.admin, self.viewer = tag, texts, admin, viewer
        self.now = now = utcnow()
        self.chunks = [
            self._process(f"{tag}-p{k}", Phase.PROPOSALS, now, f"A budget {k}")
            for k in range(0, len(texts), CHUNK)
        ]
        self.vote = self._process(f"{tag}-v", Phase.VOTING, now, "A vote")
        self.users, self.proposals, self.hidden, self.processes, self.projects = [], [], [], [], []
        self.deliveries = []
        for i, text in enumerate(texts):
            self._records(i, text)
        db.session.commit()
        self.chunk_ids = [(p.id, p.slug) for p in self.chunks]
        self.vote_id, self.vote_slug = self.vote.id, self.vote.slug
        self.vote_district = self.vote.budgets[0].district.slug

    def _process(self, slug, phase, now, title) -> Process:
        district = District(slug=f"{slug}-d", name=f"{title} district", position=0)
        process = Process(slug=slug, title=title, phase=phase)
        process.budgets = [ProcessDistrict(district=district, budget_cents=10_000_000_00)]
        process.phases = [
            ProcessPhase(phase=phase, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1))
        ]
        db.session.add(process)
        db.session.flush()
        return process

    def add_places(self) -> None:
        """A district and a category named with each text, in the proposals processes."""
        for i, text in enumerate(self.texts):
            process = db.session.get(Process, self.chunk_ids[i // CHUNK][0])
            district = District(slug=f"{self.tag}-d{i}", name=text[:120], position=i + 1)
            process.budgets.append(ProcessDistrict(district=district, budget_cents=1_000_00))
            process.categories.append(Category(slug=f"{self.tag}-c{i}", name=text[:120], position=i))
        db.session.commit()

    def _records(self, i: int, text: str) -> None:
        process, admin, viewer, now = self.chunks[i // CHUNK], self.admin, self.viewer, self.now
        user = User(email=f"{self.tag}{i}@example.org", display_name=text[:80], email_verified_at=now)
        db.session.add(user)
        db.session.flush()
        texts = {"title": text[:160], "summary": text[:300], "description": text, "address": text[:200]}
        proposal = Proposal(
            process=process,
            author_id=user.id,
            status=ProposalStatus.CHANGES_REQUESTED,
            published_at=now,
            links=[text[:300]],
            **texts,
        )
        proposal.history = [
            ProposalStatusChange(from_status=None, to_status=ProposalStatus.PUBLISHED, actor_id=user.id),
            ProposalStatusChange(
                from_status=ProposalStatus.PUBLISHED,
                to_status=ProposalStatus.CHANGES_REQUESTED,
                actor_id=admin.id,
                reason=text,
            ),
        ]
        hidden = Proposal(
            process=process,
            author_id=user.id,
            status=ProposalStatus.PUBLISHED,
            published_at=now,
            visibility=Visibility.HIDDEN,
            hidden_reason=text,
            **texts,
        )
        db.session.add_all([proposal, hidden])
        db.session.flush()
        comment = Comment(proposal_id=proposal.id, author_id=user.id, body=text)
        db.session.add(comment)
        db.session.flush()
        db.session.add_all(
            [
                Comment(proposal_id=proposal.id, author_id=viewer.id, parent_id=comment.id, body=text),
                Comment(
                    proposal_id=proposal.id,
                    author_id=user.id,
                    body=text,
                    visibility=Visibility.HIDDEN,
                    hidden_reason=text,
                ),
                Flag(
                    reporter_id=viewer.id,
                    proposal_id=proposal.id,
                    reason=FlagReason.OTHER,
                    details=text[:500],
                ),
                Flag(reporter_id=user.id, comment_id=comment.id, reason=FlagReason.SPAM, details=text[:500]),
                AuditEvent(
                    actor_id=admin.id,
                    action="proposal.hidden",
                    target_type="proposals",
                    target_id=hidden.id,
                    target_label=text[:200],
                    before={"title": text},
                    after={"title": text},
                    reason=text,
                ),
                Notification(user_id=viewer.id, kind="comment", message=text[:300], link="/"),
                PaperSheet(process_id=self.vote.id, number=f"{i}{text}"[:40], note=text[:40]),
            ]
        )
        other = Process(
            slug=f"{self.tag}-q{i}",
            title=text[:160],
            summary=text[:300],
            description=text,
            phase=Phase.PROPOSALS,
        )
        other.budgets = [ProcessDistrict(district_id=process.budgets[0].district_id, budget_cents=1_000_00)]
        project = Project(
            process_id=self.vote.id,
            district_id=self.vote.budgets[0].district_id,
            code=f"{i}{text}"[:40],
            title=text[:160],
            summary=text[:300],
            description=text,
            feasibility_note=text,
            address=text[:200],
            cost_cents=1_000_00,
            position=i,
        )
        db.session.add_all([other, project])
        db.session.flush()
        db.session.add(Comment(project_id=project.id, author_id=user.id, body=text))
        self._delivery(project, user, text)
        self.users.append(user.id)
        self.proposals.append(proposal.id)
        self.hidden.append(hidden.id)
        self.processes.append(other.id)
        self.projects.append(project.id)

    def _delivery(self, project: Project, user: User, text: str) -> None:
        """A delivery record for the project, with every text residents and officers write about it."""
        status = DeliveryStatus.DELAYED if project.position % 2 else DeliveryStatus.COMPLETED
        record = DeliveryProject(
            project_id=project.id,
            process_id=project.process_id,
            status=status,
            status_reason=text,
            progress_percent=50,
        )
        db.session.add(record)
        db.session.flush()
        today = self.now.date()
        db.session.add_all(
            [
                DeliveryChange(
                    delivery_id=record.id,
                    actor_id=self.admin.id,
                    from_status=DeliveryStatus.PLANNED,
                    to_status=status,
                    reason=text,
                    changes={"status_reason": ["", text]},
                ),
                Milestone(delivery_id=record.id, title=text[:160], due_on=today, evidence=text),
                Milestone(
                    delivery_id=record.id,
                    title=text[:160],
                    done_on=today,
                    evidence=text,
                    evidence_url=text[:300],
                ),
                DeliveryUpdate(delivery_id=record.id, author_id=self.admin.id, body=text),
                HelpOffer(delivery_id=record.id, user_id=user.id, what=text, availability=text[:200]),
                HelpOffer(
                    delivery_id=record.id,
                    user_id=user.id,
                    what=text,
                    availability=text[:200],
                    status=OfferStatus.COORDINATING,
                    reply=text,
                ),
                GroundReport(
                    delivery_id=record.id,
                    user_id=user.id,
                    kind=ReportKind.PROBLEM,
                    body=text,
                    location=text[:200],
                ),
                GroundReport(
                    delivery_id=record.id,
                    user_id=user.id,
                    kind=ReportKind.FINISHED,
                    body=text,
                    location=text[:200],
                    status=ReportStatus.CONFIRMED,
                    answer=text,
                ),
                Rating(delivery_id=record.id, user_id=user.id, stars=4, serves=Serves.PARTLY, comment=text),
            ]
        )
        self.deliveries.append(record.id)

    def record_pages(self) -> list[tuple[str, str]]:
        """Pages that show one record each. (The admin forms that show a process or project for editing
        render their fields as the forms of the typed test do, where every payload goes through them.)"""
        v_slug, district = self.vote_slug, self.vote_district
        pages = []
        for i in range(len(self.texts)):
            pages += [
                ("anonymous", f"/proposals/{self.proposals[i]}"),
                ("officer", f"/proposals/{self.hidden[i]}"),
                ("officer", f"/officer/proposals/{self.proposals[i]}/review"),
                ("admin", f"/admin/users/{self.users[i]}"),
                ("officer", f"/officer/users/{self.users[i]}/block"),
                ("anonymous", f"/processes/{self.tag}-q{i}"),
                ("viewer", f"/processes/{v_slug}/ballot/{district}/projects/{self.projects[i]}"),
                ("anonymous", f"/delivery/projects/{self.projects[i]}"),
                ("officer", f"/officer/delivery/projects/{self.deliveries[i]}"),
            ]
        return pages

    def list_pages(self) -> list[tuple[str, str]]:
        """Pages that list many records (and the forms that list districts and categories)."""
        v_id, v_slug = self.vote_id, self.vote_slug
        pages = [
            ("anonymous", "/"),
            ("anonymous", "/processes"),
            ("anonymous", f"/processes/{v_slug}"),
            ("anonymous", "/register"),
            ("viewer", "/account"),
            ("viewer", f"/processes/{v_slug}/ballot/{self.vote_district}"),
            ("officer", "/officer/"),
            ("officer", "/officer/moderation"),
            ("officer", "/officer/moderation?tab=hidden"),
            ("admin", "/admin/users"),
            ("admin", "/admin/audit"),
            ("admin", "/admin/processes/"),
            ("admin", "/admin/processes/new"),
            ("admin", f"/admin/processes/{v_id}/projects"),
            ("admin", f"/admin/processes/{v_id}/projects/new"),
            ("admin", f"/admin/processes/{v_id}/voting/"),
            ("admin", f"/admin/processes/{v_id}/voting/paper"),
            ("anonymous", "/delivery"),
            ("anonymous", f"/processes/{v_slug}/delivery"),
            ("anonymous", "/delivery/dashboard"),
            ("officer", f"/officer/delivery/processes/{v_id}"),
            ("officer", "/officer/delivery/offers"),
            ("officer", "/officer/delivery/reports"),
        ]
        for process_id, slug in self.chunk_ids:
            pages += [
                ("anonymous", f"/processes/{slug}"),
                ("anonymous", f"/processes/{slug}/proposals"),
                ("anonymous", f"/processes/{slug}/proposals?sort=newest"),
                ("anonymous", f"/processes/{slug}/proposals?page=2"),
                ("viewer", f"/processes/{slug}/proposals/new"),
                ("officer", f"/officer/processes/{process_id}/review"),
                ("admin", f"/admin/processes/{process_id}/edit"),
            ]
        for n in range(2, len(self.texts) // 10 + 2):
            pages += [
                ("admin", f"/admin/users?page={n}"),
                ("admin", f"/admin/audit?page={n}"),
                ("viewer", f"/notifications?page={n}"),
            ]
        return pages


@pytest.fixture
def people(app, make_user, no_rate_limits):
    admin = make_user(Role.ADMIN, display_name="Ada Admin")
    officer = make_user(Role.OFFICER, display_name="Otto Officer")
    viewer = make_user(display_name="Vera Viewer")
    clients = {
        "anonymous": app.test_client(),
        "admin": app.test_client(user=admin),
        "officer": app.test_client(user=officer),
        "viewer": app.test_client(user=viewer),
    }
    with app.app_context():
        loaded = [db.session.get(User, u.id) for u in (admin, officer, viewer)]
    return loaded, Pages(clients)


def test_stored_payloads_render_inert_on_every_page(app, people):
    (admin, _officer, viewer), pages = people
    for texts, tag, check in ((BENIGN, "b", pages.learn), (PAYLOADS, "x", pages.check)):
        with app.app_context():
            world = World(texts, tag, db.session.merge(admin), db.session.merge(viewer))
            proposal_pages = {
                f"/proposals/{pid}": text for pid, text in zip(world.proposals, texts, strict=True)
            }
            record_pages = world.record_pages()
        for role, url in record_pages:
            page = check(role, url)
            if role == "anonymous" and url in proposal_pages:
                typed = proposal_pages[url][:160]
                assert shows_exactly(page, typed), f"{url} does not show its title as typed"
        with app.app_context():
            world.add_places()
            list_pages = world.list_pages()
        for role, url in list_pages:
            check(role, url)
    assert pages.fetched > 7 * len(PAYLOADS)


# --- payloads typed into forms and query strings ----------------------------------------------------


def _forms(world: "Typed", payload: str) -> list[tuple[str, str, dict]]:
    """(role, url, form data) for every form with a text field, each field carrying the payload."""
    p, s = world.proposal_id, world.process_slug
    return [
        (
            "anonymous",
            "/register",
            {"display_name": payload, "email": payload, "password": "x", "confirm": "y"},
        ),
        ("anonymous", "/login", {"email": payload, "password": payload, "next": payload}),
        ("anonymous", "/password/forgot", {"email": payload}),
        ("anonymous", "/language", {"lang": payload, "next": payload}),
        ("viewer", "/account", {"display_name": payload, "locale": "en", "birth_date": payload}),
        (
            "viewer",
            f"/processes/{s}/proposals/new",
            {
                "title": payload,
                "summary": payload,
                "description": payload,
                "address": payload,
                "links": payload,
                "estimated_cost": payload,
                "district_id": "",
                "category_id": "",
                "save": "y",
            },
        ),
        ("viewer", f"/proposals/{p}/comments", {"body": payload}),
        ("viewer", f"/proposals/{p}/comments", {"body": payload, "parent_id": str(world.comment_id)}),
        ("viewer", f"/comments/{world.own_comment_id}/edit", {"body": payload}),
        ("viewer", f"/proposals/{p}/flag", {"reason": "other", "details": payload}),
        ("viewer", f"/comments/{world.comment_id}/flag", {"reason": payload, "details": payload}),
        ("officer", f"/officer/moderation/comment/{world.comment_id}/hide", {"reason": payload}),
        ("officer", f"/officer/users/{world.author_id}/block", {"days": payload, "reason": payload}),
        ("officer", f"/officer/proposals/{p}/review/reject", {"reject-reason": payload}),
        ("officer", f"/officer/proposals/{p}/review/changes", {"changes-reason": payload}),
        (
            "officer",
            f"/officer/proposals/{p}/review/accept",
            {"accept-cost": payload, "accept-feasibility_note": payload},
        ),
        ("officer", f"/officer/proposals/{p}/review/merge", {"merge-target_id": "", "merge-reason": payload}),
        (
            "admin",
            "/admin/processes/new",
            {"title": payload, "slug": payload, "summary": payload, "description": payload},
        ),
        ("admin", f"/admin/processes/{world.process_id}/phase", {"phase": payload, "reason": payload}),
        (
            "admin",
            f"/admin/processes/{world.vote_id}/projects/new",
            {
                "title": payload,
                "code": payload,
                "summary": payload,
                "description": payload,
                "address": payload,
                "feasibility_note": payload,
                "cost": payload,
            },
        ),
        (
            "admin",
            f"/admin/processes/{world.vote_id}/voting/paper",
            {
                "number": payload,
                "identity": "census",
                "id_number": payload,
                "postcode": payload,
                "email": payload,
                "code": payload,
            },
        ),
        ("admin", f"/admin/processes/{world.vote_id}/results", {"reason": payload}),
        (
            "anonymous",
            f"/processes/{world.vote_slug}/vote/census",
            {"id_number": payload, "postcode": payload},
        ),
        ("anonymous", f"/processes/{world.vote_slug}/vote/code", {"code": payload, "next": payload}),
        *_delivery_forms(world, payload),
    ]


def _delivery_forms(world: "Typed", payload: str) -> list[tuple[str, str, dict]]:
    """Residents' offers, reports, ratings and comments on a funded project; officers' delivery forms."""
    project, record = world.delivery_project_id, world.delivery_id
    return [
        ("viewer", f"/delivery/projects/{project}/offer", {"what": payload, "availability": payload}),
        (
            "viewer",
            f"/delivery/projects/{project}/report",
            {"kind": "problem", "body": payload, "location": payload, "latitude": payload},
        ),
        (
            "viewer",
            f"/delivery/projects/{project}/rate",
            {"stars": payload, "serves": "yes", "comment": payload},
        ),
        ("viewer", f"/delivery/projects/{project}/comments", {"body": payload}),
        (
            "officer",
            f"/officer/delivery/projects/{record}",
            {
                "status": "delayed",
                "status_reason": payload,
                "progress_percent": payload,
                "starts_on": payload,
                "allocated": payload,
                "spent": payload,
            },
        ),
        (
            "officer",
            f"/officer/delivery/projects/{record}/milestones/new",
            {"title": payload, "due_on": payload, "evidence": payload, "evidence_url": payload},
        ),
        ("officer", f"/officer/delivery/projects/{record}/updates/new", {"body": payload}),
        (
            "officer",
            f"/officer/delivery/offers/{world.offer_id}",
            {f"offer-{world.offer_id}-decision": "coordinating", f"offer-{world.offer_id}-reply": payload},
        ),
        (
            "officer",
            f"/officer/delivery/reports/{world.report_id}",
            {f"report-{world.report_id}-decision": "answered", f"report-{world.report_id}-answer": payload},
        ),
    ]


def _storing_forms(world: "Typed", payload: str) -> list[tuple[str, str, dict]]:
    """The forms whose text is saved and shown to others (the proposal is saved as a draft)."""
    return [
        f
        for f in _forms(world, payload)
        if f[1].endswith(("/comments", "/proposals/new", "/offer", "/updates/new"))
    ]


def _queries(world: "Typed", payload: str) -> list[tuple[str, str, dict]]:
    q = {"q": payload, "district": payload, "category": payload, "status": payload, "sort": payload}
    return [
        ("anonymous", f"/processes/{world.process_slug}/proposals", q),
        ("anonymous", f"/processes/{world.process_slug}/proposals", {"q": payload}),
        ("anonymous", "/login", {"email": payload, "next": payload}),
        ("anonymous", f"/processes/{world.vote_slug}/results/receipt", {"code": payload}),
        ("admin", "/admin/users", {"q": payload, "role": payload}),
        ("admin", "/admin/audit", {"action": payload, "actor": payload, "target_type": payload}),
        ("anonymous", "/", {"lang": payload}),
    ]


class Typed:
    def __init__(self, make_process, make_proposal, make_comment, make_user, viewer, delivery_factories):
        process = make_process(Phase.PROPOSALS)
        vote = make_process(Phase.VOTING, allow_census=True, allow_codes=True, allow_paper=True)
        author = make_user(display_name="Alex Author")
        proposal = make_proposal(process, author=author, status=ProposalStatus.UNDER_REVIEW)
        self.process_id, self.process_slug = process.id, process.slug
        self.vote_id, self.vote_slug = vote.id, vote.slug
        self.proposal_id, self.author_id = proposal.id, author.id
        self.comment_id = make_comment(proposal, author=author).id
        self.own_comment_id = make_comment(proposal, author=viewer).id
        make_delivery, make_offer, make_report = delivery_factories
        record = make_delivery(status=DeliveryStatus.COMPLETED)
        self.delivery_id, self.delivery_project_id = record.id, record.project_id
        self.offer_id = make_offer(record, user=author).id
        self.report_id = make_report(record, user=author).id


GROUP = 8  # payloads per request in the typed test, one per line (or space) in each field
ACCEPTED = [p for p in PAYLOADS if "<" not in p]  # what forms that refuse markup still accept


def test_typed_payloads_are_refused_or_shown_inert(
    app, people, make_process, make_proposal, make_comment, make_user, make_delivery, make_offer, make_report
):
    (_admin, _officer, viewer), pages = people
    factories = (make_delivery, make_offer, make_report)
    world = Typed(make_process, make_proposal, make_comment, make_user, viewer, factories)
    shown = [
        ("anonymous", f"/proposals/{world.proposal_id}"),
        ("anonymous", f"/processes/{world.process_slug}/proposals"),
        ("anonymous", "/processes"),
        ("viewer", "/my/proposals"),
        ("viewer", "/account"),
        ("officer", "/officer/moderation"),
        ("officer", f"/officer/proposals/{world.proposal_id}/review"),
        ("admin", "/admin/users"),
        ("admin", "/admin/audit"),
        ("admin", f"/admin/processes/{world.vote_id}/projects"),
        ("admin", f"/admin/processes/{world.vote_id}/voting/paper"),
        ("admin", "/admin/processes/"),
        ("anonymous", f"/delivery/projects/{world.delivery_project_id}"),
        ("officer", f"/officer/delivery/projects/{world.delivery_id}"),
        ("officer", "/officer/delivery/offers"),
        ("officer", "/officer/delivery/reports"),
    ]
    for role, url in shown:
        pages.learn(role, url)
        pages.learn(role, url + "?page=1")
    for role, url, data in _forms(world, "harmless text"):  # the forms again, with their error messages
        pages.learn_text(pages.clients[role].post(url, data=data).get_data(as_text=True), url)

    groups = [PAYLOADS[i : i + GROUP] for i in range(0, len(PAYLOADS), GROUP)]
    sent = [(group, "\n".join(group), _forms) for group in groups]
    sent += [([p], p, _storing_forms) for p in ACCEPTED]  # each alone, so it is saved and shown
    requests = 0
    for group, payload, forms in sent:
        for role, url, data in forms(world, payload):
            resp = pages.clients[role].post(url, data=data)
            requests += 1
            assert resp.status_code < 500, f"POST {url} with {group}: {resp.status_code}"
            if resp.status_code in (200, 400):
                pages.check_text(resp.get_data(as_text=True), f"POST {url} with {group}")
        for role, url, params in _queries(world, payload)[: None if forms is _forms else 1]:
            resp = pages.clients[role].get(url, query_string=params)
            requests += 1
            assert resp.status_code < 500, f"GET {url} with {group}: {resp.status_code}"
            pages.check_text(resp.get_data(as_text=True), f"GET {url} with {group}")
    for role, url in shown:
        pages.check(role, url)
    assert requests > 30 * len(groups) + 3 * len(ACCEPTED)
    with app.app_context():  # text without markup was accepted, stored and shown above
        stored = set(db.session.scalars(select(Comment.body)))
    assert set(ACCEPTED) <= stored


def test_template_injection_in_a_title_reads_as_typed(app, make_process, make_proposal):
    process = make_process()
    ids = [make_proposal(process, title=p).id for p in TEMPLATE_INJECTION]
    client = app.test_client()
    for proposal_id, payload in zip(ids, TEMPLATE_INJECTION, strict=True):
        page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
        title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
        assert html.unescape(title).strip() == payload and "49" not in title


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a?b=c", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" https://example.org", False),
        ("java\tscript:alert(1)", False),
        ("//evil.example/", False),
        ("data:text/html,x", False),
        ("https:///nohost", False),
    ],
)
def test_only_web_addresses_become_links(url, linked):
    from app.core.markdown import is_web_url

    assert is_web_url(url) is linked
