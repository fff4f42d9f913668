"""Reading a submitted instance as ODK Collect and Tella send it: the form's `id` (and
`version`) on the root element, the answers as its children without a namespace prefix, and
`meta/instanceID`. Parsed with `defusedxml`: no DTD, no entities, no external references.

The answers then go through the web form's own checks (registry's `AnonymousReportForm`:
lengths, choices, countries), so a report says the same whichever way it came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element  # noqa: S405 - only the type; parsing is defusedxml's

from defusedxml import ElementTree  # type: ignore[import-untyped]  # ships no type stubs (types-defusedxml is not locked)
from defusedxml.common import DefusedXmlException  # type: ignore[import-untyped]  # ships no type stubs (types-defusedxml is not locked)
from django.utils.translation import gettext as _

from amparo.openrosa import xform
from amparo.registry.forms_intake import AnonymousReportForm
from amparo.registry.services import IncidentData

XML_MAX_BYTES = 1024 * 1024  # words only: the files come as their own parts


class Refused(ValueError):
    """A submission this server does not take, with the HTTP status and the reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class Instance:
    instance_id: str
    answers: dict[str, str]
    file_names: set[str] = field(default_factory=set)  # every answer that may name a media part


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _leaves(element: Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if len(child):
            found.update({f"{name}/{k}": v for k, v in _leaves(child).items()})
        else:
            found[name] = (child.text or "").strip()
    return found


def parse(xml: bytes) -> Instance:
    """The instance's answers by question name; Refused (400) for what is not our form."""
    if len(xml) > XML_MAX_BYTES:
        raise Refused(413, _("The form's answers are too long."))
    try:
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise Refused(400, _("The form's answers could not be read.")) from exc
    if root.get("id") != xform.FORM_ID:
        raise Refused(400, _("This server takes only its own form: download it again."))
    leaves = _leaves(root)
    instance_id = leaves.get("meta/instanceID", "")
    if not instance_id or len(instance_id) > 200:
        raise Refused(400, _("The form's answers have no instance identifier."))
    answers = {k: v for k, v in leaves.items() if "/" not in k}
    return Instance(instance_id, answers, {v for v in answers.values() if v})


def incident_data(instance: Instance, country_choices: set[str]) -> IncidentData:
    """The answers as the web form would record them (sealed later, by the registry); Refused
    (400) for an answer outside the form's choices or over its lengths."""
    answers = instance.answers
    data = {name: answers.get(name, "") for name in xform.QUESTIONS}
    if len(country_choices) == 1 and not data["country"]:
        data["country"] = next(iter(country_choices))
    if data["country"] and data["country"] not in country_choices:
        raise Refused(400, _("This country is not among the form's choices."))
    ticked = set(answers.get(xform.CONSENT, "").split())
    allowed = {name.removeprefix("consent_") for name in xform.CONSENTS}
    if not ticked <= allowed:
        raise Refused(400, _("An answer is not among the form's choices."))
    data.update({f"consent_{name}": "on" for name in ticked})
    # The web form's hidden receipt fields have no meaning here: the phone has no receipt.
    form = AnonymousReportForm(data={**data, "receipt": "-", "binding": "-"})
    form.is_valid()
    if any(name != "__all__" for name in form.errors):  # a field refused; an empty report is fine
        raise Refused(400, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return form.incident_data()
