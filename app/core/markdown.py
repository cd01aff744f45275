"""User text as sanitised HTML: a small markdown subset, then an allow-list cleaner."""

from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image", "html_block", "html_inline"]
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str | None) -> Markup:
    """Render markdown to HTML that is safe to show: raw HTML is escaped, images are off, links
    may only be http(s) or mailto and get rel="nofollow noopener ugc", headings are demoted."""
    if not text:
        return Markup("")
    html = _md.render(text).replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )
    return Markup(clean)  # noqa: S704  # nosec B704  # sanitised by nh3 just above


def is_web_url(value: object) -> bool:
    """True for an absolute http(s) address: the only kind of user-given URL a page may link to.

    Forms check links when they are typed; this guards the page against any other way one got stored.
    """
    if not isinstance(value, str) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def plain_text(text: str | None) -> str:
    """User text with every tag removed, for titles, summaries and e-mail bodies."""
    return nh3.clean(text or "", tags=set()).strip()
