"""Audit the pinned runtime dependencies for known vulnerabilities with pip-audit.

    python .ci/audit_deps.py [requirements.txt]

Outcomes, told apart on purpose:
- a known vulnerability in any dependency: prints it, exits 1 (the build fails);
- every dependency audited, none vulnerable: exits 0;
- the advisory services could not be reached (no DNS, a mirror without PyPI's JSON API, a time-out):
  prints a WARNING naming what was not audited and exits 0, so a network problem alone does not fail
  the build. pip-audit itself reports "No known vulnerabilities found" when it could look nothing up
  (each package "not found on PyPI"), so its exit code alone cannot be trusted for this.

Each service is tried in turn (PyPI's advisory data, then OSV); the first that audits every package wins.
What is audited is every package installed in this virtualenv (`pip freeze`: the requirements and all
they pull in, exactly as installed), looked up as listed (no resolver run, so it takes seconds).
The argument names the requirements file only to check that it is installed here.
"""

import json
import subprocess  # nosec B404  # runs pip-audit from this virtualenv with fixed arguments
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = ("pypi", "osv")
TIMEOUT_S = 600


@dataclass
class Audit:
    service: str
    audited: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    vulnerable: dict[str, list[str]] = field(default_factory=dict)
    error: str = ""

    @property
    def complete(self) -> bool:
        return not self.error and not self.skipped and bool(self.audited)


def classify(service: str, report: dict | None, error: str = "") -> Audit:
    """Sort pip-audit's JSON report into audited, skipped and vulnerable packages."""
    audit = Audit(service, error=error)
    for dep in (report or {}).get("dependencies", []):
        name = f"{dep['name']} {dep.get('version', '')}".strip()
        if "skip_reason" in dep:
            audit.skipped[name] = dep["skip_reason"]
            continue
        audit.audited.append(name)
        if dep.get("vulns"):
            audit.vulnerable[name] = [
                f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or ['no release yet'])})"
                for v in dep["vulns"]
            ]
    if report is None and not error:
        audit.error = "pip-audit wrote no report"
    return audit


def run(service: str, requirements: str) -> Audit:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            requirements,
            "--vulnerability-service",
            service,
            "--format",
            "json",
            "--output",
            str(out),
            "--disable-pip",
            "--no-deps",
            "--progress-spinner",
            "off",
        ]
        try:
            proc = subprocess.run(  # noqa: S603  # nosec B603  # fixed argument list, no shell
                cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            return classify(service, None, f"timed out after {TIMEOUT_S} s")
        report = json.loads(out.read_text()) if out.exists() and out.stat().st_size else None
        if report is None:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return classify(service, None, f"exit {proc.returncode}: {last}")
        return classify(service, report)


def installed() -> str:
    """This virtualenv's packages, pinned, as a requirements text (pip-audit skips editable ones)."""
    proc = subprocess.run(  # nosec B603  # fixed argument list, no shell
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def main(argv: list[str]) -> int:
    requirements = argv[1] if len(argv) > 1 else "requirements.txt"
    if not Path(requirements).is_file():
        print(f"no such requirements file: {requirements}")
        return 2
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as frozen:
        frozen.write(installed())
    try:
        return _audit_all(frozen.name, requirements)
    finally:
        Path(frozen.name).unlink()


def _audit_all(frozen: str, requirements: str) -> int:
    attempts = []
    for service in SERVICES:
        audit = run(service, frozen)
        attempts.append(audit)
        if audit.vulnerable:
            print(f"pip-audit ({service}): KNOWN VULNERABILITIES in {requirements}:")
            for name, vulns in sorted(audit.vulnerable.items()):
                print(f"  {name}: {'; '.join(vulns)}")
            return 1
        if audit.complete:
            print(f"pip-audit ({service}): {len(audit.audited)} packages audited, no known vulnerabilities.")
            return 0
    print(f"WARNING: pip-audit could not audit {requirements}: the advisory services were not reachable.")
    for audit in attempts:
        reason = audit.error or next(iter(audit.skipped.values()), "nothing audited")
        print(
            f"  {audit.service}: {len(audit.audited)} audited, {len(audit.skipped)} not audited; "
            f"e.g. {reason}"
        )
    print("  Not a failure of the build; run `python .ci/audit_deps.py` where those services are reachable.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
