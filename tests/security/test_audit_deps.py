"""The dependency audit tells a known vulnerability (fail) from advisory services it cannot reach (warn)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_deps.py"


@pytest.fixture(scope="module")
def audit_deps():
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLEAN = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}], "fixes": []}
VULNERABLE = {
    "dependencies": [
        {"name": "flask", "version": "3.1.3", "vulns": []},
        {
            "name": "jinja2",
            "version": "2.10",
            "vulns": [{"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"]}],
        },
    ]
}
# What pip-audit writes, with exit code 0 and "No known vulnerabilities found", when PyPI's JSON API
# is missing.
UNREACHABLE = {
    "dependencies": [
        {
            "name": "flask",
            "skip_reason": "Dependency not found on PyPI and could not be audited: flask (3.1.3)",
        }
    ]
}


def test_a_clean_report_is_complete(audit_deps):
    audit = audit_deps.classify("pypi", CLEAN)
    assert audit.complete and not audit.vulnerable and audit.audited == ["flask 3.1.3"]


def test_a_vulnerability_is_named_with_its_fix(audit_deps):
    audit = audit_deps.classify("pypi", VULNERABLE)
    assert audit.vulnerable == {"jinja2 2.10": ["PYSEC-2019-217 (fixed in 2.10.1)"]}


def test_packages_that_could_not_be_looked_up_are_not_a_clean_audit(audit_deps):
    audit = audit_deps.classify("pypi", UNREACHABLE)
    assert not audit.complete and not audit.vulnerable and "flask" in audit.skipped
    assert not audit_deps.classify("osv", None, "exit 1: Name or service not known").complete


@pytest.mark.parametrize(
    ("reports", "code", "says"),
    [
        ([VULNERABLE], 1, "KNOWN VULNERABILITIES"),
        ([CLEAN], 0, "no known vulnerabilities"),
        ([UNREACHABLE, None], 0, "WARNING: pip-audit could not audit"),
        ([UNREACHABLE, VULNERABLE], 1, "KNOWN VULNERABILITIES"),
    ],
)
def test_main_fails_only_for_a_vulnerability(audit_deps, monkeypatch, capsys, reports, code, says):
    answers = iter(reports)

    def fake_run(service, requirements):
        report = next(answers)
        return audit_deps.classify(service, report, "" if report else "exit 1: no network")

    monkeypatch.setattr(audit_deps, "run", fake_run)
    assert audit_deps.main(["audit_deps.py"]) == code
    assert says in capsys.readouterr().out
