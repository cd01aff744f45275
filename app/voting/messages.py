"""Ballot-rule problems and ballot figures in plain words, in the reader's language, with money
formatted for them ("You have €1,200 left; this project costs €5,000")."""

from flask_babel import gettext, ngettext

from app.templating import format_money
from app.voting import rules


def describe(problem: rules.Problem, currency: str, titles: dict[int, str]) -> str:
    """One sentence saying what is wrong and how to fix it."""
    n = problem.numbers
    money = {
        k: format_money(v, currency)
        for k, v in n.items()
        if k in ("spent", "budget", "over", "minimum", "short")
    }
    title = titles.get(problem.project_id, "") if problem.project_id is not None else ""
    match problem.kind:
        case "too_few":
            return (
                ngettext("Choose at least %(num)d project.", "Choose at least %(num)d projects.", n["min"])
                + " "
                + ngettext("You have chosen %(num)d.", "You have chosen %(num)d.", n["count"])
            )
        case "too_many":
            return (
                ngettext(
                    "You can choose up to %(num)d project.",
                    "You can choose up to %(num)d projects.",
                    n["max"],
                )
                + " "
                + gettext(
                    "You have chosen %(count)d: remove %(extra)d.",
                    count=n["count"],
                    extra=n["count"] - n["max"],
                )
            )
        case "over_budget":
            return gettext(
                "Your projects cost %(spent)s, which is %(over)s more than the budget of %(budget)s. "
                "Remove a project so that they fit.",
                **money,
            )
        case "under_min_spend":
            return gettext(
                "Your projects cost %(spent)s. Choose projects worth at least %(minimum)s "
                "(%(percent)d%% of the budget): %(short)s more.",
                percent=n["percent"],
                **money,
            )
        case "too_many_points":
            return gettext(
                "You have given %(used)d points, %(over)d more than the %(total)d you have. Take some away.",
                **n,
            )
        case "points_over_cap":
            return gettext(
                "You can give at most %(max)d points to one project; “%(title)s” has %(points)d.",
                title=title,
                **n,
            )
        case "bad_points":
            return gettext("Give “%(title)s” a whole number of points, 0 or more.", title=title)
        case _:
            return gettext("One of your choices is not on this ballot. Please choose again.")


def does_not_fit(left_cents: int, cost_cents: int, currency: str) -> str:
    """Why a project cannot be added to a knapsack ballot, with both amounts."""
    return does_not_fit_template().format(
        left=format_money(max(left_cents, 0), currency), cost=format_money(cost_cents, currency)
    )


def does_not_fit_template() -> str:
    return gettext("You have %(left)s left; this project costs %(cost)s.", left="{left}", cost="{cost}")


def too_many_template(ballot: rules.BallotRules) -> str:
    """What ballot.js says when a tap goes past the number of projects or points allowed."""
    if ballot.uses_points:
        return gettext(
            "You have %(total)s points in all. Take some from another project first.", total="{total}"
        )
    return gettext("You can choose up to %(max)s projects. Untick one to choose this one.", max="{max}")


def instructions(ballot: rules.BallotRules, currency: str) -> str:
    """How to fill in this ballot, in a sentence or two."""
    text = _instructions(ballot, currency)
    if ballot.min_choices > 1:
        text += " " + ngettext(
            "Choose at least %(num)d project.", "Choose at least %(num)d projects.", ballot.min_choices
        )
    return text


def _instructions(ballot: rules.BallotRules, currency: str) -> str:
    if ballot.ballot_type == rules.KNAPSACK:
        text = gettext(
            "Choose the projects you want. Their total cost must fit the budget of %(budget)s.",
            budget=format_money(ballot.budget_cents, currency),
        )
        if ballot.min_spend_cents:
            text += " " + gettext(
                "Choose projects worth at least %(minimum)s.",
                minimum=format_money(ballot.min_spend_cents, currency),
            )
        return text
    if ballot.ballot_type == rules.K_APPROVAL and ballot.max_picks:
        return ngettext(
            "Choose up to %(num)d project you want.",
            "Choose up to %(num)d projects you want.",
            ballot.max_picks,
        )
    if ballot.ballot_type == rules.CUMULATIVE:
        return gettext(
            "You have %(total)d points. Give them to the projects you want, at most %(cap)d to one project.",
            total=ballot.total_points,
            cap=ballot.points_cap,
        )
    return gettext("Choose every project you want. There is no limit.")


PLACEHOLDERS = (
    "spent",
    "budget",
    "left",
    "over",
    "count",
    "max",
    "picks_left",
    "used",
    "total",
    "points_left",
)


def status_text(ballot: rules.BallotRules, status: rules.BallotStatus, currency: str) -> str:
    """The sticky bar's running figure ("Spent €150,000 of €220,000 · €70,000 left")."""
    return status_template(ballot, over=rules.is_over(ballot, status)).format(
        spent=format_money(status.spent_cents, currency),
        budget=format_money(ballot.budget_cents, currency),
        left=format_money(max(status.budget_left_cents, 0), currency),
        over=format_money(max(-status.budget_left_cents, 0), currency),
        count=status.chosen,
        max=ballot.max_picks,
        picks_left=(ballot.max_picks or 0) - status.chosen,
        used=status.points_used,
        total=ballot.total_points,
        points_left=(ballot.total_points or 0) - status.points_used,
    )


def status_template(ballot: rules.BallotRules, over: bool = False) -> str:
    """The sticky bar's text with {placeholders}; ballot.js fills the same text in as people tap."""
    names = {name: "{" + name + "}" for name in PLACEHOLDERS}
    if ballot.ballot_type == rules.KNAPSACK:
        if over:
            return gettext("%(over)s over the budget of %(budget)s", **names)
        return gettext("%(left)s left of %(budget)s", **names)
    if ballot.ballot_type == rules.CUMULATIVE:
        if over:
            return gettext("Too many points: %(used)s of %(total)s", **names)
        return gettext("Points left: %(points_left)s of %(total)s", **names)
    if ballot.max_picks:
        return gettext("Projects chosen: %(count)s of %(max)s", **names)
    return gettext("Projects chosen: %(count)s", **names)
