"""The traffic side of bench/load.py: simulated voters and readers on one asyncio loop (aiohttp).

Why not locust: on this 2-core machine the generator shares the CPU with four gunicorn workers and
PostgreSQL, so every millisecond it spends per request is taken from the server under test. One
asyncio loop with aiohttp's C HTTP parser costs a fraction of a millisecond of CPU per request (the
run prints its own figure), keeps each voter's cookies by hand (no cookie-jar work) and needs no
second process to coordinate. Each run prints the generator's own CPU per request (bench/README.md).

Two ways to drive the voting wave: `run_pool` (closed loop: N clients, each starting its next job
when its last one ends) and `run_open` (open loop: each job starts at its scheduled arrival time,
whether or not earlier ones have finished). In the open loop a request's latency is taken from the
time it was meant to start (`send(..., since=...)`), so a queue in the server, or a late generator,
shows in the figures instead of silently delaying the next arrival (coordinated omission).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import aiohttp

CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
TRANSIENT_STATUS = {500, 502, 503, 504}


class GaveUp(Exception):
    """A step failed for good (a refusal, or transient failures past the retry budget)."""

    def __init__(self, reason: str, answered: bool = True):
        super().__init__(reason)
        self.answered = answered  # False: the last attempt got no answer at all


@dataclass
class Recorder:
    """Latencies of successful requests per kind, failed attempts per kind and reason, completion times."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    completed: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    retries: int = 0

    def ok(self, kind: str, ms: float) -> None:
        self.latencies[kind].append(ms)
        self.completed[kind].append(time.perf_counter())

    def fail(self, kind: str, reason: str) -> None:
        self.errors[(kind, reason)] += 1

    def error_count(self, kinds: set[str] | None = None) -> int:
        return sum(n for (kind, _), n in self.errors.items() if kinds is None or kind in kinds)


@dataclass
class Answer:
    status: int
    location: str
    body: bytes


@dataclass
class Voter:
    user_id: int
    email: str
    ip: str
    choices: frozenset[int]
    cookies: dict[str, str] = field(default_factory=dict)
    signed_in: bool = False
    accepted: frozenset[int] | None = None
    uncertain: bool = False  # the last cast got no answer and the voter gave up


class Client:
    """One shared connection pool; cookies are carried per voter in the Cookie header."""

    def __init__(self, base: str, recorder: Recorder, *, concurrency: int, retry_for: float, password: str):
        self.base = base
        self.rec = recorder
        self.retry_for = retry_for
        self.password = password
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=concurrency),
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=30),
        )

    async def close(self) -> None:
        await self.session.close()

    async def _once(self, method: str, path: str, headers: dict, data) -> tuple[Answer, list[str]]:
        async with self.session.request(
            method, self.base + path, headers=headers, data=data, allow_redirects=False
        ) as resp:
            body = await resp.read()
            answer = Answer(resp.status, resp.headers.get("Location", ""), body)
            return answer, resp.headers.getall("Set-Cookie", [])

    async def send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        voter: Voter | None = None,
        data=None,
        since: float | None = None,
    ) -> Answer:
        """One request, retried on connection errors and 5xx with the same body until `retry_for` s
        have passed. Raises GaveUp.

        The latency recorded is that of the answered attempt, or, with `since` (a perf_counter time),
        from `since` to the answer: retries and any wait before the first attempt included."""
        deadline, delay = time.perf_counter() + self.retry_for, 0.2
        headers = {"User-Agent": "bench-load/1", "X-Forwarded-For": voter.ip if voter else "127.0.0.2"}
        while True:
            if voter and voter.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in voter.cookies.items())
            started = time.perf_counter()
            try:
                answer, set_cookies = await self._once(method, path, headers, data)
            except (TimeoutError, aiohttp.ClientError) as exc:
                reason, answered = f"connection: {type(exc).__name__}", False
            else:
                if voter:
                    _keep_cookies(voter, set_cookies)
                if answer.status not in TRANSIENT_STATUS:
                    self.rec.ok(kind, (time.perf_counter() - (started if since is None else since)) * 1000)
                    return answer
                reason, answered = f"HTTP {answer.status}", True
            self.rec.fail(kind, reason)
            if time.perf_counter() + delay > deadline:
                raise GaveUp(reason, answered)
            self.rec.retries += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    # -- the steps of a voter -------------------------------------------------------------------

    async def sign_in(self, voter: Voter, next_path: str) -> None:
        page = await self.send("sign-in GET", "GET", f"/login?next={next_path}", voter=voter)
        token = _csrf(page, "sign-in GET")
        answer = await self.send(
            "sign-in POST",
            "POST",
            "/login",
            voter=voter,
            data={"csrf_token": token, "email": voter.email, "password": self.password, "next": next_path},
        )
        if answer.status != 302:
            raise GaveUp(f"sign-in answered {answer.status}")
        voter.signed_in = True

    async def vote(
        self, voter: Voter, ballot_path: str, *, repeat: bool = False, arrival: float | None = None
    ) -> None:
        """GET the ballot and cast it. With `arrival` (open loop: the scheduled start, a perf_counter
        time) the ballot GET is timed from `arrival`, each cast from its first attempt, and the
        journey (arrival to the first cast's answer) is recorded as "journey"."""
        page = await self.send("ballot GET", "GET", ballot_path, voter=voter, since=arrival)
        if page.status != 200:
            raise GaveUp(f"ballot page answered {page.status}")
        form = [("csrf_token", _csrf(page, "ballot GET")), ("d", "")]
        form += [("p", str(pid)) for pid in sorted(voter.choices)]
        timed = arrival is not None
        await self._cast(voter, ballot_path, form, "ballot POST", timed)
        if timed:
            self.rec.ok("journey", (time.perf_counter() - arrival) * 1000)
        if repeat:  # the same ballot sent again, as a browser retrying after a lost answer would
            await self._cast(voter, ballot_path, form, "ballot POST again", timed)

    async def _cast(self, voter: Voter, ballot_path: str, form: list, kind: str, timed: bool) -> None:
        since = time.perf_counter() if timed else None
        try:
            answer = await self.send(kind, "POST", ballot_path + "/cast", voter=voter, data=form, since=since)
        except GaveUp as exc:
            voter.uncertain = voter.uncertain or not exc.answered
            raise
        if answer.status != 302 or "/done" not in answer.location:
            raise GaveUp(f"cast answered {answer.status} {answer.location}")
        voter.accepted, voter.uncertain = voter.choices, False

    async def read(self, kind: str, path: str, arrival: float | None = None) -> None:
        answer = await self.send(kind, "GET", path, since=arrival)
        if answer.status != 200:
            raise GaveUp(f"{path} answered {answer.status}")


