"""Benchmark app.tally against pabutools on Pabulib files.

    python bench/tally.py                      # all files in the pabulib folder, all rules
    python bench/tally.py Poland_Warszawa_2026 --rules mes-add1-pabulib
    python bench/tally.py --full               # also pabutools' Add1 on the big files (hours)
    python bench/tally.py --no-pabutools
    python bench/tally.py --explain            # our times include the MES explanations

Our engine runs like ``flask pb tally`` without ``--full``: winners and figures, no per-project
explanations (``explain=False``), unless ``--explain`` is given (what the results page pays).

Each measurement runs in a fresh Python process, so "peak MB" is that process's maximum resident set
(parse + rule). Times are CPU seconds (``time.process_time``) including parsing; wall-clock time is
noisier on a shared machine. Rules:

* ``greedy``, ``mes``: ``tie_break="lexico"``, compared with pabutools' greedy / MES;
* ``greedy-threshold``: ours only (pabutools has no threshold rule);
* ``mes-add1``: ``stop_when_exhaustive=True, start="exact"``, compared with pabutools' Add1;
* ``mes-add1-pabulib``: Pabulib's equalshares/add1 (our defaults), ours only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PABULIB = Path(os.environ.get("PABULIB_DIR") or ROOT / ".." / "shared" / "pabulib")
RULES = ("greedy", "greedy-threshold", "mes", "mes-add1", "mes-add1-pabulib")
OURS = {
    "greedy": ("greedy", {"tie_break": "lexico"}),
    "greedy-threshold": ("greedy-threshold", {}),
    "mes": ("mes", {"tie_break": "lexico"}),
    "mes-add1": ("mes-add1", {"tie_break": "lexico", "stop_when_exhaustive": True, "start": "exact"}),
    "mes-add1-pabulib": ("mes-add1", {}),
}
# pabutools' Add1 takes minutes on these (RULES.md §3: 107-643 s; Katowice ~150 s here): --full only.
SLOW_ADD1 = {
    "Poland_Warszawa_2026",
    "Poland_Krakow_2024",
    "Poland_Warszawa_2023_Mokotow",
    "Poland_Katowice_2023",
}


def measure_ours(path: str, rule: str) -> dict:
    """Parse + run one rule in this process; returns timings, winners and peak memory."""
    import resource

    sys.path.insert(0, str(ROOT))
    from app.tally import tally_file

    name, options = OURS[rule]
    start, wall = time.process_time(), time.perf_counter()
    try:
        result = tally_file(path, name, explain=os.environ.get("BENCH_EXPLAIN") == "1", **options)
    except ValueError as exc:  # e.g. greedy-threshold on a file without a threshold
        return {"error": str(exc)}
    details = result["details"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "cpu": time.process_time() - start,
        "wall": time.perf_counter() - wall,
        "winners": result["winners"],
        "peak_mb": peak,
        "runs": details.get("completion_runs"),
        "computed": details.get("runs_computed"),
    }


def measure_pabutools(path: str, rule: str) -> dict:
    """Parse with pabutools and run the corresponding rule (see the module docstring)."""
    sys.path.insert(0, str(ROOT))
    from app.tally import read_pb
    from tests.unit.tally import pabu_reference as ref

    election = read_pb(path)
    length = election.ordinal_length() if election.vote_type == "ordinal" else None
    start = time.process_time()
    instance, profile = ref.parse(Path(path))
    if rule == "greedy":
        winners = ref.greedy_ids(instance, profile, election.vote_type, length)
    else:
        winners = ref.mes_ids(instance, profile, election.vote_type, length, add1=rule == "mes-add1")
    return {"cpu": time.process_time() - start, "winners": winners}


def _child(kind: str, path: str, rule: str, timeout: float | None) -> dict | None:
    cmd = [sys.executable, __file__, "--child", kind, path, rule]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"{kind} {rule} on {path} failed:\n{exc.stderr}") from None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _wants_pabutools(name: str, rule: str, args: argparse.Namespace) -> bool:
    if args.no_pabutools or rule in ("greedy-threshold", "mes-add1-pabulib"):
        return False
    return args.full or not (rule == "mes-add1" and name in SLOW_ADD1)


def _row(name: str, rule: str, args: argparse.Namespace) -> str:
    path = str(PABULIB / f"{name}.pb")
    ours = _child("ours", path, rule, None)
    assert ours is not None
    if "error" in ours:
        return f"{name:38} {rule:17} n/a: {ours['error']}"
    theirs = _child("pabutools", path, rule, None) if _wants_pabutools(name, rule, args) else None
    their_time = f"{theirs['cpu']:9.2f}" if theirs else "        -"
    ratio = f"{theirs['cpu'] / ours['cpu']:7.1f}x" if theirs else "       -"
    same = "-" if theirs is None else ("yes" if theirs["winners"] == ours["winners"] else "NO")
    runs = f"{ours['runs']}/{ours['computed']}" if ours["runs"] else ""
    return (
        f"{name:38} {rule:17} {ours['cpu']:8.2f} {their_time} {ratio} {same:>5} {ours['peak_mb']:8.0f} {runs}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", help="file stems in the pabulib folder (default: all)")
    parser.add_argument("--rules", default=",".join(RULES), help=f"comma list from {', '.join(RULES)}")
    parser.add_argument("--full", action="store_true", help="run pabutools even where it takes minutes")
    parser.add_argument("--no-pabutools", action="store_true", help="only time our engine")
    parser.add_argument("--explain", action="store_true", help="include the MES explanations in our times")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "RULE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path, rule = args.child
        measure = measure_ours if kind == "ours" else measure_pabutools
        print(json.dumps(measure(path, rule)))
        return
    if args.explain:
        os.environ["BENCH_EXPLAIN"] = "1"
    names = args.files or sorted(p.stem for p in PABULIB.glob("*.pb"))
    print(f"{'file':38} {'rule':17} {'ours s':>8} {'pabu s':>9} {'ratio':>8} {'same':>5} {'peak MB':>8} runs")
    for name in names:
        for rule in args.rules.split(","):
            if rule not in RULES:
                raise SystemExit(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
            print(_row(name, rule, args), flush=True)


if __name__ == "__main__":
    main()
