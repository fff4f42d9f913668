"""What protection seals, and how it is opened, named by intent (the keys stay in the vault).

Everything of an assessment, a plan, a check-in's safety contact name, a complaint and a UN
communication is sealed to the desk's ring (`network.services.seal_for_desk`): only the desk's
documenters read it. The safety contact's phone and e-mail are sealed with the service key, so
the missed check-in job, which runs without a member, can alert her.
"""

from __future__ import annotations

import json
from typing import Any

from amparo.network import services as network
from amparo.network.models import Desk
from amparo.vault import services as vault
from amparo.vault.services import Unlocked


def _label(model: str, name: str) -> str:
    return f"protection.{model}.{name}"


def _seal(desk: Desk, model: str, name: str, text: str) -> bytes | None:
    return network.seal_for_desk(desk, text, label=_label(model, name)) if text else None


def _open(unlocked: Unlocked | None, sealed: Any, model: str, name: str) -> str:
    return vault.open_sealed(unlocked, sealed, label=_label(model, name)) if sealed else ""


# --- Risk assessments -----------------------------------------------------------------------

def seal_assessment(desk: Desk, content: dict[str, Any]) -> bytes:
    """Threats, vulnerabilities, capacities (text and rating) and the reason for the change."""
    return network.seal_for_desk(desk, json.dumps(content, ensure_ascii=False),
                                 label=_label("riskassessment", "content"))


def open_assessment(unlocked: Unlocked | None, sealed: Any) -> dict[str, Any]:
    if not sealed:
        return {}
    opened = json.loads(vault.open_sealed(unlocked, sealed, label=_label("riskassessment", "content")))
    return opened if isinstance(opened, dict) else {}


# --- The plan -------------------------------------------------------------------------------

def seal_measure(desk: Desk, *, text: str, owner: str) -> dict[str, bytes | None]:
    return {"text": _seal(desk, "measure", "text", text), "owner": _seal(desk, "measure", "owner", owner)}


def open_measure(unlocked: Unlocked | None, measure: Any) -> dict[str, str]:
    return {"text": _open(unlocked, measure.text, "measure", "text"),
            "owner": _open(unlocked, measure.owner, "measure", "owner")}


def seal_steps(desk: Desk, steps: list[dict[str, Any]]) -> bytes:
    return network.seal_for_desk(desk, json.dumps(steps, ensure_ascii=False), label=_label("protocol", "steps"))


def open_steps(unlocked: Unlocked | None, protocol: Any) -> list[dict[str, Any]]:
    if not protocol.steps:
        return []
    steps = json.loads(vault.open_sealed(unlocked, protocol.steps, label=_label("protocol", "steps")))
    return [{"text": str(s.get("text", "")), "done": bool(s.get("done"))} for s in steps if isinstance(s, dict)]


# --- The safety contact ---------------------------------------------------------------------

def seal_contact_name(desk: Desk, name: str) -> bytes | None:
    return _seal(desk, "checkinschedule", "contact_name", name)


def open_contact_name(unlocked: Unlocked | None, schedule: Any) -> str:
    return _open(unlocked, schedule.contact_name, "checkinschedule", "contact_name")


def seal_contact_reach(name: str, value: str) -> bytes | None:
    """Her phone or e-mail (`name`), with the service key: the alert job opens it."""
    if name not in ("phone", "email"):
        raise ValueError(name)
    return vault.seal_with_service_key(value, label=_label("checkinschedule", f"contact_{name}")) if value else None


def open_contact_reach(name: str, schedule: Any) -> str:
    if name not in ("phone", "email"):
        raise ValueError(name)
    sealed = getattr(schedule, f"contact_{name}")
    return vault.open_with_service_key(sealed, label=_label("checkinschedule", f"contact_{name}")) if sealed else ""


# --- Justice follow-up ----------------------------------------------------------------------

COMPLAINT_WORDS = ("authority", "case_number", "notes")


def seal_complaint(desk: Desk, values: dict[str, str]) -> dict[str, bytes | None]:
    return {name: _seal(desk, "complaint", name, values.get(name, "")) for name in COMPLAINT_WORDS}


def open_complaint(unlocked: Unlocked | None, complaint: Any) -> dict[str, str]:
    return {name: _open(unlocked, getattr(complaint, name), "complaint", name) for name in COMPLAINT_WORDS}


# --- UN communications ----------------------------------------------------------------------

def seal_communication(desk: Desk, *, elements: dict[str, str], pdf: bytes, docx: bytes) -> dict[str, bytes]:
    """The elements as JSON, and the two files as generated: a sealed copy the desk keeps."""
    return {
        "elements": network.seal_for_desk(desk, json.dumps(elements, ensure_ascii=False),
                                          label=_label("uncommunication", "elements")),
        "pdf": network.seal_for_desk(desk, pdf, label=_label("uncommunication", "pdf")),
        "docx": network.seal_for_desk(desk, docx, label=_label("uncommunication", "docx")),
    }


def open_communication_elements(unlocked: Unlocked | None, communication: Any) -> dict[str, str]:
    opened = json.loads(vault.open_sealed(unlocked, communication.elements,
                                          label=_label("uncommunication", "elements")))
    return {str(k): str(v) for k, v in opened.items()} if isinstance(opened, dict) else {}


def open_communication_file(unlocked: Unlocked | None, communication: Any, fmt: str) -> bytes:
    if fmt not in ("pdf", "docx"):
        raise ValueError(fmt)
    return vault.open_sealed_bytes(unlocked, getattr(communication, fmt), label=_label("uncommunication", fmt))


def seal_reply(desk: Desk, text: str) -> bytes | None:
    return _seal(desk, "uncommunication", "reply", text)


def open_reply(unlocked: Unlocked | None, communication: Any) -> str:
    return _open(unlocked, communication.reply, "uncommunication", "reply")