def _csrf(answer: Answer, kind: str) -> str:
    found = CSRF.search(answer.body)
    if not found:
        raise GaveUp(f"no CSRF token on {kind} (HTTP {answer.status})")
    return found.group(1).decode()


def _keep_cookies(voter: Voter, set_cookies: list[str]) -> None:
    for header in set_cookies:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel.value and morsel["max-age"] != "0" and "1970" not in morsel["expires"]:
                voter.cookies[name] = morsel.value
            else:
                voter.cookies.pop(name, None)


def pick_choices(rng: random.Random, costs: dict[int, int], budget: int) -> frozenset[int]:
    """A random knapsack ballot: projects in random order, each taken while it fits (at least one)."""
    order = list(costs)
    rng.shuffle(order)
    chosen, spent = [], 0
    for pid in order[: rng.randint(1, len(order))]:
        if spent + costs[pid] <= budget:
            chosen.append(pid)
            spent += costs[pid]
    return frozenset(chosen)


async def run_pool(jobs: list[Callable[[], Awaitable[None]]], concurrency: int, failures: Counter) -> float:
    """Run `jobs` with `concurrency` at a time (closed loop: each worker starts its next job as soon as
    its last one ends). Returns the elapsed seconds."""
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            job = queue.get_nowait()
            try:
                await job()
            except GaveUp as exc:
                failures[str(exc)] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


@dataclass
class Arrival:
    """One job of an open-loop wave: started `at` seconds after the wave begins."""

    at: float
    kind: str  # what is counted as dropped if the job cannot start
    job: Callable[[float], Awaitable[None]]  # called with its scheduled start (a perf_counter time)


def schedule(count: int, rate: float, how: str, rng: random.Random, offset: float = 0.0) -> list[float]:
    """`count` arrival times in seconds for `rate` arrivals per second: a Poisson process (independent
    exponential gaps, drawn from `rng`) or evenly spaced ("uniform"); the first one at `offset`."""
    if how == "uniform":
        return [offset + n / rate for n in range(count)]
    times, t = [], offset
    for _ in range(count):
        times.append(t)
        t += rng.expovariate(rate)
    return times


async def run_open(
    arrivals: Iterable[Arrival], max_in_flight: int, failures: Counter, dropped: Counter
) -> tuple[float, list[float]]:
    """Start each job at its scheduled time, whether or not the earlier ones have ended (open loop).

    A job due while `max_in_flight` jobs are running is not started and is counted in `dropped` under
    its kind. Returns the elapsed seconds (first arrival to the last job's end) and each arrival's
    start lag in seconds (how late the generator woke up for it)."""
    running: set[asyncio.Task] = set()
    lags: list[float] = []

    async def guarded(job: Callable[[float], Awaitable[None]], due: float) -> None:
        try:
            await job(due)
        except GaveUp as exc:
            failures[str(exc)] += 1

    started = time.perf_counter()
    for arrival in sorted(arrivals, key=lambda a: a.at):
        due = started + arrival.at
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        lags.append(time.perf_counter() - due)
        if len(running) >= max_in_flight:
            dropped[arrival.kind] += 1
            continue
        task = asyncio.ensure_future(guarded(arrival.job, due))
        running.add(task)
        task.add_done_callback(running.discard)
    if running:
        await asyncio.gather(*running)
    return time.perf_counter() - started, lags


def sustained_rate(times: list[float], trim: float = 0.05) -> tuple[float, float]:
    """(events per second, window seconds) between the `trim` and 1-`trim` quantiles of completion
    times: the steady middle of a phase, without the ramp-up and the tail."""
    if len(times) < 20:
        return 0.0, 0.0
    ordered = sorted(times)
    lo, hi = int(len(ordered) * trim), int(len(ordered) * (1 - trim)) - 1
    window = ordered[hi] - ordered[lo]
    return ((hi - lo) / window if window > 0 else 0.0), window


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]
