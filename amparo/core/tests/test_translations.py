"""Every interface string is translated into Spanish, French and Portuguese.

Each app keeps its own catalogs (amparo/<app>/locale/<lang>/LC_MESSAGES/django.po); a string
used by several apps is translated once, in the lowest floor that uses it (or core), and
Django merges the catalogs. The first test runs makemessages against a copy of the code and
its catalogs, so a string added to the code but not yet to a catalog shows up as an empty
entry, and the real files are left alone. The others read the compiled catalogs (`make test`
compiles them first) to check that a few known strings really come out translated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

REPO_ROOT = Path(__file__).resolve().parents[3]
REAL_LOCALES = [Path(path) for path in django_settings.LOCALE_PATHS]
LANGUAGES = ["es", "fr", "pt"]


def _mtimes(roots: list[Path]) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for root in roots for path in sorted(root.rglob("*")) if path.is_file()}


def _catalogs(root: Path, lang: str) -> list[Path]:
    return sorted(root.glob(f"amparo/*/locale/{lang}/LC_MESSAGES/django.po"))


@pytest.fixture
def regenerated_locale(tmp_path, settings, monkeypatch) -> Path:
    """A copy of the code and every app's catalogs, the catalogs brought up to date with the
    code as makemessages would (each app's strings into its own; files outside the apps into
    core's)."""
    shutil.copytree(REPO_ROOT / "amparo", tmp_path / "amparo",
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "data"))
    settings.LOCALE_PATHS = [tmp_path / path.relative_to(REPO_ROOT) for path in REAL_LOCALES]
    monkeypatch.chdir(tmp_path)
    real_before = _mtimes([path for path in REAL_LOCALES if path.exists()])
    copy_before = {po: po.stat().st_mtime_ns for lang in LANGUAGES for po in _catalogs(tmp_path, lang)}
    assert copy_before, "no app has a catalog"

    call_command("makemessages", locale=LANGUAGES, no_location=True, verbosity=0)

    assert _mtimes([path for path in REAL_LOCALES if path.exists()]) == real_before, \
        "makemessages touched the real catalogs"
    for po, before in copy_before.items():
        assert po.stat().st_mtime_ns != before, f"makemessages did not rewrite the copy of {po}"
    return tmp_path


def test_it_has_every_string_translated_with_no_fuzzy_entry(regenerated_locale):
    problems = []
    for lang in LANGUAGES:
        catalogs = {po.relative_to(regenerated_locale).as_posix(): polib.pofile(str(po))
                    for po in _catalogs(regenerated_locale, lang)}
        # A string several apps use is translated in one of their catalogs (the lowest floor).
        translated = {(entry.msgctxt, entry.msgid) for catalog in catalogs.values()
                      for entry in catalog.translated_entries()}
        for path, catalog in catalogs.items():
            assert len(catalog) > 0, f"{path}: the catalog is empty"
            if catalog.metadata_is_fuzzy:
                problems.append(f"{path}: fuzzy: (the catalog header)")
            problems += [f"{path}: untranslated: {entry.msgid!r}" for entry in catalog.untranslated_entries()
                         if (entry.msgctxt, entry.msgid) not in translated]
            problems += [f"{path}: fuzzy: {entry.msgid!r}" for entry in catalog.fuzzy_entries()
                         if (entry.msgctxt, entry.msgid) not in translated]
    assert not problems, (
        "Translate these in amparo/<app>/locale/<lang>/LC_MESSAGES/django.po (after running makemessages "
        "-l es -l fr -l pt --no-location from the repository root), then remove any fuzzy flag:\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_app_catalog_is_compiled(lang):
    missing = [po for po in _catalogs(REPO_ROOT, lang) if not po.with_suffix(".mo").exists()]
    assert not missing, f"{missing} not compiled: run `make messages` (compilemessages) first"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("msgid", ["Log in", "Your safety", "Defender", "Spanish"])
def test_it_renders_known_strings_translated(lang, msgid):
    with translation.override(lang):
        assert translation.gettext(msgid) != msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_keeps_placeholders_in_translated_strings(lang):
    with translation.override(lang):
        greeting = translation.gettext("Hello, %(name)s") % {"name": "Ana"}
    assert "Ana" in greeting
    assert greeting != "Hello, Ana"
