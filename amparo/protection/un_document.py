"""A communication to the UN special procedures: its elements (FIELD-NOTES, "UN special
procedures": who submits, kept confidential; the victim's name, age, sex and residence; date
and place; a detailed account; the alleged perpetrators, state or not; what the national
authorities were told and did; consent; what must stay confidential), filled from the case in
the documenter's request, and the document rendered in the case's language (English, French or
Spanish) as PDF (WeasyPrint, our static files only) and DOCX (python-docx).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.analytics.report_document import render_pdf as html_to_pdf
from amparo.network import countries
from amparo.registry import services as registry
from amparo.registry.models import Incident
from amparo.vault.services import Unlocked

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Element:
    key: str
    label: StrPromise
    long: bool = False


ELEMENTS = (
    Element("submitter", gettext_lazy("Who submits this communication (to be kept confidential)")),
    Element("victim_name", gettext_lazy("Victim: full name")),
    Element("victim_age", gettext_lazy("Victim: age")),
    Element("victim_sex", gettext_lazy("Victim: sex")),
    Element("victim_residence", gettext_lazy("Victim: place of residence")),
    Element("date", gettext_lazy("Date of the events")),
    Element("place", gettext_lazy("Place of the events")),
    Element("account", gettext_lazy("Detailed account of the events"), long=True),
    Element("perpetrators", gettext_lazy("Alleged perpetrators (state or non-state actors)"), long=True),
    Element("authorities", gettext_lazy("What the national authorities were told, and what they did"), long=True),
    Element("confidential", gettext_lazy("What must stay confidential"), long=True),
)
KEYS = tuple(e.key for e in ELEMENTS)


def missing(elements: dict[str, str]) -> list[StrPromise]:
    """The labels of the required elements left blank (every element is required)."""
    return [e.label for e in ELEMENTS if not str(elements.get(e.key, "")).strip()]


def _date(incident: Incident) -> str:
    if incident.occurred_on is None:
        return ""
    if incident.date_precision == Incident.Precision.YEAR:
        return f"{incident.occurred_on:%Y}"
    if incident.date_precision == Incident.Precision.MONTH:
        return f"{incident.occurred_on:%Y-%m}"
    return incident.occurred_on.isoformat()


def _authorities(incident: Incident, reported_to: str, complaints: list[dict[str, str]]) -> str:
    lines = []
    if incident.reported_to_authorities == Incident.Reported.YES:
        lines.append(_("The events were reported to the authorities") + (f": {reported_to}" if reported_to else "."))
    elif incident.reported_to_authorities == Incident.Reported.NO:
        lines.append(_("The events were not reported to the authorities."))
    lines += [f"{c['authority']} {c['case_number']} — {c['stage']}".strip() for c in complaints]
    if incident.justice != Incident.Justice.NONE:
        lines.append(_("Stage reached: %(stage)s") % {"stage": incident.get_justice_display()})
    return "\n".join(lines)


def prefill(unlocked: Unlocked | None, incident: Incident, language: str,
            complaints: list[dict[str, str]], submitter: str) -> dict[str, str]:
    """What the case already says, opened with her key, in `language` where it can be."""
    with translation.override(language):
        opened = registry.open_incident(unlocked, incident)
        defender = incident.defenders.select_related("gender").first()
        place = ", ".join(p for p in (opened["locality"], incident.subdivision,
                                      countries.name(incident.country, language) if incident.country else "") if p)
        perpetrators = "\n".join(t.label(language) for t in incident.perpetrators.all())
        return {
            "submitter": submitter,
            "victim_name": registry.open_defender_name(unlocked, defender) if defender else "",
            "victim_age": "",
            "victim_sex": defender.gender.label(language) if defender and defender.gender else "",
            "victim_residence": "",
            "date": _date(incident),
            "place": place,
            "account": opened["narrative"],
            "perpetrators": perpetrators,
            "authorities": _authorities(incident, opened["reported_to"], complaints),
            "confidential": "",
        }


def sections(elements: dict[str, str], language: str) -> list[tuple[str, str]]:
    """(heading, text) in the document's order and language, consent included."""
    with translation.override(language):
        found = [(str(e.label), str(elements.get(e.key, ""))) for e in ELEMENTS]
        found.insert(len(found) - 1, (_("Consent"), _(
            "The victim has consented to this communication being submitted to the UN special procedures.")))
        return found


def title(language: str) -> str:
    with translation.override(language):
        return _("Communication to the United Nations special procedures")


def render_html(elements: dict[str, str], language: str) -> str:
    return render_to_string("protection/un_document.html", {
        "title": title(language), "sections": sections(elements, language), "language": language})


def render_pdf(elements: dict[str, str], language: str) -> bytes:
    return html_to_pdf(render_html(elements, language))


def render_docx(elements: dict[str, str], language: str) -> bytes:
    import docx

    document: Any = docx.Document()
    document.core_properties.language = language
    document.add_heading(title(language), level=1)
    for heading, text in sections(elements, language):
        document.add_heading(heading, level=2)
        for line in text.splitlines() or [""]:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
