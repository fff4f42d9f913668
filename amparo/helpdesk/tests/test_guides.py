"""The guides: eight in four languages after `migrate`, readable without an account and
without JavaScript, with no script and nothing from another site; Markdown with a `<script>`
or a `javascript:` link renders harmless; the matching guides come with each category; done
marks are kept in her account only."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from amparo.helpdesk.guides import GUIDES
from amparo.helpdesk.models import Tutorial, TutorialDone
from amparo.helpdesk.rendering import render_guide
from conftest import sign_in

pytestmark = pytest.mark.django_db

HOSTILE = """## Hello

<script>alert('owned')</script>
<img src="https://tracker.example/pixel.png" onerror="alert(1)">
[Click me](javascript:alert(document.cookie)) and [data](data:text/html;base64,PHNjcmlwdD4=)
<a href="javascript:alert(2)" onclick="alert(3)">raw link</a>
<iframe src="https://evil.example/"></iframe>
<p style="background:url(https://evil.example/x)">styled</p>

1. a real step with [a safe link](https://ssd.eff.org/)
"""


def test_eight_guides_in_four_languages_are_there_after_migrate():
    assert len(GUIDES) == 8
    for language in ("en", "es", "fr", "pt"):
        assert Tutorial.objects.filter(language=language).count() == 8
    slugs = set(Tutorial.objects.values_list("slug", flat=True))
    assert {"lock-your-phone", "two-step-login", "encrypted-messaging", "safe-backups", "spot-phishing",
            "phone-seized", "separate-accounts", "travel-with-devices"} == slugs


def test_a_hostile_guide_renders_harmless():
    html = str(render_guide(HOSTILE))
    tags = re.findall(r"<[a-z][^>]*>", html)  # the real elements (raw HTML in the text is escaped)
    assert {re.match(r"<(\w+)", t).group(1) for t in tags} <= {"h2", "p", "a", "ol", "li"}
    for tag in tags:
        assert not re.search(r"\s(on\w+|src|style)=", tag), tag
        href = re.search(r'href="([^"]*)"', tag)
        assert href is None or href.group(1).startswith(("https://", "http://", "mailto:")), tag
    assert "&lt;script&gt;" in html  # shown as words, never run
    assert '<a href="https://ssd.eff.org/"' in html and "<ol>" in html and "<h2>Hello</h2>" in html


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_every_guide_page_has_no_script_and_nothing_from_elsewhere(client, language):
    client.cookies["django_language"] = language
    for guide in Tutorial.objects.filter(language=language):
        page = client.get(f"/helpdesk/guides/{guide.slug}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        main = page[page.index("<main"):page.index("</main>")]
        assert escape(guide.title) in main
        assert "<script" not in main
        assert not re.findall(r'(?:src|href)="(?:https?:)?//', main.replace('href="https://', 'href="X'))
        # Outside <main> only our own stylesheet and quick-exit script (base.html).
        assert not re.findall(r'src="(?:https?:)?//', page)


def test_a_category_shows_its_guides_before_she_writes(client):
    page = client.get("/helpdesk/ask/?category=device").content.decode()
    assert "/helpdesk/guides/phone-seized/" in page and "/helpdesk/guides/travel-with-devices/" in page
    assert "/helpdesk/guides/spot-phishing/" not in page


def test_done_marks_are_kept_in_her_account_and_nowhere_for_an_anonymous_reader(client, world):
    assert client.post("/helpdesk/guides/lock-your-phone/done/", {"done": "1"}).status_code == 302  # to log in
    assert not TutorialDone.objects.exists()
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    client.post("/helpdesk/guides/lock-your-phone/done/", {"done": "1"})
    client.post("/helpdesk/guides/lock-your-phone/done/", {"done": "1"})
    assert TutorialDone.objects.filter(user=world.users["defender"]).count() == 1
    assert "1 of 3 done" in client.get("/helpdesk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_api_lists_the_guides_in_a_language(client):
    answer = client.get("/api/v1/helpdesk/guides/?language=pt").json()
    assert len(answer) == 8 and {g["language"] for g in answer} == {"pt"}
    assert "<script" not in "".join(g["html"] for g in answer)
