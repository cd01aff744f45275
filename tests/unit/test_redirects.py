import pytest

from app.core.redirects import is_safe_path


@pytest.mark.parametrize("target", ["/", "/account", "/proposals/3?page=2", "/a/b#c"])
def test_same_site_paths_are_safe(target):
    assert is_safe_path(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "account",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/a//b",
        "javascript:alert(1)",
        "/ok\r\nSet-Cookie:x",
        " /account",
        "/a b",
    ],
)
def test_other_targets_are_refused(target):
    assert not is_safe_path(target)
