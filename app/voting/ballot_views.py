"""The ballot itself: choose, review, cast, see the receipt, read a project's details.

The ballot form is sent with GET to the review page, so a ballot in progress lives in the page's
address: it survives a reload, a dropped connection and a sign-in in the middle (the sign-in page
returns to it). The last reviewed draft is also kept in the session, and static/js/ballot.js keeps
one in the browser's localStorage. Casting is a POST with a CSRF token.
"""

from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.voting import ballots, census, messages, notify, passes, rules
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
        if name not in ("b", "csrf_token")
        for message in messages_
    ]
    if "csrf_token" in form.errors:
        found.append(("projects", _("Your form expired. Please send it again.")))
    for field, message in error.problems if error else []:
        found.append((field.replace("points-", "pts_"), message))
    return found


def _ballot_page(page: Page, form, error: BallotRejected | None = None, source: str = "url"):
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
    """The form as the person left it: from the address, the session's draft, or their cast ballot."""
    if "b" in request.args:
        return ballot_form(page.ballot, formdata=request.args), "url"
    draft = passes.saved_draft(page.process, page.ballot.budget.district_id)
    if draft:
        return ballot_form(page.ballot, formdata=MultiDict(parse_qsl(draft))), "draft"
    cast = (
        ballots.current_ballot(page.process, page.ballot.budget.district_id, page.voter.key)
        if page.voter
        else None
    )
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


def _review_url(page: Page, choices: dict[int, int]) -> str:
    return (
        url_for("voting.review", slug=page.process.slug, district=page.district.slug)
        + "?"
        + _query(page, choices)
    )


def _query(page: Page, choices: dict[int, int]) -> str:
    if page.ballot.rules.uses_points:
        return urlencode([("b", "1"), *((f"pts_{p}", n) for p, n in sorted(choices.items()))])
    return urlencode([("b", "1"), *(("p", p) for p in sorted(choices))])


def _review_page(page: Page, choices: dict[int, int], refusal: VotingError | None = None):
    return render_template(
        "voting/review.html",
        page=page,
        choices=choices,
        chosen=[p for p in page.ballot.projects if p.id in choices],
        status=page.ballot.status(choices),
        cast_form=ballot_form(page.ballot, choices=choices, csrf=True),
        refusal=refusal,
        closed=_closed(page.process),
        here=_review_url(page, choices),
        code_form=CodeForm(next=_review_url(page, choices)),
        census_form=CensusForm(next=_review_url(page, choices)),
        census_kinds=census.proof_kinds(page.process) if page.process.allow_census else set(),
        allowed=page.voter is not None
        and page.district in [b.district for b in allowed_budgets(page.process, page.voter)],
    )


@bp.route("/processes/<slug>/ballot/<district>/review")
def review(slug: str, district: str):
    page = _page(slug, district)
    form = ballot_form(page.ballot, formdata=request.args)
    choices, error = _checked(page, form)
    if choices is None:
        return _ballot_page(page, form, error)
    passes.save_draft(page.process, page.ballot.budget.district_id, _query(page, choices))
    return _review_page(page, choices)


@bp.route("/processes/<slug>/ballot/<district>/cast", methods=["POST"])
def cast(slug: str, district: str):
    page = _page(slug, district)
    form = ballot_form(page.ballot, formdata=request.form, csrf=True)
    if not form.validate():
        return _ballot_page(page, form), 400
    if page.voter is None:
        flash(_("To cast your vote, first sign in or prove you may vote. Your choices are kept."), "info")
        return redirect(url_for("voting.start", slug=slug, next=_review_url(page, form.choices())))
    try:
        result = ballots.cast_ballot(page.process, page.ballot.budget.district_id, page.voter, form.choices())
    except BallotRejected as exc:
        return _ballot_page(page, form, exc)
    except VotingError as exc:
        return _review_page(page, form.choices(), refusal=exc), 403
    if page.voter.channel == Channel.ACCOUNT and current_user.is_authenticated:
        notify.queue_receipt(current_user, page.ballot.budget, result)
    db.session.commit()
    passes.drop_draft(page.process, page.ballot.budget.district_id)
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
