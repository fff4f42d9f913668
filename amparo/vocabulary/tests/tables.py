"""The vocabulary's rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
CLEAR_FIELDS: dict[str, str] = {
    "vocabulary.Term.kind": "vocabulary kind code",
    "vocabulary.Term.code": "vocabulary code, e.g. 'attack.threat'",
    "vocabulary.Term.label_en": "vocabulary label",
    "vocabulary.Term.label_es": "vocabulary label",
    "vocabulary.Term.label_fr": "vocabulary label",
    "vocabulary.Term.label_pt": "vocabulary label",
}
