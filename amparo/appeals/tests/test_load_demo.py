"""`load_demo` adds supporters and an approved appeal, through the appeals' own command, and
running it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from amparo.appeals import sealing
from amparo.appeals.models import Appeal, Supporter

pytestmark = pytest.mark.django_db


def test_load_demo_adds_supporters_and_an_approved_appeal_once(client, fast_password_hashing):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    supporters = list(Supporter.objects.reachable())
    addresses = [sealing.open_supporter_email(s) for s in supporters]
    assert len(supporters) >= 3 and all(a.endswith("@supporters.example") for a in addresses)
    [appeal] = Appeal.objects.all()
    assert appeal.published and appeal.reference.startswith("UA-") and appeal.approved_by != appeal.author
    assert {t.language for t in appeal.texts.all()} == {"es", "en"}
    page = client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Honduras: amenazas de muerte" in page
    assert appeal.reference in client.get("/appeals/feed/en/").content.decode()
