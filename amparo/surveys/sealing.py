"""What surveys seal, named by intent: free-text answers, to the survey owners' ring (the
coordinators of its network, `network.ring`), and the state a respondent's form carries
between pages (short-lived, with the service key). The labels and keys are chosen here."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from amparo.network import services as network
from amparo.network.models import Role
from amparo.vault import services as vault
from amparo.vault.services import Unlocked

from .models import Answer, Survey

ANSWER_LABEL = "surveys.answer.sealed"


def seal_free_text_answer(survey: Survey, text: str) -> bytes:
    """Her words, readable only by the coordinators of the survey's network."""
    return network.seal_for_role(survey.network, Role.COORDINATOR, text, label=ANSWER_LABEL)


def open_free_text_answer(unlocked: Unlocked | None, answer: Answer) -> str:
    """The words of a free-text answer (raises the vault's KeyLocked, NotAReader or Tampered)."""
    return vault.open_sealed(unlocked, answer.sealed, label=ANSWER_LABEL) if answer.sealed else ""


def _purpose(survey: Survey) -> str:
    return f"survey-progress:{survey.pk}"


def seal_progress(survey: Survey, state: dict[str, Any]) -> str:
    """Her answers so far, for the next page's form: sealed, bound to this survey, short-lived."""
    return vault.seal_form_state(state, purpose=_purpose(survey))


def open_progress(survey: Survey, token: str) -> dict[str, Any] | None:
    """The state a page's form carried back; None once expired, changed or made up."""
    return vault.open_form_state(token, purpose=_purpose(survey), max_age=settings.HER_PAGES_IDLE_SECONDS)
