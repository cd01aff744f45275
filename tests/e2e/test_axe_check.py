"""The accessibility check itself finds problems (so a clean journey means something)."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def test_axe_flags_an_image_without_text_and_an_unlabelled_field(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "bad page")
    page.set_content(
        '<html lang="en"><title>t</title><main><h1>Fine</h1><img src="x.png" alt="A map">'
        '<label for="q">Search</label><input id="q" type="text"></main></html>'
    )
    assert_accessible(page, "good page")
    page.close()
