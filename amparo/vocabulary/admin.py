from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amparo.vocabulary import rules, services
from amparo.vocabulary.models import Term


class TermAdminForm(forms.ModelForm):
    """Checks a term by the vocabulary's own rules, so that a refusal comes back on the form
    instead of failing in `save_model`."""

    code = forms.CharField(label=_("code"), max_length=rules.CODE_MAX)

    class Meta:
        model = Term
        fields = ["kind", "code", "parent", "state_actor", *rules.LABELS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        was = rules.shape_of(self.instance) if self.instance.pk else None
        parent = data.get("parent")
        shape = rules.Shape(
            was.kind if was else data.get("kind", ""), was.code if was else str(data.get("code", "")).strip(),
            parent.code if parent else "", data.get("state_actor"),
            tuple(str(data.get(name) or "").strip() for name in rules.LABELS),  # type: ignore[arg-type]  # four labels, one per language: the tuple's length is LABELS'
            was.retired if was else False)
        _shape, found = rules.check(shape, self.instance if self.instance.pk else None)
        for name, messages in found.items():
            self.add_error(name if name in self.fields else None, messages)
        return data


class RetiredFilter(admin.SimpleListFilter):
    title = _("retired")
    parameter_name = "retired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Offered")), ("yes", _("Retired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Term]) -> QuerySet[Term]:
        if self.value() in {"yes", "no"}:
            return queryset.filter(retired_at__isnull=self.value() == "no")
        return queryset


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Every change goes through the vocabulary's services, which write the audit log. Terms
    are never deleted (records point at them): retire them on the vocabulary pages."""

    form = TermAdminForm
    list_display = ["code", "label_en", "kind", "state_actor", "retired_at"]
    list_filter = ["kind", RetiredFilter]
    search_fields = ["code", *rules.LABELS]
    ordering = ["kind", "position", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["kind", "code", "retired_at"] if obj is not None else ["retired_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Term, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        labels = {name: data.get(name) or "" for name in rules.LABELS}
        if change:
            saved = services.update_term(request.user, Term.objects.get(pk=obj.pk),  # type: ignore[arg-type]  # the admin is behind staff login: request.user is a User
                                           parent=data.get("parent"), state_actor=data.get("state_actor"),
                                           **labels)
        else:
            saved = services.create_term(request.user, kind=data["kind"], code=data["code"],  # type: ignore[arg-type]  # the admin is behind staff login: request.user is a User
                                           parent=data.get("parent"), state_actor=data.get("state_actor"),
                                           **labels)
        obj.pk, obj.position = saved.pk, saved.position
