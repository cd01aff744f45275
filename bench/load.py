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
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
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
    sustained_rate,
)

TARGETS = {"ballots_per_s": 200, "p95_ms": 300}
DROPPED = "dropped: max in flight"
SECRET = "bench-load-secret-key-0123456789-abcdefghijklmnop"  # noqa: S105 (a throwaway bench database)


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine_load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def busy_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _stats() -> dict[int, list[str]]:
    """Each process's /proc/<pid>/stat fields after the command name (state, ppid, ...)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            found[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
    return found


def worker_pids(master: int) -> list[int]:
    return [pid for pid, parts in _stats().items() if int(parts[1]) == master]


def server_cpu(master: int, db_name: str) -> tuple[float, float]:
    """CPU seconds used so far by (gunicorn: the master, its live workers and the ones it reaped;
    PostgreSQL: the live backends connected to `db_name`)."""
    tick = os.sysconf("SC_CLK_TCK")
    app = pg = 0
    for pid, parts in _stats().items():
        if pid == master:
            app += sum(int(x) for x in parts[11:15])  # utime, stime, and those of reaped children
        elif int(parts[1]) == master:
            app += int(parts[11]) + int(parts[12])
        else:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"postgres: ") and f" {db_name} ".encode() in cmdline:
                pg += int(parts[11]) + int(parts[12])
    return app / tick, pg / tick


class Server:
    """Redis (optional) and gunicorn, started for the run and stopped after it."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], logdir: Path):
        self.args, self.env, self.logdir = args, env, logdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.redis: subprocess.Popen | None = None
        self.gunicorn: subprocess.Popen | None = None

    def start(self) -> None:
        if not self.args.no_redis and shutil.which("redis-server"):
            port = free_port()
            self.redis = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        log = (self.logdir / "gunicorn.log").open("w")
        threads = self.args.threads if self.args.worker_class == "gthread" else 1
        self.env.update(BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(self.args.workers))
        self.env["GUNICORN_THREADS"] = str(threads)
        self.gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "-k",
                self.args.worker_class,
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as resp:  # noqa: S310
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not become ready; see {self.logdir / 'gunicorn.log'}")

    def stop(self) -> None:
        for proc in (self.gunicorn, self.redis):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()


def bench_env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        "APP_ENV": "production",
        "SECRET_KEY": SECRET,
        "BALLOT_SECRET": SECRET + "-ballots",
        "DATABASE_URL": f"{args.pg}/{args.db}",
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
        "HSTS": "false",
        "TRUSTED_PROXIES": "1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "MAIL_BACKEND": "log",
        "UPLOAD_DIR": str(ROOT / "instance" / "bench-uploads"),
    }
    os.environ.update(env)
    return {**os.environ, **env}


async def fault_injector(server: Server, progress, total: int, events: list[str], started: float) -> None:
    """SIGKILL one worker at a quarter of the ballots, restart PostgreSQL at a half."""

    async def until(share: float) -> None:
        while progress() < total * share:
            await asyncio.sleep(0.05)

    await until(0.25)
    victim = worker_pids(server.gunicorn.pid)[0]
    os.kill(victim, signal.SIGKILL)
    events.append(
        f"{time.perf_counter() - started:6.1f} s  SIGKILL gunicorn worker {victim} ({progress()} ballots in)"
    )
    await until(0.5)
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    t0 = time.perf_counter()
    events.append(f"{t0 - started:6.1f} s  PostgreSQL restart begins ({progress()} ballots in)")
    await asyncio.to_thread(
        subprocess.run,
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
    )
    events.append(
        f"{time.perf_counter() - started:6.1f} s  PostgreSQL is back after {time.perf_counter() - t0:.1f} s"
    )


async def run_load(args, server: Server, ballot: loaddb.Ballot, voters: list[Voter]) -> dict:
    rec = Recorder()
    # Open loop: one connection per job in flight, so no request waits for a free one in the client.
    pool = max(args.concurrency, args.max_in_flight) if args.open_rates else args.concurrency
    client = Client(server.base, rec, concurrency=pool, retry_for=args.retry_for, password=loaddb.PASSWORD)
    ballot_path = f"/processes/{ballot.slug}/ballot/{ballot.district}"
    rng = random.Random(args.seed + 1)
    figures: dict = {"failures": {}, "events": []}
    try:
        figures["sign_in"] = await _phase(
            rec,
            server,
            _closed([lambda v=v: client.sign_in(v, ballot_path) for v in voters], args.concurrency),
            "sign-in POST",
        )
        if args.open_rates:
            await _open_waves(args, server, client, ballot, voters, rng, figures)
        else:
            jobs = _voting_jobs(args, client, ballot, voters, rng)
            extra = _faults(args, server, rec, voters, figures)
            closed = _closed([lambda j=job: j(None) for _, job in jobs], args.concurrency)
            figures["vote"] = await _phase(rec, server, closed, "ballot POST", extra)
        client.rec = rec
        figures["trivial"] = await _phase(
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


def _faults(args, server: Server, rec: Recorder, voters: list[Voter], figures: dict) -> list:
    if not args.faults:
        return []
    casts, total = rec.completed["ballot POST"], sum(v.signed_in for v in voters)
    return [fault_injector(server, lambda: len(casts), total, figures["events"], time.perf_counter())]


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
        extra = _faults(args, server, client.rec, share, figures)
        phase = await _open_wave(args, server, client.rec, jobs, rate, arrivals_rng, extra)
        if not args.steps:
            figures["vote"] = phase
            return
        phase["voters"] = len(share)
        phase["latency"] = _latency(client.rec)
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

    phase = await _phase(rec, server, run, "ballot POST", extra)
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


async def _phase(rec: Recorder, server: Server, run, rate_kind: str, extra=()) -> dict:
    """Run a wave (`run(failures)` returns its elapsed seconds) and measure its rate and CPU."""
    failures: Counter = Counter()
    cpu0, (busy0, total0) = time.process_time(), busy_jiffies()
    app0, pg0 = server_cpu(server.gunicorn.pid, server.args.db)
    before = len(rec.completed[rate_kind])
    tasks = [asyncio.ensure_future(coro) for coro in extra]
    elapsed = await run(failures)
    for task in tasks:
        if not task.done():
            task.cancel()
        elif task.exception():
            failures[f"fault injector: {task.exception()!r}"] += 1
    busy1, total1 = busy_jiffies()
    app1, pg1 = server_cpu(server.gunicorn.pid, server.args.db)
    requests = sum(len(v) for v in rec.latencies.values())
    rate, window = sustained_rate(rec.completed[rate_kind][before:])
    return {
        "elapsed_s": elapsed,
        "rate": rate,
        "window_s": window,
        "count": len(rec.completed[rate_kind]) - before,
        "failures": dict(failures),
        "generator_cpu_s": time.process_time() - cpu0,
        "machine_busy": (busy1 - busy0) / max(1, total1 - total0),
        "app_cpu_s": app1 - app0,
        "pg_cpu_s": pg1 - pg0,
        "requests_so_far": requests,
    }


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
        dump["latency"] = _latency(rec)
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


def _latency(rec: Recorder) -> dict[str, list[float]]:
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
