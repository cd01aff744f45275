"""Every package of the app imports on its own, first thing in a fresh interpreter: no import cycle
hides behind the order in which the application factory happens to import them."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(f"app.{p.parent.name}" for p in (ROOT / "app").glob("*/__init__.py"))


def _import(name: str) -> tuple[str, int, str]:
    done = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True)
    last = done.stderr.strip().splitlines()[-1:]
    return name, done.returncode, last[0] if last else ""


def test_each_package_imports_first_in_a_fresh_interpreter() -> None:
    assert len(PACKAGES) > 10
    with ThreadPoolExecutor(4) as pool:
        failed = [(name, err) for name, code, err in pool.map(_import, PACKAGES) if code]
    assert failed == []
