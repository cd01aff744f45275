"""The server side of bench/load.py: gunicorn (and Redis) started and stopped for the run, a wave's
rate and the CPU it costs the server, PostgreSQL and the generator (read from /proc), and the faults
injected mid-vote (a worker killed, PostgreSQL restarted).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

from loadgen import Recorder, Voter, sustained_rate

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-load-secret-key-0123456789-abcdefghijklmnop"  # noqa: S105 (a throwaway bench database)


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


def faults(args, server: Server, rec: Recorder, voters: list[Voter], figures: dict) -> list:
    if not args.faults:
        return []
    casts, total = rec.completed["ballot POST"], sum(v.signed_in for v in voters)
    return [fault_injector(server, lambda: len(casts), total, figures["events"], time.perf_counter())]


async def measure_wave(rec: Recorder, server: Server, run, rate_kind: str, extra=()) -> dict:
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
