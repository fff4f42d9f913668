"""Forms of the vocabulary pages. They parse and offer choices; the rules live in
`amparo.vocabulary`, whose services check every write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core import uploads
from amparo.vocabulary import queries, rules
from amparo.vocabulary.models import Term

IMPORT_MAX_BYTES = 1024 * 1024  # far more than a vocabulary needs; uploads stay in memory
STATE_CHOICES = [("", _("Same as its broader term")), ("yes", _("State actor")), ("no", _("Non-state actor"))]


class TermForm(forms.Form):
    """A term of one kind: new (with its code) or existing (code and kind never change)."""

    code = forms.CharField(
        label=_("Code"), max_length=rules.CODE_MAX,
        help_text=_("Lowercase, with dots between levels, e.g. attack.threat.death. It never changes: "
                    "spreadsheets and other systems refer to the term by it."))
    parent = forms.ChoiceField(label=_("Broader term"), required=False)
    state_actor = forms.ChoiceField(
        label=_("State or non-state actor"), required=False, widget=forms.RadioSelect,
        choices=STATE_CHOICES,
        help_text=_("A narrower term is always what its broader term is; a top-level term needs an "
                    "answer. Statistics count an unknown perpetrator as non-state."))
    label_en = forms.CharField(label=_("Label in English"), max_length=rules.LABEL_MAX)
    label_es = forms.CharField(label=_("Label in Spanish"), max_length=rules.LABEL_MAX, required=False)
    label_fr = forms.CharField(label=_("Label in French"), max_length=rules.LABEL_MAX, required=False)
    label_pt = forms.CharField(label=_("Label in Portuguese"), max_length=rules.LABEL_MAX, required=False)

    def __init__(self, *args: Any, kind: str, term: Term | None = None, **kwargs: Any) -> None:
        if term is not None:
            kwargs.setdefault("initial", {
                "parent": str(term.parent_id or ""),
                "state_actor": "" if term.parent_id else rules.yes_no(term.state_actor),
                **{name: getattr(term, name) for name in rules.LABELS},
            })
        super().__init__(*args, **kwargs)
        self.kind, self.term = kind, term
        if term is not None:
            del self.fields["code"]
        if kind != Term.Kind.PERPETRATOR:
            del self.fields["state_actor"]
        for language in rules.LANGUAGES:
            field = self.fields[f"label_{language}"]
            field.widget.attrs["lang"] = language
            if language != "en":
                field.help_text = _("Left empty, the English label is shown.")
        self.fields["parent"].choices = self._parents()  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field

    def _parents(self) -> list[tuple[str, str]]:
        """Terms of the same kind that are offered, indented as a tree; never the term itself
        or one under it. Its present broader term stays a choice even if retired."""
        entries = queries.terms_for(self.kind)
        mine = [entry for entry in entries if self.term is not None and entry.term.pk == self.term.pk]
        below = {entry.term.pk for entry in queries.flatten(mine)}
        choices = [("", str(_("None: a top-level term")))]
        choices += [(str(entry.term.pk), "— " * entry.depth + entry.label)
                    for entry in entries if entry.term.pk not in below]
        parent = self.term.parent if self.term is not None else None
        if parent is not None and parent.retired_at is not None:
            choices.append((str(parent.pk), parent.label()))
        return choices

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().lower()

    def clean_parent(self) -> Term | None:
        value = self.cleaned_data["parent"]
        return Term.objects.filter(pk=value, kind=self.kind).first() if value else None

    def clean_state_actor(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["state_actor"])


class ImportForm(forms.Form):
    file = uploads.FileField(
        label=_("CSV file"), limit=IMPORT_MAX_BYTES,
        help_text=_("Saved as CSV (UTF-8), with the columns of the download."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("This file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")) from exc
