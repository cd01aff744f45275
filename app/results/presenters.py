"""What a results page shows: projects in a useful order, with one plain sentence each on why."""

import math
from dataclasses import dataclass
from fractions import Fraction
from types import SimpleNamespace

from flask import g
from flask_babel import format_percent, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.i18n import localized
from app.processes.models import OutcomeRule, Process, Project
from app.results.models import ResultSnapshot
from app.templating import format_money

RULE_TEXT = {
    OutcomeRule.GREEDY: lambda: _(
        "Projects were ranked by their number of votes (or points). Going down the list, each project "
        "was funded if the money left covered its cost; a project that did not fit was skipped and the "
        "next ones were still considered."
    ),
    OutcomeRule.GREEDY_THRESHOLD: lambda: _(
        "Projects were ranked by their number of votes (or points). Only projects with at least the "
        "minimum number of votes could win. Going down the list, each was funded if the money left "
        "covered its cost."
    ),
    OutcomeRule.MES: lambda: _(
        "The Method of Equal Shares: the budget was divided equally among all voters. A project was "
        "funded when its supporters could pay for it together from their shares, cheapest per supporter "
        "first. This gives every group of voters a fair part of the budget, not only the largest group."
    ),
    OutcomeRule.MES_ADD1: lambda: _(
        "The Method of Equal Shares: the budget was divided equally among all voters. A project was "
        "funded when its supporters could pay for it together from their shares, cheapest per supporter "
        "first. The share per voter was then raised step by step, as far as the budget allowed, so that "
        "as much of the money as possible is used. This gives every group of voters a fair part of the "
        "budget, not only the largest group."
    ),
}


@dataclass(frozen=True)
class Row:
    figures: dict
    why: str

    @property
    def selected(self) -> bool:
        return self.figures["selected"]


def _float(value) -> float:
    if isinstance(value, dict):
        return value["float"]
    return float(Fraction(value)) if isinstance(value, str) else float(value)


def _why(figures: dict, currency: str) -> str:
    info = figures["explanation"]
    reason = info.get("reason")
    if reason == "mes":
        payers = info["full_payers"] + info["partial_payers"]
        if "share" in info:
            return ngettext(
                "Funded in round %(round)d: its %(num)d supporter paid %(share)s.",
                "Funded in round %(round)d: its %(num)d supporters paid about %(share)s each.",
                payers,
                round=info["round"],
                share=format_money(round(_float(info["share"]) * 100), currency),
            )
        return _("Funded in round %(round)d: its supporters paid for it together.", round=info["round"])
    if reason == "unaffordable":
        return _(
            "Not funded: its supporters had only %(share)s of its cost left after the projects funded "
            "before it.",
            # rounded down: "only 100 %" would contradict the sentence
            share=format_percent(math.floor(_float(info["money_left_share"]) * 100) / 100),
        )
    if reason == "no_supporters":
        return _("Not funded: nobody voted for it.")
    if reason == "funded":
        return _("Funded as number %(rank)d in the ranking.", rank=info["rank"])
    if reason == "did_not_fit":
        left = round(_float(info["left_before"]) * 100)
        return _(
            "Not funded: number %(rank)d in the ranking, but only %(left)s was left.",
            rank=info["rank"],
            left=format_money(left, currency),
        )
    if reason == "below_threshold":
        return _("Not funded: fewer votes than the minimum needed.")
    if reason == "greedy_fill":
        return _("Funded with the money left over, by number of votes.")
    return _("Funded.") if figures["selected"] else _("Not funded.")


def _titles(snapshot: ResultSnapshot) -> dict[str, str]:
    """Project titles by code: as counted, or in the reader's language where the project has one."""
    translated = _translated_titles(snapshot.process_id)
    return {f["code"]: translated.get(f["code"], f["title"]) for f in snapshot.figures}


def _translated_titles(process_id: int) -> dict[str, str]:
    """{code: title in the reader's language} for a process's projects that are translated; one
    query per request, whatever the number of districts shown."""
    cache = g.setdefault("translated_project_titles", {})
    if process_id not in cache:
        rows = db.session.execute(
            select(Project.code, Project.title, Project.translations).where(Project.process_id == process_id)
        )
        cache[process_id] = {
            code: localized(SimpleNamespace(title=title, translations=translations), "title")
            for code, title, translations in rows
            if translations
        }
    return cache[process_id]


def rows(snapshot: ResultSnapshot, process: Process) -> list[Row]:
    """Winners in the order they were chosen, then the others by votes (most first)."""
    ordered = sorted(
        snapshot.figures, key=lambda f: (not f["selected"], f["round"] or 0, -_float(f["score"]))
    )
    titles = _titles(snapshot)
    return [Row(dict(f, title=titles[f["code"]]), _why(f, process.currency)) for f in ordered]


def greedy_alternative(snapshot: ResultSnapshot) -> dict | None:
    """For proportional rules: what counting by votes alone would have funded instead."""
    codes = snapshot.outcome.get("details", {}).get("greedy_winners")
    if codes is None:
        return None
    titles = _titles(snapshot)
    winners = set(snapshot.outcome["winners"])
    return {
        "only_greedy": [titles[c] for c in codes if c not in winners],
        "only_ours": [titles[c] for c in snapshot.outcome["winners"] if c not in set(codes)],
    }


def per_voter_share(snapshot: ResultSnapshot) -> int | None:
    """The per-voter share the proportional rule finally used, in cents."""
    details = snapshot.outcome.get("details", {})
    if "endowment" not in details:
        return None
    return round(_float(details["endowment"]) * 100)


_PABUTOOLS = {
    OutcomeRule.GREEDY: "greedy_utilitarian_welfare(inst, prof, sat_class=Cost_Sat)",
    OutcomeRule.GREEDY_THRESHOLD: "greedy_utilitarian_welfare(inst, prof, sat_class=Cost_Sat)",
    OutcomeRule.MES: "method_of_equal_shares(inst, prof, sat_class=Cost_Sat)",
    OutcomeRule.MES_ADD1: "method_of_equal_shares(inst, prof, sat_class=Cost_Sat, voter_budget_increment=1)",
}


def recompute_snippet(process: Process) -> str:
    """Python that recomputes the outcome from a downloaded file with pabutools."""
    call = _PABUTOOLS[process.rule]
    lines = [
        "pip install pabutools",
        "python - <<'EOF'",
        "from pabutools.election import parse_pabulib, Cost_Sat",
        "from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares",
        "inst, prof = parse_pabulib('FILE.pb')",
    ]
    if process.rule == OutcomeRule.GREEDY_THRESHOLD:
        lines.append(
            f"# greedy-threshold: first drop the projects with fewer than {process.rule_threshold or 0} votes"
        )
    lines += [f"print(sorted(p.name for p in {call}))", "EOF"]
    return "\n".join(lines)
