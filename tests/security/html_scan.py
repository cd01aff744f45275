"""Find what in an HTML page could run script: the parts an XSS payload would need to come alive."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from app.core.markdown import ALLOWED_TAGS

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "srcset",
    "codebase",
    "code",
    "dynsrc",
    "lowsrc",
    "ping",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
# Never legitimate in our pages, whatever their attributes.
ACTIVE_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "style",
    "xss",
    "isindex",
    "keygen",
    "marquee",
    "plaintext",
    "xmp",
}
# What sanitised markdown may add to a page (app/core/markdown.py), beyond what the templates make.
MARKDOWN_TAGS = set(ALLOWED_TAGS)
MARKDOWN_ATTRIBUTES = {"href", "title", "rel"}


def bad_url(value: str) -> bool:
    """True for a URL a browser would run or render as a document (entities are decoded already)."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return squeezed.startswith(BAD_SCHEMES)


@dataclass
class Scan:
    tags: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    live: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs) -> None:
        scan = self.scan
        scan.tags.add(tag)
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            scan.attributes.add(name)
            if name.startswith("on"):
                scan.live.append(f"<{tag} {name}=…> event handler")
            elif name in ("style", "srcdoc"):
                scan.live.append(f"<{tag} {name}=…>")
            elif name in URL_ATTRIBUTES and bad_url(value):
                scan.live.append(f"<{tag} {name}={value[:40]!r}>")
        if tag in ACTIVE_TAGS:
            scan.live.append(f"<{tag}> element")
        if tag == "script":
            self._in_script = True
            if not values.get("src", "").startswith("/static/"):
                scan.live.append(f"<script src={values.get('src')!r}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            scan.live.append("<meta http-equiv=refresh>")
        if tag == "link" and not values.get("href", "").startswith("/static/"):
            scan.live.append(f"<link href={values.get('href')!r}>")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scan.live.append(f"inline script {data.strip()[:40]!r}")


def scan_html(html: str) -> Scan:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.scan
