"""The way in to a vote: who is voting here (an account, a census entry or a voter code) and in
which districts; proving a census entry or a code; finishing on a shared device.

The ballot pages are in ballot_views.py, on the same blueprint.
"""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.redirects import is_safe_path
from app.db import utcnow
from app.extensions import db, limiter
from app.processes.models import Phase, Process
from app.processes.services import get_by_slug
from app.voting import ballots, census, codes, passes
from app.voting.ballots import DistrictBallot
from app.voting.eligibility import Voter, allowed_budgets, check_open, when
from app.voting.errors import NotEligible, VotingClosed
from app.voting.forms import CensusForm, CodeForm

bp = Blueprint("voting", __name__)


@dataclass
class Page:
    process: Process
    ballot: DistrictBallot
    voter: Voter | None
    problem: NotEligible | None

    @property
    def district(self):
        return self.ballot.budget.district


def _process(slug: str) -> Process:
    process = get_by_slug(slug)
    if process is None or process.phase == Phase.DRAFT:
        abort(404)
    return process


def _page(slug: str, district_slug: str) -> Page:
    process = _process(slug)
    budget = next((b for b in process.budgets if b.district.slug == district_slug), None)
    if budget is None:
        abort(404)
    voter, problem = passes.current_voter(process)
    ballot = ballots.district_ballot(process, budget.district_id, seed=passes.shuffle_seed(voter))
    return Page(process, ballot, voter, problem)


def _next_url() -> str | None:
    target = request.values.get("next")
    return target if is_safe_path(target) else None


def _closed(process: Process) -> VotingClosed | None:
    try:
        check_open(process, utcnow())
    except VotingClosed as exc:
        return exc
    return None


def _districts(process: Process, voter: Voter | None) -> list[dict]:
    """Each district's ballot for this person: may they vote there, and their ballot if cast."""
    allowed = {b.district_id for b in allowed_budgets(process, voter)} if voter else set()
    return [
        {
            "budget": b,
            "allowed": b.district_id in allowed,
            "ballot": ballots.current_ballot(process, b.district_id, voter.key) if voter else None,
        }
        for b in process.budgets
    ]


def _start_page(process: Process, code_form=None, census_form=None):
    voter, problem = passes.current_voter(process)
    return render_template(
        "voting/start.html",
        process=process,
        voter=voter,
        problem=problem,
        closed=_closed(process),
        districts=_districts(process, voter),
        code_form=code_form or CodeForm(next=_next_url()),
        census_form=census_form or CensusForm(next=_next_url()),
        census_kinds=census.proof_kinds(process) if process.allow_census else set(),
        pass_held=passes.current_pass(process) is not None,
        pass_minutes=passes.PASS_MINUTES,
        next_url=_next_url(),
    )


@bp.route("/processes/<slug>/vote")
def start(slug: str):
    return _start_page(_process(slug))


def _failed(response) -> bool:
    return response.status_code == 200


def _per_process() -> str:
    return f"voting-proof:{request.view_args.get('slug')}"


def _after_proof(process: Process):
    return redirect(_next_url() or url_for("voting.start", slug=process.slug))


@bp.route("/processes/<slug>/vote/code", methods=["POST"])
@limiter.limit("10/minute;40/hour", deduct_when=_failed)
@limiter.limit("100/minute;1000/hour", key_func=_per_process, deduct_when=_failed)
def code(slug: str):
    process = _process(slug)
    form = CodeForm()
    if form.validate_on_submit() and process.allow_codes:
        try:
            found = codes.redeem_code(process, form.code.data)
        except NotEligible as exc:
            form.code.errors.append(str(exc))
        else:
            passes.set_pass(process, "code", found.id)
            flash(_("Your code works. You can vote now."), "success")
            return _after_proof(process)
    return _start_page(process, code_form=form)


@bp.route("/processes/<slug>/vote/census", methods=["POST"])
@limiter.limit("10/minute;40/hour", deduct_when=_failed)
@limiter.limit("100/minute;1000/hour", key_func=_per_process, deduct_when=_failed)
def census_proof(slug: str):
    process = _process(slug)
    form = CensusForm()
    if form.validate_on_submit() and process.allow_census:
        user = current_user if current_user.is_authenticated else None
        try:
            entry = census.prove_census(
                process,
                form.id_number.data,
                birth_date=form.birth_date.data,
                postcode=form.postcode.data,
                user=user,
            )
        except NotEligible as exc:
            form.id_number.errors.append(str(exc))
        else:
            db.session.commit()
            if user is None:
                passes.set_pass(process, "census", entry.id)
            flash(_("You are on the voters' list. You can vote now."), "success")
            return _after_proof(process)
    return _start_page(process, census_form=form)


@bp.route("/processes/<slug>/vote/finish", methods=["POST"])
def finish(slug: str):
    process = _process(slug)
    passes.clear_pass()
    flash(_("Thank you. This device no longer holds your voter pass."), "success")
    return redirect(url_for("voting.start", slug=process.slug))


@bp.app_template_filter("when")
def when_filter(moment) -> str:
    """A moment in the city's time zone, for people: "15 March 2027 at 20:00"."""
    return when(moment) if moment else ""
