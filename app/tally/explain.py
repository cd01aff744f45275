"""Explanations of a MES outcome for a results page: why each project was funded or not, with figures.

Winners: round, exact rate, the share paid by each full-share payer (approval: every such supporter
pays the same), how many supporters paid it and how many paid all they had left, and the effective vote
count (cost / share, equalshares.net's "effective votes"). Losers: no supporters, or the money their
supporters still held at the end of the final run as a share of the cost (always below 1, otherwise the
run would have continued). That share is computed in fixed point and reported as a float.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from app.tally.mes_eval import Eval, RunState, build_record
from app.tally.mes_exact import exact_rate
from app.tally.mes_problem import MesProblem
from app.tally.mes_run import RunTrace
from app.tally.outcome import exact_and_float


def exact_rates(prob: MesProblem, trace: RunTrace) -> dict[int, Fraction]:
    """Exact rates of the run's winners (currency per utility unit), replayed in selection order."""
    rates: dict[int, Fraction] = {}
    for rnd in trace.rounds[:-1]:
        ev = rnd.evaluation
        assert ev is not None  # nosec B101  # invariant: only the last round lacks an evaluation
        rates[ev.q] = _replay(prob, ev, trace.endowment, rates)
    return rates


def _replay(prob: MesProblem, ev: Eval, endowment: Fraction, rates: Mapping[int, Fraction]) -> Fraction:
    rec = ev.record
    if not ev.sharp:
        found = exact_rate(prob, rec, endowment, rates)
        assert found is not None  # nosec B101  # invariant: a non-sharp evaluation has an exact rate
        return found.rho
    # the classes paying all they have hold money > 0, so each holds E - sum(u_p * rate_p) exactly;
    # summed per funded project, that is a few exact products instead of one per class and project
    voters, used = 0, dict.fromkeys(rates, 0)
    for k in ev.poor:
        mult = rec.mult[k]
        voters += mult
        for p, u in prob.pairs(rec.keys[k]):
            used[p] += mult * u
    paid = endowment * voters - sum((rates[p] * w for p, w in used.items() if w), Fraction(0))
    return (Fraction(prob.costs[ev.q]) - paid) / ev.rich_weight


def winner_explanation(prob: MesProblem, ev: Eval, rnd: int, rate: Fraction) -> dict[str, Any]:
    """Figures and one sentence for a project funded in round ``rnd`` of the final run."""
    cost = Fraction(prob.costs[ev.q])
    info: dict[str, Any] = {
        "reason": "mes",
        "round": rnd,
        "rate": exact_and_float(rate),
        "full_payers": ev.full_payers,
        "partial_payers": ev.partial_payers,
    }
    if prob.uniform is None:
        info["text"] = (
            f"Funded in round {rnd}: {ev.full_payers} supporters paid in proportion to their "
            f"points and {ev.partial_payers} paid all they had left."
        )
        return info
    share = rate * prob.uniform[ev.q]
    info.update(share=exact_and_float(share), effective_votes=exact_and_float(cost / share))
    info["text"] = f"Funded in round {rnd}: {ev.full_payers} supporters paid {float(share):.2f} each" + (
        f" and {ev.partial_payers} paid all they had left." if ev.partial_payers else "."
    )
    return info


def loser_explanations(prob: MesProblem, trace: RunTrace) -> dict[int, dict[str, Any]]:
    """Why each supported project outside the run's winners was not funded by it."""
    st = _final_state(prob, trace)
    out: dict[int, dict[str, Any]] = {}
    for q in range(len(prob.ids)):
        if q in trace.winners:
            continue
        if prob.votes[q] == 0:
            out[q] = {"reason": "no_supporters", "text": "Nobody voted for it."}
            continue
        share = _money_share(st, q)
        out[q] = {
            "reason": "unaffordable",
            "money_left_share": share,
            "text": f"Its {prob.votes[q]} supporters had only {share:.0%} of its cost left "
            "after the projects funded before it.",
        }
    return out


def _final_state(prob: MesProblem, trace: RunTrace) -> RunState:
    st = RunState(prob, int(trace.endowment * prob.scale), [0] * len(prob.ids), [0] * len(prob.ids))
    for rnd in trace.rounds[:-1]:
        st.fund(rnd.winner, rnd.rho, rnd.eps)  # type: ignore[arg-type]
    return st


def _money_share(st: RunState, q: int) -> float:
    rec = build_record(st.prob, q, st.funded, st.fmask)
    st.learn(rec.keys)
    money = sum(m * max(0, st.E - st.spent[key]) for key, m in zip(rec.keys, rec.mult, strict=True))
    return money / st.prob.scaled_costs[q]
