"""The import and export page in Chromium, on a 360-pixel phone with JavaScript off: a
documenter checks a file, imports it, and downloads the desk as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from amparo.registry.models import Incident
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else ROOT.parent / "shared" / "data"
COLOMBIA = "colombia_social_leaders_killed_2016_2017"


def test_a_documenter_checks_imports_and_exports_without_javascript(live_server, chromium, world,
                                                                     fast_password_hashing, vocabulary):
    cache.clear()
    context = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                   accept_downloads=True)
    page = _log_in(context, live_server, world.users["documenter_a"])
    page.locator("footer button[value=en]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + f"/registry/desk/{world.desk_a.slug}/inbox/")
    page.get_by_role("link", name="Import or export").click()
    page.locator("#id_file").set_input_files(str(DATA / f"{COLOMBIA}.csv"))
    page.locator("#id_mapping").select_option(COLOMBIA)
    page.locator("#id_dry_run").check()
    page.get_by_role("button", name="Check and import").click()
    assert "nothing was written" in page.locator("#summary-h").inner_text()
    assert not Incident.objects.exists()

    # The mapping stays chosen; "only check" does not: the next step is the import itself.
    assert page.locator("#id_mapping").input_value() == COLOMBIA
    assert not page.locator("#id_dry_run").is_checked()
    page.locator("#id_file").set_input_files(str(DATA / f"{COLOMBIA}.csv"))
    page.get_by_role("button", name="Check and import").click()
    assert page.locator("#summary-h").inner_text() == "The file is in"
    screenshot(page, "registry-import-summary")
    assert Incident.objects.filter(desk=world.desk_a, channel="import").count() == 121

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Bernardo Cuero Bravo" in text and text.count("\n") > 121
    context.close()
