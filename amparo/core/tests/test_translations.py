"""Every interface string is translated into Spanish, French and Portuguese.

The first test runs makemessages against a copy of the catalogs, so a string added to the code
but not yet to the catalogs shows up as an empty entry, and the real files are left alone. The
second reads the compiled catalogs (`make test` compiles them first) to check that a few known
strings really come out translated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

REPO_ROOT = Path(__file__).resolve().parents[3]
REAL_LOCALE = REPO_ROOT / "amparo" / "locale"
LANGUAGES = ["es", "fr", "pt"]
IGNORE = [".venv", "node_modules", "var", "bench"]


def _mtimes(root: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def regenerated_locale(tmp_path, settings, monkeypatch) -> Path:
    """A copy of amparo/locale brought up to date with the code, as makemessages would."""
    copy = tmp_path / "locale"
    shutil.copytree(REAL_LOCALE, copy)
    settings.LOCALE_PATHS = [copy]
    monkeypatch.chdir(REPO_ROOT)
    real_before = _mtimes(REAL_LOCALE)
    copy_before = {lang: (copy / lang / "LC_MESSAGES" / "django.po").stat().st_mtime_ns for lang in LANGUAGES}

    # makemessages adopts every directory named "locale" that it walks through, ahead of
    # LOCALE_PATHS, so amparo/locale itself must be ignored or the real catalogs get rewritten.
    call_command(
        "makemessages",
        locale=LANGUAGES,
        no_location=True,
        ignore_patterns=[*IGNORE, "locale"],
        verbosity=0,
    )

    assert _mtimes(REAL_LOCALE) == real_before, "makemessages touched the real amparo/locale"
    for lang in LANGUAGES:
        po_path = copy / lang / "LC_MESSAGES" / "django.po"
        assert po_path.stat().st_mtime_ns != copy_before[lang], f"makemessages did not rewrite the copy of {lang}"
    return copy


def test_it_has_every_string_translated_with_no_fuzzy_entry(regenerated_locale):
    problems = []
    for lang in LANGUAGES:
        catalog = polib.pofile(str(regenerated_locale / lang / "LC_MESSAGES" / "django.po"))
        assert len(catalog) > 0, f"{lang}: the catalog is empty"
        untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
        if catalog.metadata_is_fuzzy:
            fuzzy.insert(0, "(the catalog header)")
        problems += [f"{lang}: untranslated: {msgid!r}" for msgid in untranslated]
        problems += [f"{lang}: fuzzy: {msgid!r}" for msgid in fuzzy]
    assert not problems, (
        "Translate these in amparo/locale/<lang>/LC_MESSAGES/django.po (after running makemessages "
        "-l es -l fr -l pt --no-location), then remove any fuzzy flag:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("msgid", ["Log in", "Your safety", "Defender", "Spanish"])
def test_it_renders_known_strings_translated(lang, msgid):
    mo_path = REAL_LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` (compilemessages) first"
    with translation.override(lang):
        assert translation.gettext(msgid) != msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_keeps_placeholders_in_translated_strings(lang):
    with translation.override(lang):
        greeting = translation.gettext("Hello, %(name)s") % {"name": "Ana"}
    assert "Ana" in greeting
    assert greeting != "Hello, Ana"
