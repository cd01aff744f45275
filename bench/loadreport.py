"""The report of bench/load.py: latency and wave tables, the open-loop steps, and the verdicts
against the targets (also written as JSON with --out).
"""

from __future__ import annotations

import json
import os

import loaddb
from loadgen import Recorder, percentile

TARGETS = {"ballots_per_s": 200, "p95_ms": 300}
DROPPED = "dropped: max in flight"


def print_report(args, figures: dict, check: loaddb.Check, load_before: str, load_after: str) -> bool:
    rec: Recorder = figures["recorder"]
    print(f"\nload average before {load_before}, after {load_after}; {os.cpu_count()} cores")
    print(
        f"gunicorn: {args.workers} workers, {args.worker_class}, threads {args.threads}; "
        f"{_shape(args)}; {args.voters} voters; faults: {args.faults}"
    )
    _print_latencies(rec)
    sign_in, trivial = figures["sign_in"], figures["trivial"]
    if args.steps:
        voting = [(f"voting @{st['target_rate']:g}/s", st) for st in figures["steps"]]
    else:
        voting = [("voting (ballots)", figures["vote"])]
    _print_waves([("sign-in", sign_in), *voting, ("/healthz", trivial)])
    if args.steps:
        best = _print_steps(figures["steps"])
    else:
        vote = figures["vote"]
        ratio = vote["rate"] / trivial["rate"] if trivial["rate"] else float("nan")
        print(
            f"\nballots/s (steady, cast step): {vote['rate']:.1f}   sign-ins/s: {sign_in['rate']:.1f}   "
            f"/healthz req/s: {trivial['rate']:.1f}   ratio ballots : healthz = {ratio:.3f}"
        )
        if args.open_rates:
            _print_open(vote, rec)
    for event in figures["events"]:
        print("fault  " + event)
    print(
        f"\ndatabase check: accepted {check.accepted}, present exactly once with the last choices "
        f"{check.present_once}, wrong choices {check.wrong_choices}, missing {check.missing}, "
        f"unexpected {check.unexpected}, uncertain {check.uncertain}, ballots in the process "
        f"{check.total_ballots}: {'OK' if check.ok else 'FAILED'}"
    )
    verdicts = _verdicts(args, figures, check)
    for name, passed in verdicts.items():
        print(f"  {'PASS' if passed else 'FAIL'}  {name}")
    if args.out:
        dump = {k: v for k, v in figures.items() if k != "recorder"}
        dump["latency"] = latency_percentiles(rec)
        dump["errors"] = {f"{k} | {r}": n for (k, r), n in rec.errors.items()}
        dump["check"] = check.__dict__
        dump["verdicts"] = verdicts
        dump["settings"] = {k: v for k, v in vars(args).items() if k != "out"}
        if args.steps:
            dump["highest_rate_cast_p95_ok"] = best
        args.out.write_text(json.dumps(dump, indent=1, default=str))
    return all(verdicts.values())


def _shape(args) -> str:
    if not args.open_rates:
        return f"{args.concurrency} clients"
    rates = ", ".join(f"{r:g}" for r in args.open_rates)
    steps = f" (one step per rate, {args.voters // len(args.steps)} voters each)" if args.steps else ""
    return (
        f"sign-in and /healthz {args.concurrency} clients; voting open loop, {args.arrivals} arrivals "
        f"at {rates} ballots/s{steps}, at most {args.max_in_flight} in flight"
    )


def latency_percentiles(rec: Recorder) -> dict[str, list[float]]:
    """{kind: [p50, p95, p99, count]} in ms."""
    return {k: [percentile(v, q) for q in (50, 95, 99)] + [len(v)] for k, v in rec.latencies.items()}


