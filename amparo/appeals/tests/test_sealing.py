"""Drafts are sealed until publication (issue 17.5): an appeal's words in every language, its
addressees and a draft update's words are sealed to the desk's ring and to whoever coordinates
its network; approval opens them in the approver's own request and keeps them in clear from
then on. Tested through the pages, as the documenter and the coordinator use them."""

from __future__ import annotations

import secrets

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amparo.appeals import sealing, services
from amparo.appeals.models import Addressee, Appeal, AppealText, UpdateText
from amparo.network import services as network
from amparo.network.models import Role
from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from amparo.vault.errors import NotAReader
from conftest import enrol_second_factor, sign_in

WORDS = ("title", "summary", "background", "concerns", "actions", "letter")


def _marker() -> str:
    return f"marker{secrets.token_hex(6)}"


def _table_text(model) -> str:
    """Everything the model's table holds, as one string: what a copy of the database shows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - a model's own table name
        return repr(cursor.fetchall())


def _draft_through_the_pages(client, world, marker: str) -> Appeal:
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    response = client.post(f"/appeals/desk/{world.desk_a.slug}/new/", {
        "submission_key": f"key-{marker}", "language": "en", "country": "HN",
        **{name: f"{marker} {name}" for name in WORDS}})
    assert response.status_code == 302, response.content.decode()[:400]
    appeal = Appeal.objects.get(submission_key=f"key-{marker}")
    assert client.post(f"/appeals/{appeal.pk}/addressees/", {
        "authority": f"{marker} Fiscalía", "email": f"{marker}@authorities.example", "phone": "+504 2222",
        "salutation": "Señor Fiscal", "postal_address": f"{marker} Tegucigalpa"}).status_code == 302
    assert client.post(f"/appeals/{appeal.pk}/translate/es/", {
        "title": f"{marker} título", "summary": f"{marker} resumen"}).status_code == 302
    return appeal


def test_a_draft_is_sealed_in_the_database_and_read_by_the_desk_and_the_coordinator(client, world):
    marker = _marker()
    appeal = _draft_through_the_pages(client, world, marker)
    for model in (AppealText, Addressee):
        assert marker not in _table_text(model)
        assert not model.objects.filter(sealed__isnull=True).exists()
    assert set(AppealText.objects.values_list("title", flat=True)) == {""}
    # The desk reads it on its pages, the edit form is filled in, the index shows the title.
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"{marker} title" in page and f"{marker} Fiscalía" in page
    assert f"{marker} background" in client.get(f"/appeals/{appeal.pk}/edit/").content.decode()
    assert f"{marker} título" in client.get(f"/appeals/{appeal.pk}/translate/es/").content.decode()
    assert f"{marker} title" in client.get("/appeals/").content.decode()
    # Editing keeps it sealed.
    assert client.post(f"/appeals/{appeal.pk}/edit/", {
        "language": "en", "country": "HN", **{name: f"{marker} new {name}" for name in WORDS}}).status_code == 302
    assert marker not in _table_text(AppealText)
    assert client.post(f"/appeals/{appeal.pk}/submit/").status_code == 302
    # The coordinator who reviews it reads it with her own key.
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"{marker} new title" in page and f"{marker}@authorities.example" in page
    # Another desk's documenter is no reader, even with the row in hand.
    with pytest.raises(NotAReader):
        sealing.open_words(world.unlocked["documenter_b"], appeal.texts.first())


def test_approval_opens_the_draft_with_her_key_and_keeps_it_in_clear_from_then_on(client, world):
    marker = _marker()
    appeal = _draft_through_the_pages(client, world, marker)
    client.post(f"/appeals/{appeal.pk}/submit/")
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    assert client.post(f"/appeals/{appeal.pk}/approve/").status_code == 302
    appeal.refresh_from_db()
    assert appeal.published and appeal.reference
    assert not AppealText.objects.filter(appeal=appeal, sealed__isnull=False).exists()
    assert appeal.text().title == f"{marker} title" and appeal.text("es").title == f"{marker} título"
    assert appeal.addressees.get().email == f"{marker}@authorities.example"
    client.logout()
    public = client.get(f"/appeals/p/{appeal.pk}/").content.decode()
    assert f"{marker} title" in public and f"{marker} Fiscalía" in public
    assert f"{marker} title" in client.get(f"/api/v1/appeals/{appeal.pk}/").content.decode()
    # A translation that comes after publication is public at once: kept in clear.
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.post(f"/appeals/{appeal.pk}/translate/fr/", {
        "title": f"{marker} titre", "summary": "résumé"}).status_code == 302
    assert appeal.text("fr").title == f"{marker} titre" and appeal.text("fr").sealed is None


def test_a_coordinator_whose_key_is_locked_cannot_approve_and_nothing_changes(client, world):
    appeal = _draft_through_the_pages(client, world, _marker())
    client.post(f"/appeals/{appeal.pk}/submit/")
    sign_in(client, world.users["coordinator"])  # no key in this session
    response = client.post(f"/appeals/{appeal.pk}/approve/", follow=True)
    assert "did not open with your key" in response.content.decode()
    assert "locked" in client.get(f"/appeals/{appeal.pk}/").content.decode().lower()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVIEW and not appeal.reference
    assert not AppealText.objects.filter(appeal=appeal, sealed__isnull=True).exists()


def test_a_draft_update_is_sealed_until_a_coordinator_approves_it(client, world):
    marker = _marker()
    appeal = _draft_through_the_pages(client, world, marker)
    client.post(f"/appeals/{appeal.pk}/submit/")
    services.approve_appeal(world.users["coordinator"], appeal, unlocked=world.unlocked["coordinator"])
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.post(f"/appeals/{appeal.pk}/updates/new/", {
        "title": f"{marker} update", "body": f"{marker} released"}).status_code == 302
    assert marker + " update" not in _table_text(UpdateText)
    update = appeal.updates.get()
    assert f"{marker} update" in client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"{marker} update" in client.get(f"/appeals/updates/{update.pk}/translate/es/").content.decode()
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    assert client.post(f"/appeals/updates/{update.pk}/approve/").status_code == 302
    assert update.texts.get().title == f"{marker} update" and update.texts.get().sealed is None
    client.logout()
    assert f"{marker} released" in client.get(f"/appeals/p/{appeal.pk}/").content.decode()


def test_the_coalitions_coordinators_read_the_drafts_of_its_networks(world):
    """They coordinate every network under the coalition, so they may approve: sealed to them too."""
    chief = UserFactory.create(username="coalition_chief")
    key, _code = vault.create_member_key(chief, "a long enough passphrase for tests")
    network.add_membership("system", user=chief, role=Role.COORDINATOR, network=world.coalition)
    enrol_second_factor(chief)
    appeal = services.draft_appeal(world.users["documenter_a"], world.desk_a, services.AppealData(
        language="en", country="HN", title="Honduras: threats", summary="She was threatened."))
    assert sealing.open_words(key, appeal.text())["title"] == "Honduras: threats"


def test_an_opened_copy_is_never_saved(world):
    appeal = services.draft_appeal(world.users["documenter_a"], world.desk_a, services.AppealData(
        language="en", country="HN", title="Honduras: threats", summary="She was threatened."))
    text = appeal.texts.get()
    copy = sealing.open_draft(world.unlocked["documenter_a"], text)
    assert copy.title == "Honduras: threats"
    with pytest.raises(RuntimeError):
        copy.save()


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_existing_drafts_with_the_rings_public_keys(world):
    """Drafts written in clear before this change are sealed by the migration, which holds no
    member key; the desk and the coordinator open them afterwards. Published ones stay."""
    draft = services.draft_appeal(world.users["documenter_a"], world.desk_a, services.AppealData(
        language="en", country="HN", title="Old draft title", summary="Old summary"))
    services.add_addressee(world.users["documenter_a"], draft, authority="Old authority")
    with connection.cursor() as cursor:  # as rows were before this change: in clear, nothing sealed
        cursor.execute("UPDATE appeals_appealtext SET title = %s, summary = %s, sealed = NULL",
                       ["Old draft title", "Old summary"])
        cursor.execute("UPDATE appeals_addressee SET authority = %s, sealed = NULL", ["Old authority"])
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("appeals", "0002_circulation")])
        executor.loader.build_graph()
        old = executor.loader.project_state([("appeals", "0002_circulation")]).apps
        assert old.get_model("appeals", "AppealText").objects.get().title == "Old draft title"
    finally:
        call_command("migrate", verbosity=0)  # every app: those built on later migrations were unapplied too
    text = AppealText.objects.get()
    assert text.title == "" and "Old draft title" not in _table_text(AppealText)
    assert sealing.open_words(world.unlocked["documenter_a"], text)["title"] == "Old draft title"
    assert sealing.open_words(world.unlocked["coordinator"], Addressee.objects.get())["authority"] == "Old authority"


def test_a_response_is_sealed_for_the_desk_and_the_coordinators(client, world):
    """An authority's reply or a note on the outcome is never published: always sealed."""
    marker = _marker()
    appeal = _draft_through_the_pages(client, world, marker)
    client.post(f"/appeals/{appeal.pk}/submit/")
    services.approve_appeal(world.users["coordinator"], appeal, unlocked=world.unlocked["coordinator"])
    assert client.post(f"/appeals/{appeal.pk}/responses/", {
        "kind": "reply", "received_on": "2026-11-18", "source": f"{marker} fiscal", "note": f"{marker} protected"
    }).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM appeals_response")
        assert marker not in repr(cursor.fetchall())
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"{marker} fiscal" in page and f"{marker} protected" in page
    client.logout()
    assert f"{marker} protected" not in client.get(f"/appeals/p/{appeal.pk}/").content.decode()
