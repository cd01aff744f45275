"""Lighthouse (mobile) scores for the main pages of a running server.

    make run &                                  # or any server with the demo city loaded
    .venv/bin/python bench/lighthouse.py [--base http://127.0.0.1:8000] [PATH ...]

Installs the `lighthouse` npm package into bench/.node on first use and drives Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium). Prints performance, accessibility and best-practices scores
per page and the audits that cost points. Exit status 1 when a score is under --min (default 95).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
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


def audit(url: str, chrome: str) -> dict:
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
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    worst = 100.0
    print(f"{'page':45} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES))
    for path in args.paths:
        report = audit(args.base.rstrip("/") + path, chrome)
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
