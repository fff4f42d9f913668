"""The registry's audit actions are a catalogue with the codes the log has always held."""

from __future__ import annotations

from amparo.core.audit import AuditAction
from amparo.registry import history
from amparo.registry.actions import Action
from amparo.registry.models import Incident
from amparo.registry.transfer import exporting
from amparo.vocabulary.actions import Action as VocabularyAction


def test_every_status_and_export_format_has_its_action_with_the_stored_code():
    assert {Action.status(status) for status in Incident.Status.values} == {
        member for member in Action if member.startswith("incident.status.")}
    assert [Action.exported(fmt) for fmt in exporting.FORMATS] == ["incidents.exported.csv", "incidents.exported.json"]


def test_the_history_words_key_on_catalogued_actions():
    assert set(history.WORDS) <= set(Action)
    assert history.words("incident.recorded") == "Recorded"
    assert history.words(Action.status(Incident.Status.CLOSED)) == "Status: Closed"


def test_the_catalogues_are_found_from_the_base():
    found = AuditAction.catalogue()
    assert found["incident.moved_in"] is Action.MOVED_IN
    assert found["term.retired"] is VocabularyAction.TERM_RETIRED
