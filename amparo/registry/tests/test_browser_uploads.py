"""A file too large, in Chromium with JavaScript off, in Spanish, on a 360-pixel phone (issue
15): she writes her report and attaches a 25 MB video; the page says plainly that the file
was not kept and nothing was sent, with everything she wrote still there; she attaches a 2 MB
file instead and sends; the desk sees the report with its file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from amparo.registry.models import Incident
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("AMPARO_SHOTS_DIR", SCREENSHOTS))
MB = 1024 * 1024


def _shot(page, name: str) -> None:
    screenshot(page, name)
    if SHOTS != SCREENSHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS / f"{name}.png")


def test_a_file_too_large_is_refused_her_words_stay_and_a_smaller_one_is_kept(
        live_server, chromium, phone_without_js, world, fast_password_hashing, settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    video, photo = tmp_path / "video-de-la-marcha.mp4", tmp_path / "nota-de-voz.ogg"
    video.write_bytes(b"\0" * (25 * MB))
    photo.write_bytes(os.urandom(2 * MB))

    page = phone_without_js.new_page()
    page.goto(live_server.url + "/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/r/")
    words = page.locator(".receipt-words strong").inner_text()
    # The limit is beside the field, in her language.
    assert page.locator("#id_file_helptext").inner_text().startswith("Como máximo 20 MB.")
    page.locator("#id_country").select_option("HN")
    page.locator("#id_narrative").fill("Nos grabaron en la marcha y luego nos siguieron.")
    page.locator("#id_where").fill("Tegucigalpa")
    page.locator("#id_safe_now_2").check()
    page.locator("#id_consent_statistics").check()
    page.locator("#id_file").set_input_files(str(video))
    _shot(page, "upload-1-form-with-25mb-es")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    response = navigation.value
    assert response is not None and response.status == 400

    # Refused, said beside the field; nothing stored; everything she wrote is still there.
    error = page.locator(".field.has-error").filter(has=page.locator("#id_file"))
    assert error.count() == 1
    assert "20 MB" in error.inner_text()
    assert page.locator("main [role=alert]").count() == 1  # and said at the top of the form
    _shot(page, "upload-2-refused-es")
    assert not Incident.objects.exists()
    assert page.locator("#id_narrative").input_value() == "Nos grabaron en la marcha y luego nos siguieron."
    assert page.locator("#id_where").input_value() == "Tegucigalpa"
    assert page.locator("#id_country").input_value() == "HN"
    assert page.locator("#id_safe_now_2").is_checked() and page.locator("#id_consent_statistics").is_checked()
    assert page.locator(".receipt-words strong").inner_text() == words

    # A smaller file: sent and kept.
    page.locator("#id_file").set_input_files(str(photo))
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value is not None and navigation.value.status == 200
    assert words in page.locator(".receipt-words strong").inner_text()
    _shot(page, "upload-3-sent-es")
    incident = Incident.objects.get()
    attachment = incident.attachments.get()
    assert attachment.size == 2 * MB

    # The desk sees the report and its file.
    desk = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    staff = _log_in(desk, live_server, world.users["documenter_a"])
    staff.goto(live_server.url + f"/registry/incidents/{incident.pk}/")
    main = staff.locator("main").inner_text()
    assert "Nos grabaron en la marcha" in main and "nota-de-voz.ogg" in main
    staff.locator(f"a[href='/registry/files/{attachment.pk}/']").scroll_into_view_if_needed()
    _shot(staff, "upload-4-desk-sees-the-file-es")
    with staff.expect_download() as download:
        staff.locator(f"a[href='/registry/files/{attachment.pk}/']").click()
    assert download.value.suggested_filename == "nota-de-voz.ogg"
    assert Path(download.value.path()).read_bytes() == photo.read_bytes()
    desk.close()
