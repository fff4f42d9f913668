"""File names shortened in the middle for the screen (core/templatetags/shorten.py)."""

from __future__ import annotations

import pytest

from amparo.core.templatetags.shorten import clusters, middle_truncate, width
from amparo.core.tests.real_data import LONG_FILE_NAMES


def columns(text: str) -> int:
    return sum(map(width, clusters(text)))


def test_it_leaves_a_short_name_alone():
    assert middle_truncate("voice-note.ogg", 40) == "voice-note.ogg"
    assert middle_truncate("a" * 40, 40) == "a" * 40


@pytest.mark.parametrize("name", LONG_FILE_NAMES[:4])
def test_it_keeps_the_start_the_end_and_the_extension(name):
    shown = middle_truncate(name, 40)
    extension = name[name.rindex("."):]
    assert shown.endswith(extension) and "…" in shown
    assert shown.startswith(name[:5]) and columns(shown) <= 40
    head, tail = shown[: -len(extension)].split("…")
    assert name.startswith(head) and name[: -len(extension)].endswith(tail) and tail


def test_it_counts_wide_characters_twice():
    shown = middle_truncate("証拠" * 40 + ".jpeg", 40)
    assert columns(shown) <= 40 and len(shown) < 25 and shown.endswith(".jpeg")


def test_it_never_cuts_a_letter_from_its_accent_or_an_emoji_apart():
    accents = middle_truncate("e\u0301" * 60 + ".pdf", 20)
    assert all(piece == "e\u0301" for piece in clusters(accents.split("…")[0]))
    judge = "\U0001f469\U0001f3fd\u200d\u2696\ufe0f"  # woman judge, medium skin tone
    shown = middle_truncate(judge * 30 + ".png", 20)
    assert set(clusters(shown.removesuffix(".png").replace("…", ""))) == {judge}


def test_it_shows_no_control_that_could_disguise_the_extension():
    assert middle_truncate("invoice\u202egpj.exe", 40) == "invoicegpj.exe"
    assert middle_truncate("a\x00b\nc.txt", 40) == "abc.txt"


def test_it_keeps_a_name_without_extension_and_a_very_long_one_bounded():
    assert middle_truncate("report_" * 20, 30).endswith("report_")
    assert columns(middle_truncate("x" * 100_000 + ".pdf", 40)) <= 40
    # A "extension" of twenty characters is part of the name.
    assert middle_truncate("a" * 60 + ".abcdefghijklmnopqrst", 40).endswith("qrst")


def test_the_case_page_shows_file_names_shortened_with_the_whole_name_in_its_title(client, world, vocabulary):
    from django.utils.html import escape

    from amparo.core.tests.real_data import incident_with_long_file_names
    from conftest import sign_in

    url = incident_with_long_file_names(world)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    html = client.get(url).content.decode()
    for name in LONG_FILE_NAMES:
        assert f'title="{escape(name)}"><bdi>{escape(middle_truncate(name, 28))}</bdi>' in html
    assert LONG_FILE_NAMES[0] not in html.replace(f'title="{LONG_FILE_NAMES[0]}"', "")
