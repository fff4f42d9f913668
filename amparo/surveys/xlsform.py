"""XLSForm in and out (the format of ODK and KoboToolbox), through pyxform.

Reading checks the sheets' columns first, so a form that uses what Amparo cannot keep
(constraints, calculations, repeats…) is refused with the column or type named; pyxform then
checks the rest (names, references) and gives the form as JSON, which becomes a `SurveySpec`.
Writing turns a spec into the three sheets; the XForm is pyxform's conversion of those.

Amparo's own kinds ride in an `instance::amparo_kind` column (country, subdivision), which
other tools keep as an attribute; translated titles in `amparo_title::<lang>` settings.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]  # openpyxl ships no stubs
from pyxform.errors import PyXFormError  # type: ignore[import-untyped]  # pyxform ships no py.typed
from pyxform.xls2xform import convert  # type: ignore[import-untyped]  # pyxform ships no py.typed

from amparo.network import countries

from .models import LANGUAGES
from .spec import ChoiceSpec, Labels, QuestionSpec, SectionSpec, SurveySpec

LANGUAGE_NAMES = {"en": "English (en)", "es": "Español (es)", "fr": "Français (fr)", "pt": "Português (pt)"}
_NAMED = {"english": "en", "spanish": "es", "español": "es", "espanol": "es", "french": "fr", "français": "fr",
          "francais": "fr", "portuguese": "pt", "português": "pt", "portugues": "pt"}
COUNTRY_LIST = "amparo_countries"
KIND_COLUMN = "instance::amparo_kind"

SURVEY_COLUMNS = {"type", "name", "label", "hint", "required", "relevant", "parameters", "appearance",
                  "required_message", KIND_COLUMN}
CHOICE_COLUMNS = {"list_name", "name", "label"}
TRANSLATED = {"label", "hint", "required_message"}
# Metadata a phone app collects about the session: Amparo never collects it, so it is dropped.
DROPPED_TYPES = {"start", "end", "today", "deviceid", "username", "phonenumber", "email", "audit",
                 "simserial", "subscriberid", "start-geopoint"}
SIMPLE_KINDS = {"integer": "number", "date": "date", "text": "text", "range": "scale"}
_RELEVANT = [re.compile(r"^\s*\$\{(\w+)\}\s*=\s*'([^']*)'\s*$"),
             re.compile(r"^\s*selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)\s*$")]


class XLSFormRefused(ValueError):
    """What in the file Amparo cannot read, said in words."""


def language_code(name: str) -> str | None:
    """"English (en)" → "en"; "Português" → "pt"; None for a language Amparo does not speak."""
    found = re.search(r"\((\w{2})(?:[-_]\w+)?\)\s*$", name)
    code = found.group(1).lower() if found else _NAMED.get(name.strip().lower())
    return code if code in LANGUAGES else None


# --- Reading --------------------------------------------------------------------------------

def _sheet_rows(workbook: Any, name: str) -> list[dict[str, Any]]:
    if name not in workbook.sheetnames:
        return []
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return [{h: v for h, v in zip(header, r, strict=False) if h and v not in (None, "")} for r in rows[1:]]


def _check_columns(rows: list[dict[str, Any]], sheet: str, allowed: set[str]) -> None:
    for column in sorted({c for r in rows for c in r}):
        base = column.split("::", 1)[0].strip().lower() if column != KIND_COLUMN else column
        if base not in allowed:
            raise XLSFormRefused(_("The column “%(column)s” of the sheet “%(sheet)s” is not supported by Amparo.")
                                 % {"column": column, "sheet": sheet})
        if "::" in column and base in TRANSLATED and language_code(column.split("::", 1)[1]) is None:
            raise XLSFormRefused(_("The column “%(column)s” of the sheet “%(sheet)s” is in a language Amparo does "
                                   "not offer (English, Spanish, French, Portuguese).")
                                 % {"column": column, "sheet": sheet})


def _check_types(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept = []
    for number, row in enumerate(rows, start=2):
        kind = str(row.get("type", "")).strip()
        first = kind.split()[0] if kind else ""
        group = kind.replace("_", " ") in ("begin group", "end group")
        if not row or (first in DROPPED_TYPES and not group):
            continue
        if group or first in (
                "select_one", "select_multiple", *SIMPLE_KINDS):
            kept.append(row)
            continue
        raise XLSFormRefused(_("The type “%(type)s” (sheet “survey”, row %(row)s) is not supported by Amparo.")
                             % {"type": kind or "—", "row": number})
    return kept


def _labels(value: Any, default: str) -> Labels:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        return {default: str(value)}
    found: Labels = {}
    for name, text in value.items():
        code = default if name == "default" else language_code(name)
        if code and text:
            found[code] = str(text)
    return found


def _condition(expression: str, where: str) -> tuple[str, str]:
    if not expression:
        return "", ""
    for pattern in _RELEVANT:
        found = pattern.match(expression)
        if found:
            return found.group(1), found.group(2)
    raise XLSFormRefused(_("The column “relevant” of “%(name)s” says “%(expr)s”: Amparo keeps only "
                           "${question} = 'value' and selected(${question}, 'value').")
                         % {"name": where, "expr": expression})


def _question(node: dict[str, Any], default: str) -> QuestionSpec:
    kind_word = node["type"]
    own = (node.get("instance") or {}).get("amparo_kind", "")
    show_if = _condition(str((node.get("bind") or {}).get("relevant", "")), node["name"])
    required = str((node.get("bind") or {}).get("required", "")).lower() in ("yes", "true", "true()")
    base = dict(name=node["name"], label=_labels(node.get("label"), default), required=required,
                hint=_labels(node.get("hint"), default), show_if_question=show_if[0], show_if_value=show_if[1])
    if kind_word in ("select one", "select all that apply"):
        if own == "country" or node.get("list_name") == COUNTRY_LIST:
            return QuestionSpec(kind="country", **base)
        choices = [ChoiceSpec(str(c["name"]), _labels(c.get("label"), default)) for c in node.get("choices", [])]
        return QuestionSpec(kind="single" if kind_word == "select one" else "multiple", choices=choices, **base)
    if kind_word == "range":
        params = node.get("parameters") or {}
        return QuestionSpec(kind="scale", scale_min=int(float(params.get("start", 1))),
                            scale_max=int(float(params.get("end", 5))), **base)
    if kind_word == "text" and own == "subdivision":
        return QuestionSpec(kind="subdivision", **base)
    kind = SIMPLE_KINDS.get(kind_word)
    if kind is None:
        raise XLSFormRefused(_("The type “%(type)s” of “%(name)s” is not supported by Amparo.")
                             % {"type": kind_word, "name": node["name"]})
    return QuestionSpec(kind=kind, **base)


def _sections(children: list[dict[str, Any]], default: str) -> list[SectionSpec]:
    sections: list[SectionSpec] = []
    loose: SectionSpec | None = None
    for node in children:
        if node["type"] == "group":
            if node.get("name") == "meta":
                continue
            show_if = _condition(str((node.get("bind") or {}).get("relevant", "")), node["name"])
            section = SectionSpec(node["name"], _labels(node.get("label"), default), *show_if)
            for child in node.get("children", []):
                if child["type"] in ("group", "repeat"):
                    raise XLSFormRefused(_("The group “%(name)s” is inside another group: Amparo shows one group "
                                           "per page and keeps no groups within groups.") % {"name": child["name"]})
                section.questions.append(_question(child, default))
            sections.append(section)
            loose = None
        else:
            if loose is None:
                loose = SectionSpec(f"page_{len(sections) + 1}", {})
                sections.append(loose)
            loose.questions.append(_question(node, default))
    return sections


def read_xlsform(content: bytes) -> SurveySpec:
    """The survey an .xlsx XLSForm describes; raises XLSFormRefused saying what is not kept."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise XLSFormRefused(_("This file is not an XLSForm (.xlsx) workbook.")) from exc
    if "survey" not in workbook.sheetnames:
        raise XLSFormRefused(_("This workbook has no sheet named “survey”."))
    for sheet in ("external_choices", "entities"):
        if sheet in workbook.sheetnames:
            raise XLSFormRefused(_("The sheet “%(sheet)s” is not supported by Amparo.") % {"sheet": sheet})
    survey_rows = _check_types(_sheet_rows(workbook, "survey"))
    choice_rows = _sheet_rows(workbook, "choices")
    settings_rows = _sheet_rows(workbook, "settings")[:1]
    _check_columns(survey_rows, "survey", SURVEY_COLUMNS)
    _check_columns(choice_rows, "choices", CHOICE_COLUMNS)
    try:
        result = convert({"survey": survey_rows, "choices": choice_rows, "settings": settings_rows})
    except PyXFormError as exc:
        raise XLSFormRefused(str(exc)) from exc
    form = result._pyxform  # noqa: SLF001 - pyxform's JSON form of the survey; no public accessor
    default = language_code(str(form.get("default_language", ""))) or "en"
    sections = _sections(form.get("children", []), default)
    title = {default: str(form.get("title", ""))}
    title.update({code: str(t) for name, t in (form.get("amparo_title") or {}).items()
                  if (code := language_code(name) or (name if name in LANGUAGES else None))})
    used = {code for s in sections for q in s.questions for code in q.label} | {default}
    return SurveySpec(form_id=str(form.get("id_string") or "survey")[:64], title=title, default_language=default,
                      languages=[code for code in LANGUAGES if code in used], sections=sections)