def _print_latencies(rec: Recorder) -> None:
    print(f"\n{'request':<20}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind in sorted(rec.latencies, key=_order):
        lat = rec.latencies[kind]
        errors = rec.error_count({kind})
        p50, p95, p99 = (percentile(lat, q) for q in (50, 95, 99))
        print(f"{kind:<20}{len(lat):>7}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{errors:>8}")
    for (kind, reason), n in sorted(rec.errors.items()):
        print(f"  error  {kind}: {reason} x{n}")
    print(f"  client retries: {rec.retries}")


def _print_waves(phases: list[tuple[str, dict]]) -> None:
    print(
        "\nwave            count  elapsed  steady/s  window  busy  "
        "CPU ms per counted event: app + db + load = total -> idle-machine ceiling/s"
    )
    for name, phase in phases:
        n = max(1, phase["count"])
        app_ms, pg_ms, gen_ms = (1000 * phase[k] / n for k in ("app_cpu_s", "pg_cpu_s", "generator_cpu_s"))
        total = app_ms + pg_ms + gen_ms
        print(
            f"{name:<16}{phase['count']:>6}{phase['elapsed_s']:>8.1f}s{phase['rate']:>9.1f}{phase['window_s']:>7.1f}s"
            f"{phase['machine_busy']:>6.0%}  {app_ms:6.1f} + {pg_ms:5.1f} + {gen_ms:5.1f} = {total:6.1f}"
            f" -> {1000 * (os.cpu_count() or 1) / total:7.1f}"
        )
        for reason, k in phase["failures"].items():
            print(f"  gave up: {reason} x{k}")


def _print_open(vote: dict, rec: Recorder) -> None:
    lag50, lag99, lag_max = vote["start_lag_ms"]
    cast_p95 = percentile(rec.latencies.get("ballot POST", []), 95)
    vote["cast_p95_ms"], vote["cast_p95_ok"] = cast_p95, cast_p95 < TARGETS["p95_ms"]
    print(
        f"open loop: target {vote['target_rate']:g} ballots/s ({vote['arrivals']} arrivals, offered "
        f"{vote['offered_rate']:.1f}), achieved {vote['rate']:.1f} (steady, cast step); dropped "
        f"{vote['dropped_voters']} voters and {vote['dropped_readers']} page views (at most "
        f"{vote['max_in_flight']} in flight); cast p95 {cast_p95:.1f} ms "
        f"{'<' if vote['cast_p95_ok'] else '>='} {TARGETS['p95_ms']} ms"
    )
    print(
        f"  generator start lag p50 / p99 / max: {lag50:.1f} / {lag99:.1f} / {lag_max:.1f} ms; latencies "
        "of the voting wave count from when each request was meant to start: ballot GET and page views "
        "from the arrival, a cast from its first attempt, the journey from arrival to the cast's answer"
    )


def _print_steps(steps: list[dict]) -> float | None:
    """One row per open-loop step; returns the highest rate whose step had cast p95 under the target,
    no failed request and none dropped."""
    target = TARGETS["p95_ms"]
    print(
        f"\n{'rate/s':>7}{'achieved':>9}{'voters':>7}{'cast p50':>9}{'p95':>7}{'p99':>7}"
        f"{'GET p95':>9}{'journey p95':>12}{'errors':>7}{'dropped':>8}  cast p95 < {target} ms"
    )
    best = None
    for st in steps:
        nan = [float("nan")] * 4
        cast, get, journey = (st["latency"].get(k, nan) for k in ("ballot POST", "ballot GET", "journey"))
        dropped = st["dropped_voters"] + st["dropped_readers"]
        errors = sum(n for key, n in st["errors"].items() if not key.endswith(DROPPED))
        st["cast_p95_ok"] = cast[1] < target
        st["clean"] = not (errors or dropped or st["failures"])
        if st["cast_p95_ok"] and st["clean"]:
            best = st["target_rate"] if best is None else max(best, st["target_rate"])
        print(
            f"{st['target_rate']:>7g}{st['rate']:>9.1f}{st['voters']:>7}{cast[0]:>9.0f}{cast[1]:>7.0f}"
            f"{cast[2]:>7.0f}{get[1]:>9.0f}{journey[1]:>12.0f}{errors:>7}{dropped:>8}  "
            f"{'yes' if st['cast_p95_ok'] else 'no'}"
        )
    for st in steps:
        for key, n in st["errors"].items():
            print(f"  error @{st['target_rate']:g}/s  {key} x{n}")
    shown = f"{best:g} ballots/s" if best is not None else "none of the rates tried"
    print(f"highest rate with cast p95 < {target} ms, no errors and none dropped: {shown}")
    print(
        "  (open loop: ballot GET and journey from the voter's scheduled arrival, casts from their first "
        "attempt; achieved = steady cast rate, 5th to 95th percentile of completions)"
    )
    return best


def _verdicts(args, figures: dict, check: loaddb.Check) -> dict[str, bool]:
    rec: Recorder = figures["recorder"]
    voting = figures["steps"] if args.steps else [figures["vote"]]
    dropped = sum(p.get("dropped_voters", 0) + p.get("dropped_readers", 0) for p in voting)
    step_errors = sum(sum(p.get("errors", {}).values()) for p in voting)
    errors = dropped if args.faults else rec.error_count() + step_errors
    gave_up = any(p["failures"] for p in (figures["sign_in"], *voting, figures["trivial"]))
    no_errors = "zero errors" if not args.faults else "every voter's ballot accepted"
    if args.open_rates:
        no_errors += ", none dropped"
    verdicts = {}
    if not args.steps:
        cast_p95 = percentile(rec.latencies.get("ballot POST", []), 95)
        verdicts[f"ballots/s >= {TARGETS['ballots_per_s']}"] = voting[0]["rate"] >= TARGETS["ballots_per_s"]
        verdicts[f"cast p95 < {TARGETS['p95_ms']} ms"] = cast_p95 < TARGETS["p95_ms"]
    verdicts[no_errors] = errors == 0 and not gave_up
    verdicts["no lost or duplicate ballots"] = check.ok
    return verdicts


def _order(kind: str) -> tuple[int, str]:
    steps = ["sign-in GET", "sign-in POST", "ballot GET", "ballot POST", "ballot POST again", "journey"]
    return (steps.index(kind) if kind in steps else len(steps), kind)
