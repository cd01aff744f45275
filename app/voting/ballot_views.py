"""The ballot itself: choose, review, cast, see the receipt, read a project's details.

A checked ballot is kept as a server-side draft (drafts.py) and the review page is reached by its
token, so a ballot in progress survives a reload, a dropped connection and a sign-in in the middle
(the sign-in page returns to the review page), and no choice ever appears in an address.
static/js/ballot.js also keeps unsent choices in the browser's localStorage. Every step that
sends choices is a POST with a CSRF token.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db, limiter
from app.voting import ballots, census, drafts, messages, notify, passes, rules
from app.voting.eligibility import allowed_budgets
from app.voting.errors import BallotRejected, VotingError
from app.voting.forms import CensusForm, CodeForm, ballot_form
from app.voting.models import Channel
from app.voting.views import Page, _closed, _districts, _page, bp


def _problems(form, error: BallotRejected | None = None) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the error summary: form errors, then rule problems."""
    found = [
        ("projects" if name == "p" else name, str(message))
        for name, messages_ in form.errors.items()
        if name not in ("d", "csrf_token")
        for message in messages_
    ]
    if "csrf_token" in form.errors:
        found.append(("projects", _("Your form expired. Please send it again.")))
    for field, message in error.problems if error else []:
        found.append((field.replace("points-", "pts_"), message))
    return found


def _ballot_page(page: Page, form, error: BallotRejected | None = None, source: str = "form"):
    sent = form.choices() if not form.errors.get("p") else {}
    choices = {k: v for k, v in sent.items() if isinstance(v, int) and v > 0}
    status, currency = page.ballot.status(choices), page.process.currency
    return render_template(
        "voting/ballot.html",
        page=page,
        form=form,
        chosen=choices,
        status=status,
        status_text=messages.status_text(page.ballot.rules, status, currency),
        over=rules.is_over(page.ballot.rules, status),
        bar_texts={
            "under": messages.status_template(page.ballot.rules),
            "over": messages.status_template(page.ballot.rules, over=True),
            "nofit": messages.does_not_fit_template(),
            "toomany": messages.too_many_template(page.ballot.rules),
        },
        hints={
            p.id: messages.does_not_fit(status.budget_left_cents, p.cost_cents, currency)
            for p in page.ballot.projects
            if p.id not in choices and not rules.fits(page.ballot.rules, status, p.cost_cents)
        },
        instructions=messages.instructions(page.ballot.rules, currency),
        problems=_problems(form, error),
        closed=_closed(page.process),
        source=source,
    )


def _prefill(page: Page):
    """The form as the person left it: a draft named in the address or the session, else their ballot."""
    district_id = page.ballot.budget.district_id
    token = request.args.get("d") or passes.saved_draft(page.process, district_id)
    choices = drafts.load_draft(page.ballot, token)
    if choices is not None:
        return ballot_form(page.ballot, choices=choices, draft=token), "draft"
    cast = ballots.current_ballot(page.process, district_id, page.voter.key) if page.voter else None
    return ballot_form(page.ballot, choices=cast.points if cast else {}), "ballot" if cast else "empty"


@bp.route("/processes/<slug>/ballot/<district>")
def ballot(slug: str, district: str):
    page = _page(slug, district)
    form, source = _prefill(page)
    return _ballot_page(page, form, source=source)


def _checked(page: Page, form) -> tuple[dict[int, int] | None, BallotRejected | None]:
    if not form.validate():
        return None, None
    try:
        return ballots.check_choices(page.ballot, form.choices()), None
    except BallotRejected as exc:
        return None, exc


def _review_url(page: Page, token: str) -> str:
    return url_for("voting.review", slug=page.process.slug, district=page.district.slug, d=token)


