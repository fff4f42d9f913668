"""The vocabulary moved from the registry to its own app with its table: a database that holds
terms, incidents and appeals before the move holds the same rows, still linked, after it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amparo.registry.models import Incident
from amparo.vocabulary.models import Term

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("registry", "0009_attachment_metadata"), ("appeals", "0003_seal_drafts_until_publication")]


def _executor() -> MigrationExecutor:
    return MigrationExecutor(connection)


def test_a_database_with_terms_keeps_them_and_their_links_through_the_move(world):
    executor = _executor()
    executor.migrate(BEFORE)
    old = _executor().loader.project_state(BEFORE).apps
    OldTerm = old.get_model("registry", "Term")
    OldIncident = old.get_model("registry", "Incident")
    Desk = old.get_model("network", "Desk")
    term = OldTerm.objects.create(kind="attack_type", code="attack.before_the_move", label_en="Before the move")
    incident = OldIncident.objects.create(desk=Desk.objects.get(pk=world.desk_a.pk))
    incident.attack_types.add(term)

    executor = _executor()
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = _executor().loader.project_state().apps
    with pytest.raises(LookupError):
        new.get_model("registry", "Term")
    moved = new.get_model("vocabulary", "Term").objects.get(code="attack.before_the_move")
    assert moved.pk == term.pk and moved.label_en == "Before the move"
    again = new.get_model("registry", "Incident").objects.get(pk=incident.pk)
    assert list(again.attack_types.values_list("code", flat=True)) == ["attack.before_the_move"]


def test_the_models_read_the_moved_rows(world):
    assert Term._meta.db_table == "registry_term"
    term = Term.objects.create(kind="theme", code="theme.after_the_move", label_en="After the move")
    incident = Incident.objects.create(desk=world.desk_a)
    incident.attack_types.add(term)
    assert Incident.objects.filter(attack_types__code="theme.after_the_move").get() == incident
