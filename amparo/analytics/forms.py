"""The statistics filters (a GET form) and the forms that edit region groupings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.analytics.models import Grouping, Region
from amparo.core.widgets import DateInput
from amparo.network import countries
from amparo.network.models import Desk
from amparo.registry.bounds import FIRST_YEAR, LAST_YEAR, check_period_date
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term
from amparo.vocabulary.queries import flatten, tree_for

DATE = DateInput()


def _terms(kind: str) -> list[tuple[str, str]]:
    """Vocabulary choices by code, narrower terms indented under their broader term."""
    return [(e.term.code, "\u2003" * e.depth + e.label) for e in flatten(tree_for(kind))]


class StatsFilter(forms.Form):
    """Free filters for desk staff; every field maps onto a filter of `stats.compute`."""

    desk = forms.ChoiceField(label=_("Desk"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE, validators=[check_period_date])
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE, validators=[check_period_date])
    grouping = forms.ChoiceField(label=_("Region grouping"), required=False)
    region = forms.CharField(label=_("Region (code)"), required=False, max_length=32)
    country = forms.ChoiceField(label=_("Country"), required=False)
    attack_type = forms.ChoiceField(label=_("Type of attack"), required=False)
    perpetrator = forms.ChoiceField(label=_("Perpetrator"), required=False)
    state = forms.ChoiceField(label=_("State or non-state"), required=False, choices=[
        ("", _("Either")), ("state", _("State actors")), ("non_state", _("Non-state actors")),
        ("unknown", _("Unknown or not recorded"))])
    risk_factor = forms.ChoiceField(label=_("Risk factor"), required=False)
    profile = forms.ChoiceField(label=_("Defender profile"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Every status but duplicates"))] + list(Incident.Status.choices))
    level = forms.TypedChoiceField(label=_("Vocabulary level"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("Every term")), ("1", _("Broadest terms")),
                                            ("2", _("Second level"))])

    def __init__(self, *args: Any, desks: QuerySet[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = [("", _("Every desk I may see"))] + [  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
            (d.slug, d.name) for d in desks]
        self.fields["grouping"].choices = [(g.code, g.label()) for g in Grouping.objects.all()]  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
        self.fields["country"].choices = [("", _("Any country"))] + countries.choices()  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
        for name, kind in (("attack_type", Term.Kind.ATTACK_TYPE), ("perpetrator", Term.Kind.PERPETRATOR),
                           ("risk_factor", Term.Kind.RISK_FACTOR), ("profile", Term.Kind.PROFILE),
                           ("gender", Term.Kind.GENDER)):
            self.fields[name].choices = [("", _("Any"))] + _terms(kind)  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field

    def filters(self) -> dict[str, Any]:
        """The filters for `stats.compute` (call after is_valid)."""
        data = self.cleaned_data
        found: dict[str, Any] = {}
        for name in ("desk", "year", "grouping", "region", "country", "attack_type", "perpetrator", "state",
                     "risk_factor", "profile", "gender", "status", "level"):
            if data.get(name) not in (None, ""):
                found[name] = data[name]
        if data.get("date_from"):
            found["from"] = data["date_from"]
        if data.get("date_to"):
            found["to"] = data["date_to"]
        return found


class PublicFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field


class GroupingForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32,
                           help_text=_("Lowercase letters, digits and hyphens; used in links and the API."))
    label_en = forms.CharField(label="English", max_length=200)
    label_es = forms.CharField(label="Español", max_length=200, required=False)
    label_fr = forms.CharField(label="Français", max_length=200, required=False)
    label_pt = forms.CharField(label="Português", max_length=200, required=False)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Grouping.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A grouping with this code exists already."))
        return str(code)


class RegionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    label_en = forms.CharField(label="English", max_length=200)
    label_es = forms.CharField(label="Español", max_length=200, required=False)
    label_fr = forms.CharField(label="Français", max_length=200, required=False)
    label_pt = forms.CharField(label="Português", max_length=200, required=False)

    def __init__(self, *args: Any, grouping: Grouping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grouping = grouping

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.grouping.regions.filter(code=code).exists():
            raise forms.ValidationError(_("This grouping has a region with this code already."))
        return str(code)


class MoveForm(forms.Form):
    """Put countries in a region of the grouping, or take them out of every region."""

    countries = forms.CharField(label=_("Countries"), max_length=2000,
                                help_text=_("ISO codes separated by spaces or commas, e.g. HN GT SV."))
    region = forms.ChoiceField(label=_("Into the region"))

    def __init__(self, *args: Any, grouping: Grouping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grouping = grouping
        self.fields["region"].choices = [(r.code, r.label()) for r in grouping.regions.all()] + [  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
            ("", _("No region (take them out)"))]
        self.fields["region"].required = False

    def clean_countries(self) -> list[str]:
        raw = self.cleaned_data["countries"]
        found = sorted({p.strip().upper() for p in raw.replace(",", " ").split() if p.strip()})
        known = countries.codes()
        unknown = [c for c in found if c not in known and not (len(c) == 4 and countries.name(c) != c)]
        if unknown:
            raise forms.ValidationError(_("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        return found

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        return self.grouping.regions.filter(code=code).first() if code else None
