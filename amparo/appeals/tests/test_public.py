"""The public side of appeals: recording an action without an account (double submit, one
global limit, no trace of who), the counts, and the Atom feed per language."""

from __future__ import annotations

import gzip
import logging
import re
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest
from django.core.cache import cache

from amparo.appeals import services
from amparo.appeals.models import Action
from amparo.appeals.tests.test_appeals import TEXT, approved
from amparo.vault.tests.test_canary import _database_bytes, _sessions_and_cache
from conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _key(page: str) -> str:
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def test_a_visitor_records_an_action_once_and_the_counts_show_it(client, world):
    appeal = approved(world)
    page = client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    key = _key(page)
    for _twice in range(2):  # a double submit on a slow line
        response = client.post(f"/appeals/p/{appeal.pk}/", {"submission_key": key, "kind": "letter", "country": "FR"})
        assert response.status_code == 302
    assert Action.objects.count() == 1
    for n in range(3):
        services.record_action(appeal, kind="call", country="BR", submission_key=f"other-{n}")
    public = client.get(response["Location"]).content.decode()
    assert "Thank you" in public and "4 actions" in public
    assert "Brazil (3)" in public and "France (1)" not in public  # one action alone is not shown by country
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    staff = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "4 actions recorded" in staff and "France" in staff and "Brazil" in staff


def test_an_action_without_a_kind_is_refused_and_keeps_her_choice(client, world):
    appeal = approved(world)
    response = client.post(f"/appeals/p/{appeal.pk}/", {"submission_key": "abc", "country": "FR"})
    assert response.status_code == 400 and 'value="FR" selected' in response.content.decode()
    assert not Action.objects.exists()


def test_one_global_limit_slows_everyone_and_keeps_no_client_key(client, world, settings):
    settings.APPEAL_ACTIONS_PER_MINUTE = 2
    appeal = approved(world)
    codes = [client.post(f"/appeals/p/{appeal.pk}/", {"submission_key": f"k{n}", "kind": "email"}).status_code
             for n in range(3)]
    assert codes == [302, 302, 429]
    assert Action.objects.count() == 2
    keys = [where.removeprefix("cache ") for where, _ in _sessions_and_cache() if where.startswith("cache ")]
    counters = [k for k in keys if "appeal-actions" in k]
    assert counters and all(re.fullmatch(r"appeal-actions:\d+", k) for k in counters), keys


MARK_IP, MARK_FORWARDED, MARK_AGENT = "203.0.113.78", "198.51.100.98", "MarkedAgent/9.1 tracer"


@pytest.mark.django_db(transaction=True)
def test_no_address_or_user_agent_is_kept_anywhere(client, world, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    appeal = approved(world)
    headers = {"REMOTE_ADDR": MARK_IP, "HTTP_X_FORWARDED_FOR": MARK_FORWARDED, "HTTP_USER_AGENT": MARK_AGENT}
    key = _key(client.get(f"/appeals/p/{appeal.pk}/", **headers).content.decode())
    client.post(f"/appeals/p/{appeal.pk}/", {"submission_key": key, "kind": "embassy", "country": "DE"}, **headers)
    client.post(f"/appeals/p/{appeal.pk}/", {"submission_key": "x", "kind": "nonsense"}, **headers)
    client.get("/appeals/p/999999/", **headers)  # a 404, which Django logs
    client.post("/appeals/subscribe/", {"email": "someone@supporters.example", "languages": ["en"],
                                        "by_email": "on", "kind": "individual"}, **headers)
    assert Action.objects.count() == 1
    stores = dict(_database_bytes() + _sessions_and_cache())
    out, err = capfd.readouterr()
    stores |= {"logs": caplog.text.encode(), "stdout": out.encode(), "stderr": err.encode()}
    assert "Not Found" in caplog.text  # the logs were captured: the search means something
    for needle in (MARK_IP, MARK_FORWARDED, MARK_AGENT, "MarkedAgent"):
        for where, blob in stores.items():
            assert needle.encode() not in blob, (needle, where)


def test_no_code_of_ours_reads_the_clients_address():
    app = Path(services.__file__).parent.parent
    for path in [*app.glob("*.py"), *app.glob("*/*.py")]:
        if path.parent.name in ("tests", "migrations"):
            continue
        text = path.read_text()
        assert "REMOTE_ADDR" not in text and "USER_AGENT" not in text and "FORWARDED" not in text, path


def test_the_public_page_is_small(client, world):
    appeal = approved(world)
    body = client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="es").content
    assert len(gzip.compress(body)) < 10_000  # the page-quality harness checks it with its CSS


# --- The feed -------------------------------------------------------------------------------

def test_the_atom_feed_holds_approved_appeals_and_updates_and_validates(client, world):
    appeal = approved(world)
    services.translate_appeal(world.users["documenter_a"], appeal, "es", {**TEXT, "title": "Honduras: amenazas"})
    update = services.add_update(world.users["documenter_a"], appeal, title="Released", body="She is free.")
    services.approve_update(world.users["coordinator"], update, unlocked=world.unlocked["coordinator"])
    services.add_update(world.users["documenter_a"], appeal, title="Draft news", body="not yet")
    from amparo.appeals.tests.test_appeals import draft

    draft(world, title="A draft nobody approved")
    for language, title in (("es", "Honduras: amenazas"), ("fr", TEXT["title"]), ("en", TEXT["title"])):
        response = client.get(f"/appeals/feed/{language}/")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert parsed.version == "atom10" and parsed.feed.get("updated") and parsed.feed.get("id")
        titles = [e.title for e in parsed.entries]
        assert f"{appeal.reference} {title}" in titles, titles
        assert any("Released" in t for t in titles) and not any("Draft news" in t or "nobody" in t for t in titles)
        for entry in parsed.entries:
            assert entry.id and entry.updated and entry.link.startswith("http") and entry.author
    assert client.get("/appeals/feed/de/").status_code == 404


def test_the_api_gives_published_appeals_only(client, world):
    from amparo.appeals.tests.test_appeals import draft

    appeal = approved(world)
    services.translate_appeal(world.users["documenter_a"], appeal, "es", {**TEXT, "title": "Honduras: amenazas"})
    hidden = draft(world)
    listed = client.get("/api/v1/appeals/").json()
    assert [a["reference"] for a in listed["results"]] == [appeal.reference]
    one = client.get(f"/api/v1/appeals/{appeal.pk}/").json()
    assert {t["language"] for t in one["texts"]} == {"en", "es"} and one["addressees"][0]["authority"]
    assert one["actions"]["letter"] == 0
    assert client.get(f"/api/v1/appeals/{hidden.pk}/").status_code == 404
    assert client.get("/api/v1/schema/").status_code == 200