# --- Writing --------------------------------------------------------------------------------

def _translated(column: str, labels: Labels, languages: list[str]) -> dict[str, str]:
    return {f"{column}::{LANGUAGE_NAMES[code]}": labels[code] for code in languages if labels.get(code)}


def _relevant(item: Any, questions: dict[str, QuestionSpec]) -> str:
    if not item.show_if_question:
        return ""
    target = questions.get(item.show_if_question)
    if target is not None and target.kind == "multiple":
        return f"selected(${{{item.show_if_question}}}, '{item.show_if_value}')"
    return f"${{{item.show_if_question}}} = '{item.show_if_value}'"


def _question_row(q: QuestionSpec, spec: SurveySpec, questions: dict[str, QuestionSpec]) -> dict[str, str]:
    kinds = {"single": f"select_one {q.name}_list", "multiple": f"select_multiple {q.name}_list",
             "country": f"select_one {COUNTRY_LIST}", "scale": "range", "number": "integer", "date": "date",
             "subdivision": "text", "text": "text"}
    row = {"type": kinds[q.kind], "name": q.name, **_translated("label", q.label, spec.languages),
           **_translated("hint", q.hint, spec.languages)}
    if q.required:
        row["required"] = "yes"
    if relevant := _relevant(q, questions):
        row["relevant"] = relevant
    if q.kind == "scale":
        row["parameters"] = f"start={q.scale_min} end={q.scale_max} step=1"
    if q.kind in ("country", "subdivision"):
        row[KIND_COLUMN] = q.kind
    return row


