"""A district's ballots as a Pabulib election: what is counted is exactly what is published.

Project ids are the projects' ballot codes; costs and the budget are in currency units (exact
fractions of cents); each voter's id is their receipt code, so anyone can find their own ballot.
Approval, k-approval and knapsack ballots are `approval` votes; cumulative ballots are `cumulative`.
"""

from fractions import Fraction

from flask import current_app

from app.processes.models import BallotType, OutcomeRule, Phase, Process, ProcessDistrict
from app.processes.projects import ballot_projects
from app.tally import Election
from app.tally import Project as PbProject
from app.voting.services import ballots_for

PABULIB_RULE = {
    OutcomeRule.GREEDY: "greedy",
    OutcomeRule.GREEDY_THRESHOLD: "greedy-threshold",
    OutcomeRule.MES: "equalshares",
    OutcomeRule.MES_ADD1: "equalshares/add1",
}


def units(cents: int) -> Fraction:
    return Fraction(cents, 100)


def _meta(process: Process, budget: ProcessDistrict) -> dict[str, str]:
    voting = process.dates(Phase.VOTING)
    meta = {
        "description": f"{process.title}: {budget.district.name}",
        "country": current_app.config.get("CITY_COUNTRY", "Worldwide"),
        "unit": current_app.config["CITY_NAME"],
        "subunit": budget.district.name,
        "instance": process.slug,
        "rule": PABULIB_RULE[process.rule],
        "date_begin": voting.starts_at.strftime("%d.%m.%Y") if voting and voting.starts_at else "",
        "date_end": voting.ends_at.strftime("%d.%m.%Y") if voting and voting.ends_at else "",
        "currency": process.currency,
        "language": current_app.config["BABEL_DEFAULT_LOCALE"],
        "min_length": str(process.min_choices),
    }
    if process.ballot_type == BallotType.K_APPROVAL and process.max_choices:
        meta["max_length"] = str(process.max_choices)
    if process.ballot_type == BallotType.KNAPSACK:
        meta["max_sum_cost"] = str(units(budget.budget_cents))
    if process.ballot_type == BallotType.CUMULATIVE and process.total_points:
        meta["max_sum_points"] = str(process.total_points)
        if process.max_points_per_project:
            meta["max_points"] = str(process.max_points_per_project)
    if process.rule == OutcomeRule.GREEDY_THRESHOLD and process.rule_threshold is not None:
        meta["min_project_score_threshold"] = str(process.rule_threshold)
    return {k: v for k, v in meta.items() if v}


def election_for(process: Process, budget: ProcessDistrict) -> tuple[Election, dict[str, int]]:
    """The district's election and a map from ballot code to project id. Voting must be over."""
    projects = ballot_projects(process, budget.district_id)
    code_of = {p.id: p.code for p in projects}
    cumulative = process.ballot_type == BallotType.CUMULATIVE
    ballots = ballots_for(process.id, budget.district_id)
    votes = [
        {code_of[pid]: pts for pid, pts in sorted(choice.items(), key=lambda kv: -kv[1])}
        if cumulative
        else [code_of[pid] for pid in sorted(choice)]
        for _receipt, choice in ballots
    ]
    pb_projects = [
        PbProject(
            p.code,
            units(p.cost_cents),
            name=p.title,
            meta={"category": p.category.slug if p.category else "None"},
        )
        for p in projects
    ]
    election = Election.build(
        units(budget.budget_cents),
        pb_projects,
        votes,
        vote_type="cumulative" if cumulative else "approval",
        meta=_meta(process, budget),
    )
    election.voter_ids = [receipt for receipt, _choice in ballots]
    return election, {p.code: p.id for p in projects}
