"""The catalogues are complete and compiled: every message in the code has a reviewed translation in
every configured language, with the same placeholders, and each committed .mo matches its .po.

When this fails after you add or change interface text, run `make translations`, translate the new
(empty or fuzzy) entries in app/translations/<lang>/LC_MESSAGES/messages.po, run it again and commit.
"""

from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from app.config import Config

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
LANGUAGES = [code for code in Config.LANGUAGES if code != Config.BABEL_DEFAULT_LOCALE]


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """The messages the code uses, extracted as `make translations` does (babel.cfg, keyword _l)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    catalog = Catalog()
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _po(code: str) -> Catalog:
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=code)


def _where(message) -> str:
    return ", ".join(f"{f}:{n}" for f, n in message.locations[:2])


def test_extraction_finds_the_interface_text(extracted):
    ids = {m.id for m in extracted if m.id}
    assert len(ids) > 800  # a sanity check that the mapping in babel.cfg still matches the code
    assert "Sign in" in ids and "Please sign in to continue." in ids  # templates and Python (_l)
    assert ("%(num)d vote", "%(num)d votes") in ids  # ngettext in templates


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_has_a_reviewed_translation(extracted, code):
    catalogue = _po(code)
    problems = []
    for message in extracted:
        if not message.id:
            continue
        translated = catalogue.get(message.id, context=message.context)
        strings = () if translated is None else translated.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if translated is None:
            problems.append(f"missing: {message.id!r} ({_where(message)})")
        elif translated.fuzzy:
            problems.append(f"fuzzy, to review: {message.id!r} ({_where(message)})")
        elif not strings or not all(strings):
            problems.append(f"not translated: {message.id!r} ({_where(message)})")
    assert not problems, f"{len(problems)} messages need a {code} translation:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_the_placeholders(code):
    """A translation that drops or renames %(name)s would fail at run time; Babel's checkers catch it."""
    errors = [f"{m.id!r}: {'; '.join(map(str, errs))}" for m, errs in _po(code).check()]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_committed_mo_matches_the_po(code):
    """Compiled in memory, the .po gives exactly the committed .mo's messages."""
    committed_path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo"
    assert committed_path.exists(), f"compile it: make translations ({committed_path} is missing)"
    with open(committed_path, "rb") as fh:
        committed = read_mo(fh)
    buffer = BytesIO()
    write_mo(buffer, _po(code))
    buffer.seek(0)
    fresh = read_mo(buffer)

    def table(catalogue: Catalog) -> dict:
        def key(value):
            return tuple(value) if isinstance(value, list | tuple) else value

        return {(m.context, key(m.id)): key(m.string) for m in catalogue if m.id}

    assert table(committed) == table(fresh), "the .mo is stale: run `make translations` and commit it"
    assert len(table(committed)) > 800
