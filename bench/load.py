"""Voting day on one machine: gunicorn (4 workers) and PostgreSQL under 2,000 voters and public readers.

    python bench/load.py                          # full run: 2,000 voters (rebuilds bench_load)
    python bench/load.py --voters 200 --reuse     # a short run on the database already built
    python bench/load.py --worker-class sync      # gthread with 4 threads is the default (measured better)
    python bench/load.py --faults                 # kill a worker and restart PostgreSQL mid-vote
    python bench/load.py --reuse --rate 20        # open loop: voters arrive at 20 ballots/s (Poisson)
    python bench/load.py --reuse --rates 10,20,30 # one open-loop voting step per rate, a table row each

What it does:

1. builds the `bench_load` PostgreSQL database (dropped and created again unless --reuse): migrations,
   the demo city (for public results and proposal pages), a process in the voting phase with a
   knapsack ballot of 12 projects, and the verified voter accounts, inserted in bulk with one password
   hash made once with the production hashing setting (scrypt, werkzeug's default cost);
2. starts Redis (rate limits shared by the workers, as in production) when `redis-server` exists, and
   gunicorn with this repository's gunicorn.conf.py, APP_ENV=production, on a free loopback port;
3. sign-in wave: each voter GETs the sign-in page and POSTs the form (CSRF token from the page);
   reported as sign-ins per second, apart from the ballots (scrypt is meant to be slow);
4. voting wave: each voter GETs the ballot and POSTs it (CSRF token from the form), a few post the
   same ballot twice (a browser retrying after a lost answer), and anonymous readers GET the public
   results and proposal pages in between; ballots per second are measured on the cast step over the
   steady middle of the wave (5th to 95th percentile of completion times);
5. the trivial endpoint (/healthz: one `SELECT 1`) under the same generator, for the ratio;
6. checks the database: every ballot a client saw accepted is there exactly once with the choices
   last sent, and no other ballot exists in the bench process.

Closed or open loop. By default every wave is a closed loop of --concurrency clients, each starting
its next job when its last one ends: it finds the throughput, but once the host is saturated its
latencies are mostly time spent queueing (p50 ≈ clients / throughput). With --rate R the voting wave
is an open loop instead: voters start their journey (ballot GET, then the cast) at the arrival times
of a Poisson process of R per second (--arrivals uniform: evenly spaced; seeded by --seed) whether or
not earlier voters have finished, and the public page views arrive the same way, spread over the same
time at --readers-per-voter per voter. At most --max-in-flight jobs run at once; an arrival past that
is not started and is counted as dropped (an error). Latencies in an open-loop wave are taken from
when each request was meant to start, so queueing shows instead of being hidden (coordinated
omission): a ballot GET or page view from its scheduled arrival, a cast from its first attempt, and
the "journey" from the voter's arrival to the cast's answer. With --rates R1,R2,... the voting wave
runs once per rate, one after the other, each on its own voters (--voters is the total, split evenly
among the steps, so each voter still casts once), and the report has one row per rate. The sign-in
wave and /healthz stay closed loops in both cases.

With --faults, during the voting wave one gunicorn worker is killed with SIGKILL (the master starts a
new one) and PostgreSQL is restarted; clients retry connection errors and 5xx answers with the same
request (a cast is idempotent: casting the same ballot again replaces it with itself).

Traffic goes only to 127.0.0.1. Each simulated voter sends its own X-Forwarded-For address from the
loopback range (the app trusts one proxy, as behind a load balancer), so per-address rate limits see
2,000 people, not one.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loaddb  # noqa: E402
from loadgen import (  # noqa: E402
    Arrival,
    Client,
    Recorder,
    Voter,
    percentile,
    pick_choices,
    run_open,
    run_pool,
    schedule,
)
from loadreport import DROPPED, latency_percentiles, print_report  # noqa: E402
from loadserver import Server, bench_env, faults, machine_load, measure_wave  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=24, help="simultaneous clients (closed loop)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--readers-per-voter", type=float, default=1.0, help="public page views per ballot")
    parser.add_argument("--repeat-share", type=float, default=0.02, help="voters who post their ballot twice")
    parser.add_argument("--trivial", type=int, default=3000, help="requests to /healthz for the ratio")
    parser.add_argument("--faults", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database; only clear its bench ballots"
    )
    parser.add_argument("--db", default="bench_load")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--retry-for", type=float, default=60.0, help="seconds a client keeps retrying")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    loop = parser.add_mutually_exclusive_group()
    loop.add_argument("--rate", type=float, help="open-loop voting wave: voters starting per second")
    loop.add_argument("--rates", help="open-loop voting steps, one per rate, e.g. 10,20,30 (--voters split)")
    parser.add_argument("--arrivals", choices=("poisson", "uniform"), default="poisson")
    parser.add_argument("--max-in-flight", type=int, default=200, help="open loop: jobs running at once")
    args = parser.parse_args()
    try:
        args.steps = [float(r) for r in args.rates.split(",")] if args.rates else []
    except ValueError:
        parser.error(f"--rates takes numbers separated by commas, not {args.rates!r}")
    args.open_rates = [args.rate] if args.rate is not None else args.steps
    if any(r <= 0 for r in args.open_rates) or args.max_in_flight < 1:
        parser.error("rates and --max-in-flight must be positive")
    if args.steps and args.faults:
        parser.error("--faults goes with a closed loop or a single --rate, not --rates")
    return args


async def run_load(args, server: Server, ballot: loaddb.Ballot, voters: list[Voter]) -> dict:
    rec = Recorder()
    # Open loop: one connection per job in flight, so no request waits for a free one in the client.
    pool = max(args.concurrency, args.max_in_flight) if args.open_rates else args.concurrency
    client = Client(server.base, rec, concurrency=pool, retry_for=args.retry_for, password=loaddb.PASSWORD)
    ballot_path = f"/processes/{ballot.slug}/ballot/{ballot.district}"
    rng = random.Random(args.seed + 1)
    figures: dict = {"failures": {}, "events": []}
    try:
        figures["sign_in"] = await measure_wave(
            rec,
            server,
            _closed([lambda v=v: client.sign_in(v, ballot_path) for v in voters], args.concurrency),
            "sign-in POST",
        )
        if args.open_rates:
            await _open_waves(args, server, client, ballot, voters, rng, figures)
        else:
            jobs = _voting_jobs(args, client, ballot, voters, rng)
            extra = faults(args, server, rec, voters, figures)
            closed = _closed([lambda j=job: j(None) for _, job in jobs], args.concurrency)
            figures["vote"] = await measure_wave(rec, server, closed, "ballot POST", extra)
        client.rec = rec
        figures["trivial"] = await measure_wave(
            rec,
            server,
            _closed(
                [lambda: client.read("healthz", "/healthz") for _ in range(args.trivial)], args.concurrency
            ),
            "healthz",
        )
    finally:
        await client.close()
    figures["recorder"] = rec
    return figures


def _voting_jobs(args, client: Client, ballot: loaddb.Ballot, voters: list[Voter], rng) -> list:
    """(kind, job) for each signed-in voter's ballot ("voter") and the page views mixed in (the page's
    kind), in that order; a job takes its scheduled start (None in the closed loop)."""
    path = f"/processes/{ballot.slug}/ballot/{ballot.district}"
    jobs = []
    for v in voters:
        if v.signed_in:
            repeat = rng.random() < args.repeat_share
            jobs.append(("voter", lambda at, v=v, r=repeat: client.vote(v, path, repeat=r, arrival=at)))
        for _ in range(_readers(rng, args.readers_per_voter)):
            page = rng.choice(ballot.public_paths)
            kind = _page_kind(page)
            jobs.append((kind, lambda at, p=page, k=kind: client.read(k, p, arrival=at)))
    return jobs


def _closed(jobs: list, concurrency: int):
    return lambda failures: run_pool(jobs, concurrency, failures)


async def _open_waves(
    args, server: Server, client: Client, ballot, voters: list[Voter], rng, figures
) -> None:
    """The voting wave as an open loop: once at --rate (figures["vote"], on the run's recorder), or
    once per --rates step on that step's share of the voters, each with a recorder of its own
    (figures["steps"], with their latencies and errors)."""
    arrivals_rng = random.Random(args.seed + 2)
    steps, count = [], len(args.open_rates)
    for n, rate in enumerate(args.open_rates):
        share = voters[n * len(voters) // count : (n + 1) * len(voters) // count]
        if args.steps:
            client.rec = Recorder()
        jobs = _voting_jobs(args, client, ballot, share, rng)
        extra = faults(args, server, client.rec, share, figures)
        phase = await _open_wave(args, server, client.rec, jobs, rate, arrivals_rng, extra)
        if not args.steps:
            figures["vote"] = phase
            return
        phase["voters"] = len(share)
        phase["latency"] = latency_percentiles(client.rec)
        phase["errors"] = {f"{k} | {r}": m for (k, r), m in client.rec.errors.items()}
        steps.append(phase)
    figures["steps"] = steps


async def _open_wave(args, server: Server, rec: Recorder, jobs: list, rate: float, rng, extra) -> dict:
    """Voters arrive at `rate` per second; their page views arrive as a stream of their own over the
    same time (both Poisson or both evenly spaced), so a page view is not tied to a ballot."""
    voting = [job for kind, job in jobs if kind == "voter"]
    reading = [(kind, job) for kind, job in jobs if kind != "voter"]
    times = schedule(len(voting), rate, args.arrivals, rng)
    arrivals = [Arrival(t, "journey", job) for t, job in zip(times, voting, strict=True)]
    if reading:
        read_rate = rate * len(reading) / max(1, len(voting))
        first = 0.5 / read_rate if args.arrivals == "uniform" else rng.expovariate(read_rate)
        read_times = schedule(len(reading), read_rate, args.arrivals, rng, first)
        arrivals += [Arrival(t, k, job) for t, (k, job) in zip(read_times, reading, strict=True)]
    dropped: Counter = Counter()
    lags: list[float] = []

    async def run(failures: Counter) -> float:
        elapsed, late = await run_open(arrivals, args.max_in_flight, failures, dropped)
        lags.extend(late)
        return elapsed

    phase = await measure_wave(rec, server, run, "ballot POST", extra)
    for kind, n in dropped.items():
        rec.errors[(kind, DROPPED)] += n
    phase.update(
        target_rate=rate,
        arrivals=args.arrivals,
        max_in_flight=args.max_in_flight,
        offered_rate=(len(times) - 1) / times[-1] if len(times) > 1 and times[-1] > 0 else 0.0,
        dropped_voters=dropped["journey"],
        dropped_readers=sum(dropped.values()) - dropped["journey"],
        start_lag_ms=[1000 * percentile(lags, q) for q in (50, 99, 100)],
    )
    return phase


def _readers(rng: random.Random, per_voter: float) -> int:
    whole = int(per_voter)
    return whole + (1 if rng.random() < per_voter - whole else 0)


def _page_kind(path: str) -> str:
    if path.endswith("/results"):
        return "results GET"
    if "/proposals" in path:
        return "proposals GET"
    return "process GET"


def main() -> int:
    args = parse_args()
    env = bench_env(args)
    from app import create_app

    app = create_app()
    if args.reuse:
        loaddb.clear_ballots(app)
        ballot = loaddb.load_ballot(app)
    else:
        t0 = time.perf_counter()
        loaddb.recreate_database(args.pg, args.db)
        ballot = loaddb.prepare(app, max(args.voters, 2000))  # later --reuse runs may use up to 2,000
        print(f"prepared {args.db}: {len(ballot.voters)} voters in {time.perf_counter() - t0:.1f} s")
    if len(ballot.voters) < args.voters:
        raise SystemExit(
            f"{args.db} has {len(ballot.voters)} voters; run without --reuse to make {args.voters}"
        )
    rng = random.Random(args.seed)
    voters = [
        Voter(
            uid,
            email,
            f"127.{20 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}",
            pick_choices(rng, ballot.costs, ballot.budget_cents),
        )
        for n, (uid, email) in enumerate(ballot.voters[: args.voters])
    ]
    logdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server = Server(args, env, logdir)
    load_before = machine_load()
    server.start()
    try:
        figures = asyncio.run(run_load(args, server, ballot, voters))
    finally:
        server.stop()
    load_after = machine_load()
    accepted = {v.user_id: v.accepted for v in voters if v.accepted is not None}
    uncertain = {v.user_id for v in voters if v.accepted is None and v.uncertain}
    check = loaddb.check_ballots(app, accepted, uncertain)
    ok = print_report(args, figures, check, load_before, load_after)
    print(f"server log: {logdir / 'gunicorn.log'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
