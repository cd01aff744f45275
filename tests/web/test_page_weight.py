"""Page weight on the demo city: HTML, CSS and JS of each main page, as a phone downloads them.

The budget is 60 KB compressed per page without photos. Static files must be fingerprinted and cached
for a year; photos must be thumbnails with their size set, loading lazily below the fold.
"""

import gzip
import re
from html.parser import HTMLParser

import pytest

BUDGET = 60 * 1024
GZIP = {"Accept-Encoding": "gzip"}
PUBLIC_PAGES = [
    "/",
    "/processes",
    "/processes/riverside-2027",
    "/processes/riverside-2027/proposals",
    "/processes/riverside-2026",
    "/processes/riverside-2025/results",
    "/login",
    "/register",
]
RESIDENT_PAGES = ["/processes/riverside-2026/vote", "/notifications"]


class Assets(HTMLParser):
    """The stylesheets, scripts and images a page asks for."""

    def __init__(self):
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.images: list[dict] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "a" and (attrs.get("href") or "").startswith("/proposals/"):
            self.links.append(attrs["href"])


def _transfer(client, path: str) -> tuple[int, str]:
    """Bytes on the wire for one response, and its text."""
    resp = client.get(path, headers=GZIP)
    assert resp.status_code == 200, path
    body = resp.get_data()
    if resp.headers.get("Content-Encoding") == "gzip":
        return len(body), gzip.decompress(body).decode()
    return len(body), body.decode()


def _weigh(client, path: str, static_cache: dict[str, int]) -> tuple[int, Assets]:
    size, html = _transfer(client, path)
    assets = Assets()
    assets.feed(html)
    for url in assets.styles + assets.scripts:
        if url not in static_cache:
            resp = client.get(url, headers=GZIP)
            assert resp.status_code == 200, url
            assert re.search(r"[?&]v=[0-9a-f]{8,}", url), f"{url} is not fingerprinted"
            assert "max-age=31536000" in resp.headers.get("Cache-Control", ""), url
            assert resp.headers.get("Content-Encoding") == "gzip", url
            static_cache[url] = len(resp.get_data())
        size += static_cache[url]
    return size, assets


@pytest.fixture
def demo_client(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return client


def test_every_main_page_weighs_under_60_kb_compressed_with_sized_lazy_photos(demo_client):
    cache: dict[str, int] = {}
    weights = {}
    proposal_links = []
    for path in PUBLIC_PAGES:
        weights[path], assets = _weigh(demo_client, path, cache)
        proposal_links += assets.links
        for img in assets.images:
            assert img.get("width") and img.get("height"), (path, img)
            assert img.get("alt") is not None, (path, img)
    proposal = proposal_links[0]
    weights[proposal], assets = _weigh(demo_client, proposal, cache)
    below_fold = [img for img in assets.images if "fetchpriority" not in img]
    assert all(img.get("loading") == "lazy" for img in below_fold), below_fold

    demo_client.post("/login", data={"email": "resident@riverside.example", "password": "demo-resident-1"})
    for path in RESIDENT_PAGES:
        weights[path], assets = _weigh(demo_client, path, cache)
        assert all(img.get("loading") == "lazy" for img in assets.images), path

    heavy = {path: size for path, size in weights.items() if size > BUDGET}
    assert not heavy, f"over {BUDGET} bytes: {heavy}"
    assert len(weights) == len(PUBLIC_PAGES) + len(RESIDENT_PAGES) + 1