def xlsform_sheets(spec: SurveySpec) -> dict[str, list[dict[str, str]]]:
    """The survey, choices and settings sheets of `spec`, as rows."""
    questions = {q.name: q for s in spec.sections for q in s.questions}
    survey: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []
    for section in spec.sections:
        begin = {"type": "begin group", "name": section.name, **_translated("label", section.label, spec.languages)}
        if relevant := _relevant(section, questions):
            begin["relevant"] = relevant
        survey.append(begin)
        for q in section.questions:
            survey.append(_question_row(q, spec, questions))
            choices += [{"list_name": f"{q.name}_list", "name": c.name, **_translated("label", c.label, spec.languages)}
                        for c in q.choices]
        survey.append({"type": "end group"})
    if any(q.kind == "country" for q in questions.values()):
        choices += [{"list_name": COUNTRY_LIST, "name": code,
                     **{f"label::{LANGUAGE_NAMES[lang]}": countries.name(code, lang) for lang in spec.languages}}
                    for code, _name in countries.choices("en")]
    settings = {"form_title": spec.title.get(spec.default_language, ""), "form_id": spec.form_id,
                "default_language": LANGUAGE_NAMES[spec.default_language],
                **{f"amparo_title::{code}": text for code, text in spec.title.items()
                   if code != spec.default_language and text}}
    return {"survey": survey, "choices": choices, "settings": [settings]}


def write_xlsform(spec: SurveySpec) -> bytes:
    """The .xlsx workbook of `spec`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in xlsform_sheets(spec).items():
        sheet = workbook.create_sheet(name)
        header: list[str] = []
        for r in rows:
            header += [c for c in r if c not in header]
        sheet.append(header)
        for r in rows:
            sheet.append([r.get(c, "") for c in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xform(spec: SurveySpec) -> str:
    """The XForm (XML) of `spec`, as pyxform converts its XLSForm."""
    return convert(xlsform_sheets(spec), pretty_print=True).xform
