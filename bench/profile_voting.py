"""CPU time and SQL statements per request on the voting path, in one process (no HTTP, no gunicorn).

    python bench/profile_voting.py                 # table: CPU ms and queries per request kind
    python bench/profile_voting.py --cprofile cast # cProfile of one kind, top functions by own time

Runs against the `bench_load` database that bench/load.py builds (run that once first), with the
production settings, through Flask's test client. CPU time (time.process_time) does not depend on
what else the machine is doing, unlike wall-clock latency on a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loaddb
import loadserver

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30, help="voters (each signs in, opens and casts a ballot)")
    parser.add_argument(
        "--cprofile",
        choices=(
            "sign-in",
            "ballot",
            "cast",
            "cast, after",
            "results",
            "proposals",
            "results anon",
            "proposals anon",
            "process anon",
            "proposal anon",
            "healthz",
        ),
    )
    parser.add_argument("--db", default="bench_load")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    loadserver.bench_env(argparse.Namespace(db=args.db, pg=args.pg))
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app()
    app.config["PREFERRED_URL_SCHEME"] = "http"  # the test client's scheme; the bench serves plain HTTP
    loaddb.clear_ballots(app)
    ballot = loaddb.load_ballot(app)
    queries = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.__setitem__(0, queries[0] + 1))
    cpu: dict[str, list[float]] = {}
    nq: dict[str, list[int]] = {}
    profiler = cProfile.Profile(time.process_time)  # CPU time, not time spent waiting for PostgreSQL
    path = f"/processes/{ballot.slug}/ballot/{ballot.district}"
    choices = sorted(ballot.costs)[:3]

    def timed(kind, fn):
        queries[0] = 0
        if kind == args.cprofile:
            profiler.enable()
        t0 = time.process_time()
        response = fn()
        cpu.setdefault(kind, []).append((time.process_time() - t0) * 1000)
        if kind == args.cprofile:
            profiler.disable()
        nq.setdefault(kind, []).append(queries[0])
        return response

    for n, (_uid, email) in enumerate(ballot.voters[: args.n]):
        client = app.test_client()
        ip = {"REMOTE_ADDR": f"127.30.0.{n + 1}"}
        page = timed("sign-in GET", lambda c=client, e=ip: c.get(f"/login?next={path}", environ_base=e))
        form = {"csrf_token": CSRF.search(page.text).group(1), "email": email, "password": loaddb.PASSWORD}
        answer = timed("sign-in", lambda c=client, f=form, e=ip: c.post("/login", data=f, environ_base=e))
        assert answer.status_code == 302, (answer.status_code, answer.text[-3000:])
        page = timed("ballot", lambda c=client, e=ip: c.get(path, environ_base=e))
        form = {"csrf_token": CSRF.search(page.text).group(1), "d": "", "p": [str(p) for p in choices]}
        answer = timed(
            "cast",
            lambda c=client, f=form, e=ip: c.post(path + "/cast", data=f, environ_base=e, buffered=False),
        )
        assert answer.status_code == 302, (answer.status_code, answer.text[-3000:])
        # What runs once the server has sent the answer and closes it (the receipt e-mail).
        timed("cast, after", answer.close)
        timed("results", lambda c=client: c.get("/processes/riverside-2025/results"))
        timed("proposals", lambda c=client: c.get("/processes/riverside-2027/proposals"))
        timed("healthz", lambda c=client: c.get("/healthz"))
        # What the load mixes in: one page view by someone not signed in (no cookie), per ballot.
        anon = app.test_client(use_cookies=False)
        gzip = {"Accept-Encoding": "gzip"}
        for kind, page in (
            ("results anon", "/processes/riverside-2025/results"),
            ("proposals anon", "/processes/riverside-2027/proposals"),
            ("process anon", "/processes/riverside-2025"),
            ("proposal anon", ballot.public_paths[-1]),
        ):
            answer = timed(kind, lambda c=anon, p=page, h=gzip: c.get(p, headers=h))
            assert answer.status_code == 200, (page, answer.status_code)
    print(f"{'request':<16}{'CPU ms p50':>12}{'mean':>8}{'queries p50':>13}{'max':>5}")
    for kind, values in cpu.items():
        values = sorted(values[1:] or values)  # the first request of a kind warms caches
        counts = sorted(nq[kind])
        print(
            f"{kind:<16}{values[len(values) // 2]:>12.1f}{sum(values) / len(values):>8.1f}"
            f"{counts[len(counts) // 2]:>13}{counts[-1]:>5}"
        )
    if args.cprofile:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
