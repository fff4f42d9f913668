"""`SealedField`: how a domain model declares sealed content in one line.

The column holds an envelope made by `vault.services` (never plaintext); the field exists so
that every sealed column can be found by walking the models (the canary tests do) and so
that forms and the admin never show or edit its bytes.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class SealedField(models.BinaryField):
    description = "Content sealed by the vault"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)


def sealed_fields() -> list[tuple[type[models.Model], SealedField]]:
    """Every sealed field of every installed model."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, SealedField)
    ]
