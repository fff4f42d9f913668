"""Sealed or clear on purpose: every text, JSON and binary column of every Amparo model (and
of Django admin's log) is either a sealed field or listed, with its reason, in one app's
`CLEAR_FIELDS` (amparo/<app>/tests/tables.py). A new free-text column fails here until
someone decides which it is; and every sealed field has a canary writer (vault/tests/test_canary),
so each one is proven to leave no trace."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from amparo.tests.tables import gathered
from amparo.vault.fields import SealedField

# What can hold words or bytes. CharField covers SlugField, EmailField and URLField;
# FileField and FilePathField keep names; UUIDField and GenericIPAddressField are listed too,
# so that nothing that could hold an identifier slips by.
HOLDS_CONTENT = (models.CharField, models.TextField, models.JSONField, models.BinaryField, models.FileField,
                 models.FilePathField, models.UUIDField, models.GenericIPAddressField)


def walked_models() -> list[type[models.Model]]:
    """Every Amparo model, and the admin's LogEntry when the admin is installed."""
    found = [m for m in apps.get_models() if apps.get_app_config(m._meta.app_label).name.startswith("amparo.")]
    if apps.is_installed("django.contrib.admin"):
        found.append(apps.get_model("admin", "LogEntry"))
    return found


def content_fields() -> dict[str, models.Field]:
    return {f"{m._meta.label}.{f.name}": f for m in walked_models() for f in m._meta.concrete_fields
            if isinstance(f, HOLDS_CONTENT)}


def test_every_column_that_holds_words_or_bytes_is_sealed_or_clear_on_purpose():
    clear = gathered("CLEAR_FIELDS")
    undecided = sorted(name for name, field in content_fields().items()
                       if not isinstance(field, SealedField) and name not in clear)
    assert not undecided, (
        "seal these fields (vault.fields.SealedField, through the app's sealing module) or add them to the "
        f"app's CLEAR_FIELDS in tests/tables.py with the reason they may be read in a database copy: {undecided}")


def test_the_clear_list_names_only_clear_columns_each_with_a_reason():
    fields = content_fields()
    for name, reason in gathered("CLEAR_FIELDS").items():
        assert name in fields, f"{name} is listed as clear but is no such column (renamed or removed?)"
        assert not isinstance(fields[name], SealedField), f"{name} is sealed: take it off the clear list"
        assert isinstance(reason, str) and len(reason.strip()) >= 4, f"{name} needs its reason"


def test_the_walk_sees_the_fields_it_must():
    fields = content_fields()
    assert "admin.LogEntry.change_message" in fields
    assert isinstance(fields["registry.Incident.narrative"], SealedField)
    assert isinstance(fields["registry.Incident.reported_to"], SealedField)
    assert {"appeals.AppealText.sealed", "appeals.Addressee.sealed", "appeals.UpdateText.sealed"} <= set(fields)


def test_every_sealed_field_has_a_canary_writer():
    """The canary run (marker `canary`) plants a string through each; this says so up front."""
    from amparo.vault.tests.test_canary import WRITERS

    sealed = {m for m in walked_models() for f in m._meta.concrete_fields if isinstance(f, SealedField)}
    missing = sorted(m._meta.label for m in sealed if m not in WRITERS)
    assert not missing, f"sealed fields with no canary writer: {missing}"
