"""The builder's forms and the respondent's page. Labels typed in the builder are in the
survey's first language; the translation page gives the others."""

from __future__ import annotations

import datetime
from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core.widgets import DateInput
from amparo.network import countries
from amparo.network.models import Network

from .models import LANGUAGES, Question, Section, Survey, in_language
from .spec import shown

LANGUAGE_CHOICES = [("en", "English"), ("es", "Español"), ("fr", "Français"), ("pt", "Português")]
TEXT_MAX = 2000


class SurveyForm(forms.Form):
    network: forms.ModelChoiceField[Network] = forms.ModelChoiceField(
        queryset=Network.objects.none(), label=_("Network"), empty_label=None)  # the coordinator's, in __init__
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("First language"), choices=LANGUAGE_CHOICES,
                                 help_text=_("The language you write the questions in; add the others afterwards."))

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]  # a ModelChoiceField, declared above


class SectionForm(forms.Form):
    label = forms.CharField(label=_("Title of the page"), max_length=200)
    show_if = forms.ChoiceField(label=_("Show this page only if"), required=False)

    def __init__(self, *args: Any, conditions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["show_if"].choices = [("", _("always"))] + conditions  # type: ignore[attr-defined]  # a ChoiceField


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=[
        ("single", _("One choice")), ("multiple", _("Several choices")), ("scale", _("A scale")),
        ("number", _("A number")), ("date", _("A date")), ("country", _("A country")),
        ("subdivision", _("A region of the country answered before")), ("text", _("Her own words"))])
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    hint = forms.CharField(label=_("Hint"), max_length=500, required=False)
    choices = forms.CharField(label=_("Choices, one per line"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1, required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5, required=False)
    show_if = forms.ChoiceField(label=_("Ask only if"), required=False)

    def __init__(self, *args: Any, conditions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["show_if"].choices = [("", _("always"))] + conditions  # type: ignore[attr-defined]  # a ChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in ("single", "multiple") and not (data.get("choices") or "").strip():
            self.add_error("choices", _("Write at least one choice, one per line."))
        return data


class TranslateForm(forms.Form):
    """One box per text of the survey, for one language; the first language's words beside each."""

    def __init__(self, *args: Any, survey: Survey, sections: list[Section], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = survey.default_language

        def box(key: str, labels: dict[str, str], long: bool = False) -> None:
            self.fields[key] = forms.CharField(
                label=labels.get(first) or "—", required=False, initial=labels.get(language, ""), max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}) if long else forms.TextInput())

        box("title", survey.title)
        for section in sections:
            box(f"section:{section.pk}", section.label)
            for q in section.questions.all():
                box(f"question:{q.pk}", q.label, long=True)
                if q.hint:
                    box(f"hint:{q.pk}", q.hint)
                for c in q.choices.all():
                    box(f"choice:{c.pk}", c.label)


class ImportForm(forms.Form):
    network: forms.ModelChoiceField[Network] = forms.ModelChoiceField(
        queryset=Network.objects.none(), label=_("Network"), empty_label=None)  # the coordinator's, in __init__
    file = forms.FileField(label=_("XLSForm (.xlsx)"))

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]  # a ModelChoiceField, declared above


class InviteForm(forms.Form):
    emails = forms.CharField(label=_("E-mail addresses, one per line"), widget=forms.Textarea(attrs={"rows": 6}))

    def clean_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        field = forms.EmailField()
        for line in lines:
            try:
                field.clean(line)
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("“%(line)s” is not an e-mail address.") % {"line": line}) from exc
        return lines


# --- The respondent's page ------------------------------------------------------------------

def _labelled(labels: dict[str, str], fallback: str) -> str:
    return in_language(labels, None, fallback)


def _subdivisions(country: str) -> list[tuple[str, str]]:
    found = pycountry.subdivisions.get(country_code=country) if country else None
    return sorted(((s.code, s.name) for s in found or []), key=lambda c: c[1])


def _choice_field(q: Question, fallback: str, label: str, hint: str) -> forms.Field:
    options = [(c.name, _labelled(c.label, fallback)) for c in q.choices.all()]
    if q.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, label=label,
                                         help_text=hint, required=False)
    if q.kind == Question.Kind.SCALE:
        options = [(str(v), str(v)) for v in range(q.scale_min, q.scale_max + 1)]
    return forms.ChoiceField(choices=options, widget=forms.RadioSelect, label=label, help_text=hint, required=False)


def _field(q: Question, fallback: str, country: str) -> forms.Field:
    """The form field of a question; every field optional here, required checked in `clean`
    (a question shown by an answer on the same page is required only when shown)."""
    label, hint, kind = _labelled(q.label, fallback), _labelled(q.hint, fallback), Question.Kind
    if q.kind in (kind.SINGLE, kind.MULTIPLE, kind.SCALE):
        return _choice_field(q, fallback, label, hint)
    if q.kind == kind.NUMBER:
        return forms.IntegerField(min_value=-10**9, max_value=10**9, label=label, help_text=hint, required=False)
    if q.kind == kind.DATE:
        return forms.DateField(widget=DateInput, label=label, help_text=hint, required=False)
    options = ([("", "—"), *countries.choices()] if q.kind == kind.COUNTRY else
               [("", "—"), *_subdivisions(country)] if q.kind == kind.SUBDIVISION and _subdivisions(country) else [])
    if options:
        return forms.ChoiceField(choices=options, label=label, help_text=hint, required=False)
    if q.kind == kind.SUBDIVISION:
        return forms.CharField(max_length=8, label=label, help_text=hint, required=False)
    return forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), label=label,
                           help_text=hint, required=False)


class AnswerPage(forms.Form):
    """One page: the questions of a section shown by the answers so far. A question that
    depends on an answer on the same page is shown with its condition said in words, and
    counts only when the condition holds."""

    def __init__(self, *args: Any, survey: Survey, section: Section, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey, self.section, self.answers = survey, section, answers
        same_page = {q.name for q in section.questions.all()}
        self.questions = [q for q in section.questions.all() if q.show_if_question in same_page or shown(q, answers)]
        countries_asked = survey.questions.filter(kind=Question.Kind.COUNTRY).values_list("name", flat=True)
        country = next((str(answers[n]) for n in countries_asked if n in answers), "")
        for q in self.questions:
            self.fields[q.name] = _field(q, survey.default_language, country)

    def values(self) -> dict[str, Any]:
        """The page's answers as JSON values (what the progress token carries)."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, datetime.date):
                out[name] = value.isoformat()
            elif value not in (None, "", []):
                out[name] = value
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        merged = {**self.answers, **{k: v for k, v in data.items() if v not in (None, "", [])}}
        for q in self.questions:
            if q.required and shown(q, merged) and data.get(q.name) in (None, "", []):
                self.add_error(q.name, _("Please answer this question."))
        return data


def condition_words(q: Question, survey: Survey, by_name: dict[str, Question]) -> str:
    """"Only if you answered Yes to: Are you …?" for a question shown by a same-page answer."""
    target = by_name.get(q.show_if_question)
    if target is None:
        return ""
    value = next((_labelled(c.label, survey.default_language) for c in target.choices.all()
                  if c.name == q.show_if_value), q.show_if_value)
    return str(_("Only if you answered “%(value)s” to: %(question)s")) % {
        "value": value, "question": _labelled(target.label, survey.default_language)}


__all__ = ["LANGUAGES", "AnswerPage", "ImportForm", "InviteForm", "QuestionForm", "SectionForm", "SurveyForm",
           "TranslateForm", "condition_words"]
