"""A survey as plain data: what the builder, the XLSForm reader and the demo make, what the
services store, and what the exports write. Two specs compare equal when the surveys are the
same (the XLSForm round trip)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Labels = dict[str, str]


@dataclass
class ChoiceSpec:
    name: str
    label: Labels


@dataclass
class QuestionSpec:
    name: str
    kind: str
    label: Labels
    required: bool = False
    hint: Labels = field(default_factory=dict)
    show_if_question: str = ""
    show_if_value: str = ""
    scale_min: int = 1
    scale_max: int = 5
    choices: list[ChoiceSpec] = field(default_factory=list)


@dataclass
class SectionSpec:
    name: str
    label: Labels
    show_if_question: str = ""
    show_if_value: str = ""
    questions: list[QuestionSpec] = field(default_factory=list)


@dataclass
class SurveySpec:
    form_id: str
    title: Labels
    default_language: str = "en"
    languages: list[str] = field(default_factory=lambda: ["en"])
    sections: list[SectionSpec] = field(default_factory=list)


def shown(item: Any, answers: dict[str, Any]) -> bool:
    """Skip logic: an item with a condition is shown only when the earlier answer matches
    (equals the value, or, for a multiple choice, includes it)."""
    if not item.show_if_question:
        return True
    given = answers.get(item.show_if_question)
    if isinstance(given, list):
        return item.show_if_value in given
    return given is not None and str(given) == item.show_if_value
