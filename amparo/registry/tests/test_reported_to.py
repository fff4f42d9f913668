"""Where an incident was reported can name the defender (issue 17.5): `Incident.reported_to`
is sealed to the desk's ring like the narrative, through the same form field."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amparo.registry import services
from amparo.registry.models import Incident
from conftest import sign_in

FORM = {"date_precision": "day", "victims": 1, "reported_to_authorities": "yes", "justice": "complaint",
        "defender_kind": "individual", "country": "HN", "narrative": "They came at night"}


def _table_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_incident")
        return repr(cursor.fetchall())


@pytest.mark.django_db
def test_where_it_was_reported_is_sealed_and_read_back_by_the_desk(client, world):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    response = client.post(f"/registry/desk/{world.desk_a.slug}/new/", {
        **FORM, "submission_key": "rt", "reported_to": "Fiscalía de La Esperanza, abogada Marta"})
    assert response.status_code == 302
    incident = Incident.objects.get(submission_key="rt")
    assert "Marta" not in _table_text() and b"Marta" not in bytes(incident.reported_to)
    page = client.get(f"/registry/incidents/{incident.pk}/").content.decode()
    assert "Fiscalía de La Esperanza, abogada Marta" in page
    edit = client.get(f"/registry/incidents/{incident.pk}/edit/").content.decode()
    assert 'value="Fiscalía de La Esperanza, abogada Marta"' in edit
    response = client.post(f"/registry/incidents/{incident.pk}/edit/", {
        **FORM, "submission_key": "rt-edit", "reported_to": "Fiscalía central"})
    assert response.status_code == 302, response.context["form"].errors
    incident.refresh_from_db()
    assert services.open_incident(world.unlocked["documenter_a"], incident)["reported_to"] == "Fiscalía central"


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_where_existing_incidents_were_reported(world):
    incident = services.record_incident(world.users["documenter_a"], world.desk_a, services.IncidentData(
        country="HN", narrative="n"))
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("registry", "0007_import_records")])
        with connection.cursor() as cursor:  # as rows were before this change: in clear
            cursor.execute("UPDATE registry_incident SET reported_to = %s WHERE id = %s",
                           ["Juzgado de paz, juez Ramos", incident.pk])
    finally:
        call_command("migrate", verbosity=0)  # every app: the apps built on registry were unapplied too
    incident.refresh_from_db()
    assert "Ramos" not in _table_text()
    assert services.open_incident(world.unlocked["documenter_a"], incident)["reported_to"] == \
        "Juzgado de paz, juez Ramos"
