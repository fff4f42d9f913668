"""Pages where coordinators keep the shared vocabulary. Thin: parse, authorise, call a service
in `amparo.vocabulary`, render. The vocabulary belongs to no network: every
coordinator keeps it, and everyone else gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.network.permissions import coordinator_required
from amparo.vocabulary import queries, services
from amparo.vocabulary.forms import ImportForm, TermForm
from amparo.vocabulary.models import Term

SHOWN_ERRORS = 100  # an import with more problems lists the first ones: the page stays light


def _kind(kind: str) -> Term.Kind:
    if kind not in Term.Kind.values:
        raise Http404
    return Term.Kind(kind)


def _refused(form: TermForm, error: ValidationError) -> None:
    """Put a service's refusal on the fields it names, the rest above the form."""
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@require_GET
@coordinator_required
@staff_page
def vocabulary_index(request: HttpRequest) -> HttpResponse:
    return render(request, "vocabulary/index.html", {"kinds": queries.counts_by_kind()})


@require_GET
@coordinator_required
@staff_page
def vocabulary_kind(request: HttpRequest, kind: str) -> HttpResponse:
    chosen = _kind(kind)
    return render(request, "vocabulary/kind.html", {
        "kind": chosen, "tree": queries.tree_for(chosen, include_retired=True),
        "is_perpetrator": chosen == Term.Kind.PERPETRATOR,
    })


@require_http_methods(["GET", "POST"])
@coordinator_required
@staff_page
def term_create(request: HttpRequest, kind: str) -> HttpResponse:
    chosen = _kind(kind)
    form = TermForm(request.POST or None, kind=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.create_term(signed_in_user(request), kind=chosen, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("“%(label)s” was added.") % {"label": term.label()})
            return redirect("registry:vocabulary_kind", kind=chosen)
    return render(request, "vocabulary/term_form.html", {"form": form, "kind": chosen})


@require_http_methods(["GET", "POST"])
@coordinator_required
@staff_page
def term_edit(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=term_id)
    form = TermForm(request.POST or None, kind=term.kind, term=term)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_term(signed_in_user(request), term, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("“%(label)s” was saved.") % {"label": term.label()})
            return redirect("registry:vocabulary_kind", kind=term.kind)
    return render(request, "vocabulary/term_form.html", {
        "form": form, "kind": Term.Kind(term.kind), "term": term,
    })


@require_POST
@coordinator_required
@staff_page
def term_retire(request: HttpRequest, term_id: int) -> HttpResponse:
    term = services.retire_term(signed_in_user(request), get_object_or_404(Term, pk=term_id))
    messages.success(request, _("“%(label)s” is retired: forms no longer offer it, and records that use it "
                                "keep it.") % {"label": term.label()})
    return redirect("registry:vocabulary_kind", kind=term.kind)


@require_POST
@coordinator_required
@staff_page
def term_restore(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=term_id)
    try:
        services.restore_term(signed_in_user(request), term)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("registry:term_edit", term_id=term.pk)
    messages.success(request, _("“%(label)s” is offered again.") % {"label": term.label()})
    return redirect("registry:vocabulary_kind", kind=term.kind)


@require_GET
@coordinator_required
@staff_page
def vocabulary_export(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    if kind is not None:
        _kind(kind)
    # The byte-order mark tells spreadsheet programs that the file is UTF-8, so "Ameaças" stays
    # "Ameaças"; the import skips it.
    response = HttpResponse("\ufeff" + services.export_csv(kind), content_type="text/csv; charset=utf-8")
    name = f"amparo-vocabulary-{kind}.csv" if kind else "amparo-vocabulary.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@coordinator_required
@staff_page
def vocabulary_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.import_csv(form.cleaned_data["file"], signed_in_user(request))
        if result.ok:
            messages.success(request, _(
                "The file is in: %(created)d added, %(updated)d changed, %(retired)d retired, %(restored)d "
                "offered again, %(unchanged)d unchanged.") % {
                    "created": result.created, "updated": result.updated, "retired": result.retired,
                    "restored": result.restored, "unchanged": result.unchanged})
            return redirect("registry:vocabulary")
    return render(request, "vocabulary/import.html", {
        "form": form, "result": result,
        "errors": result.errors[:SHOWN_ERRORS] if result else [],
        "more_errors": max(0, len(result.errors) - SHOWN_ERRORS) if result else 0,
    })
