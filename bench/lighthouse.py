"""Lighthouse (mobile) scores for the main pages of a running server.

    make run &                                  # or any server with the demo city loaded
    .venv/bin/python bench/lighthouse.py [--base http://127.0.0.1:8000] [--login EMAIL:PASSWORD] [PATH ...]

Installs the `lighthouse` npm package into bench/.node on first use and drives Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium). Prints performance, accessibility and best-practices scores
per page and the audits that cost points. Exit status 1 when a score is under --min (default 95).
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / ".node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.8.2"
CATEGORIES = ("performance", "accessibility", "best-practices")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
DEFAULT_PAGES = [
    "/",
    "/processes",
    "/processes/riverside-2027",
    "/processes/riverside-2027/proposals",
    "/proposals/1",
    "/processes/riverside-2026/vote",
    "/processes/riverside-2025/results",
    "/delivery",
]


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        if not shutil.which("npm"):
            sys.exit("npm is needed to install lighthouse")
        NODE_DIR.mkdir(exist_ok=True)
        subprocess.run(
            ["npm", "install", "--silent", "--prefix", str(NODE_DIR), f"lighthouse@{VERSION}"], check=True
        )
    return LIGHTHOUSE


def sign_in(base: str, login: str) -> str:
    """Sign in through the real form and return the Cookie header for the signed-in session."""
    email, _, password = login.partition(":")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    if not token:
        sys.exit("no CSRF token on the sign-in form")
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email, "password": password})
    opener.open(f"{base}/login", data.encode())
    if not any(cookie.name == "session" for cookie in jar):
        sys.exit(f"could not sign in as {email}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def audit(url: str, chrome: str, cookie: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(ensure_lighthouse()),
                url,
                "--quiet",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--output=json",
                *([f"--extra-headers={json.dumps({'Cookie': cookie})}"] if cookie else []),
                f"--output-path={out}",
            ],
            env={**os.environ, "CHROME_PATH": chrome},
            check=False,
            capture_output=True,
            timeout=300,
        )
        return json.loads(out.read_text()) if out.exists() else {}


def losses(report: dict) -> list[str]:
    found = []
    for item in report.get("audits", {}).values():
        if (
            item.get("score") is not None
            and item["score"] < 0.9
            and item.get("scoreDisplayMode") in ("binary", "numeric")
        ):
            found.append(f"{item['id']} ({item.get('displayValue', item['score'])})")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--min", type=float, default=95)
    parser.add_argument(
        "--login",
        default="resident@riverside.example:demo-resident-1",
        help="EMAIL:PASSWORD to sign in with for pages that need an account ('' for none)",
    )
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    base = args.base.rstrip("/")
    cookie = sign_in(base, args.login) if args.login else None
    worst = 100.0
    print(f"{'page':45} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES))
    for path in args.paths:
        report = audit(base + path, chrome, cookie)
        if any(report.get("categories", {}).get(c, {}).get("score") is None for c in CATEGORIES):
            report = audit(base + path, chrome, cookie)  # headless Chromium now and then fails a run
        scores = [report.get("categories", {}).get(c, {}).get("score") for c in CATEGORIES]
        cells = [f"{round(s * 100):>13}" if s is not None else f"{'error':>13}" for s in scores]
        print(f"{path:45} " + " ".join(cells))
        for loss in losses(report):
            print(f"    - {loss}")
        worst = min([worst, *[(s or 0) * 100 for s in scores]])
    print(f"lowest score: {worst:.0f} (goal: {args.min:.0f} or more)")
    return 0 if worst >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
