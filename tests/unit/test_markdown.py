from app.core.markdown import plain_text, render_markdown


def test_markdown_renders_emphasis_and_lists():
    html = render_markdown("**bold** and *it*\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<li>one</li>" in html


def test_raw_html_and_scripts_are_escaped_not_run():
    html = render_markdown("<script>alert(1)</script><img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_links_only_http_and_get_nofollow():
    html = render_markdown("[a](javascript:alert(1)) [b](https://example.org)")
    assert 'href="javascript' not in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener ugc"' in html


def test_headings_are_demoted_below_the_page_title():
    assert "<h3>Title</h3>" in render_markdown("# Title")


def test_plain_text_strips_every_tag():
    assert plain_text("  <b>Park</b> <script>x()</script> ") == "Park"


def test_empty_text_renders_empty():
    assert render_markdown(None) == "" and render_markdown("") == ""
