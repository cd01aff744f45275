"""Real-browser journeys: the app served on a local port, headless Chromium at phone size.

Needs Chromium (Debian's `chromium`, or CHROMIUM_PATH) and Playwright for Python; skips with a reason
when either is missing. Screenshots of each step go to test-artifacts/e2e/.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.config import TestConfig

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def _chromium() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def assert_accessible(page, step: str = "") -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    report = "; ".join(f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in bad)
    assert not bad, f"accessibility problems at {step or page.url}: {report}"


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    path = _chromium()
    if not path:
        pytest.skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM_PATH)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def app_config(tmp_path):
    """A file database (a server thread and the test each use their own connection)."""
    if os.environ.get("TEST_DATABASE_URL"):
        return TestConfig
    return type(
        "E2EConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
            "SERVER_NAME": None,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        },
    )


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def phone(browser, request):
    """A fresh phone-sized page; `shot(name)` saves a screenshot under test-artifacts/e2e/<test>/."""
    context = browser.new_context(**PHONE, locale="en-GB")
    page = context.new_page()
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def shot(name: str, *, accessible: bool = True) -> None:
        """Save a screenshot of this step and check the page with axe-core (WCAG 2.1 AA)."""
        page.screenshot(path=str(folder / f"{next(counter):02d}-{name}.png"), full_page=True)
        if accessible:
            assert_accessible(page, name)

    page.shot = shot
    yield page
    context.close()