def _review_page(page: Page, choices: dict[int, int], token: str, refusal: VotingError | None = None):
    here = _review_url(page, token)
    return render_template(
        "voting/review.html",
        page=page,
        choices=choices,
        chosen=[p for p in page.ballot.projects if p.id in choices],
        status=page.ballot.status(choices),
        cast_form=ballot_form(page.ballot, choices=choices, draft=token),
        refusal=refusal,
        closed=_closed(page.process),
        here=here,
        change_url=url_for("voting.ballot", slug=page.process.slug, district=page.district.slug, d=token),
        code_form=CodeForm(next=here),
        census_form=CensusForm(next=here),
        census_kinds=census.proof_kinds(page.process) if page.process.allow_census else set(),
        allowed=page.voter is not None
        and page.district in [b.district for b in allowed_budgets(page.process, page.voter)],
    )


@bp.route("/processes/<slug>/ballot/<district>/review", methods=["GET", "POST"])
@limiter.limit("300/minute", methods=["POST"])  # drafts are rows: no flood, but room for shared addresses
def review(slug: str, district: str):
    """POST: check the ballot form; keep it as a draft and show it for review, or show the problems."""
    page = _page(slug, district)
    if request.method == "GET":
        token = request.args.get("d")
        choices = drafts.load_draft(page.ballot, token)
        if choices is None:
            return redirect(url_for("voting.ballot", slug=slug, district=district))
        return _review_page(page, choices, token)
    form = ballot_form(page.ballot, formdata=request.form)
    choices, error = _checked(page, form)
    if choices is None:
        return _ballot_page(page, form, error)
    drafts.drop_draft(form.d.data)  # the draft this one replaces
    token = drafts.save_draft(page.ballot, choices)
    db.session.commit()
    passes.save_draft(page.process, page.ballot.budget.district_id, token)
    return redirect(_review_url(page, token), 303)


@bp.route("/processes/<slug>/ballot/<district>/cast", methods=["POST"])
def cast(slug: str, district: str):
    page = _page(slug, district)
    form = ballot_form(page.ballot, formdata=request.form)
    if not form.validate():
        return _ballot_page(page, form), 400
    if page.voter is None:
        flash(_("To cast your vote, first sign in or prove you may vote. Your choices are kept."), "info")
        back = _review_url(page, form.d.data) if form.d.data else request.path
        return redirect(url_for("voting.start", slug=slug, next=back))
    process_id, district_id = page.process.id, page.ballot.budget.district_id
    try:
        result = ballots.cast_ballot(
            page.process, district_id, page.voter, form.choices(), ballot=page.ballot
        )
    except BallotRejected as exc:
        return _ballot_page(page, form, exc)
    except VotingError as exc:
        return _review_page(page, form.choices(), form.d.data or "", refusal=exc), 403
    if page.voter.channel == Channel.ACCOUNT and current_user.is_authenticated:
        notify.queue_receipt(current_user, page.voter, page.ballot.budget, result)
    drafts.drop_draft(form.d.data)
    db.session.commit()
    passes.drop_draft(process_id, district_id)  # ids read before the commit, which expires the rows
    return redirect(url_for("voting.done", slug=slug, district=district, changed=int(result.changed)))


@bp.route("/processes/<slug>/ballot/<district>/done")
def done(slug: str, district: str):
    page = _page(slug, district)
    cast = (
        ballots.current_ballot(page.process, page.ballot.budget.district_id, page.voter.key)
        if page.voter
        else None
    )
    if cast is None:
        return redirect(url_for("voting.ballot", slug=slug, district=district))
    points = cast.points
    return render_template(
        "voting/done.html",
        page=page,
        cast=cast,
        points=points,
        chosen=[p for p in page.ballot.projects if p.id in points],
        status=page.ballot.status(points),
        changed=request.args.get("changed") == "1",
        districts=_districts(page.process, page.voter),
        pass_held=passes.current_pass(page.process) is not None,
        pass_minutes=passes.PASS_MINUTES,
        closed=_closed(page.process),
    )


@bp.route("/processes/<slug>/ballot/<district>/projects/<int:project_id>")
def project(slug: str, district: str, project_id: int):
    page = _page(slug, district)
    found = next((p for p in page.ballot.projects if p.id == project_id), None)
    if found is None:
        abort(404)
    return render_template("voting/project.html", page=page, project=found)
