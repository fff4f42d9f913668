"""Pages where coordinators manage networks, desks and memberships. Thin: parse, authorise,
call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts import gates
from amparo.accounts.gates import Gate, TooManyAttempts
from amparo.accounts.models import User
from amparo.accounts.requests import signed_in_user
from amparo.accounts.signals import password_verified
from amparo.core.models import AuditEntry
from amparo.core.security import staff_page
from amparo.network import countries, permissions, services
from amparo.network.forms import (
    AcceptInvitationForm,
    ContactForm,
    DeskEditForm,
    DeskForm,
    InviteForm,
    MembershipForm,
    NetworkForm,
    OrganisationForm,
    SheetForm,
)
from amparo.network.models import Desk, MemberContact, Membership, Network, Role
from amparo.vault import services as vault
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered, WrongSecret


@require_GET
@permissions.coordinator_required
@staff_page
def network_index(request: HttpRequest) -> HttpResponse:
    networks = permissions.coordinated_networks(request.user).prefetch_related("desks")
    return render(request, "network/index.html", {"networks": networks})


@require_GET
@permissions.coordinator_required
@staff_page
def network_detail(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = permissions.network_for_coordinator(request.user, network_slug)
    own_ring = network.ring is not None and Membership.objects.active().filter(
        user=signed_in_user(request), role=Role.COORDINATOR, network=network).exists()
    return render(request, "network/network_detail.html", {
        "network": network,
        "own_ring": own_ring,
        "sheet_confirmed": own_ring and network.ring is not None and network.ring.recovery_confirmed_at is not None,
        "desks": network.desks.all(),
        "organisations": network.organisations.all(),
        "children": network.children.all(),
    })


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def desk_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = permissions.network_for_coordinator(request.user, network_slug)
    form = DeskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        desk = services.create_desk(signed_in_user(request), network, **form.cleaned_data)
        messages.success(request, _("The desk was created."))
        return redirect("network:desk_detail", desk_slug=desk.slug)
    return render(request, "network/desk_form.html", {"form": form, "network": network})


@require_GET
@permissions.desk_staff_required
@staff_page
def desk_detail(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = permissions.desk_for_viewer(request.user, desk_slug)
    members = desk.memberships.active().select_related("user")
    waiting = set(vault.pending_members(desk.ring)) if desk.ring else set()
    return render(request, "network/desk_detail.html", {
        "desk": desk,
        "country_names": [countries.name(c) for c in desk.countries],
        "members": [(m, m.user_id in waiting) for m in members],
        "can_manage": permissions.is_coordinator_of(request.user, desk.network),
        "is_documenter": permissions.is_documenter_of(request.user, desk),
        "sheet_confirmed": bool(desk.ring and desk.ring.recovery_confirmed_at),
    })


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def desk_edit(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = permissions.desk_for_viewer(request.user, desk_slug)
    network = permissions.network_for_coordinator(request.user, desk.network.slug)
    form = DeskEditForm(request.POST or None, initial={"name": desk.name, "countries": desk.countries})
    if request.method == "POST" and form.is_valid():
        services.update_desk(signed_in_user(request), desk, **form.cleaned_data)
        messages.success(request, _("The desk was saved."))
        return redirect("network:desk_detail", desk_slug=desk.slug)
    return render(request, "network/desk_form.html", {"form": form, "network": network, "desk": desk})


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def organisation_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = permissions.network_for_coordinator(request.user, network_slug)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_organisation(signed_in_user(request), network, **form.cleaned_data)
        messages.success(request, _("The organisation was added."))
        return redirect("network:network_detail", network_slug=network.slug)
    return render(request, "network/organisation_form.html", {"form": form, "network": network})


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def members(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = permissions.network_for_coordinator(request.user, network_slug)
    form = MembershipForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_membership(
            signed_in_user(request), user=data["username"], role=data["role"], network=network,
            desk=data["desk"], organisation=data["organisation"],
        )
        messages.success(request, _("The role was given."))
        return redirect("network:members", network_slug=network.slug)
    active = Membership.objects.active().filter(network=network).select_related(
        "user", "desk", "organisation"
    )
    return render(request, "network/members.html", {
        "network": network, "form": form, "memberships": active,
    })


@require_POST
@permissions.coordinator_required
@staff_page
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = permissions.membership_for_coordinator(request.user, membership_id)
    try:
        services.end_membership(signed_in_user(request), membership)
    except services.LastKeyHolderError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The role was ended."))
    return redirect("network:members", network_slug=membership.network.slug)


@require_GET
@permissions.coordinator_required
@staff_page
def audit_log(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = permissions.network_for_coordinator(request.user, network_slug)
    scopes = [services.scope_of(network)]
    if network.kind == Network.Kind.COALITION:
        scopes += [services.scope_of(child) for child in network.children.all()]
    entries = AuditEntry.objects.filter(scope__in=scopes).order_by("-seq")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actors = User.objects.in_bulk({e.actor_id for e in page if e.actor_id})
    rows = [(e, actors.get(e.actor_id) if e.actor_id else None) for e in page]
    return render(request, "network/audit_log.html", {
        "network": network, "page": page, "rows": rows,
    })


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def invite(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = permissions.network_for_coordinator(request.user, network_slug)
    form = InviteForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(signed_in_user(request), network, base_url=f"{request.scheme}://{request.get_host()}",
                            **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect("network:members", network_slug=network.slug)
    return render(request, "network/invite.html", {"form": form, "network": network})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page: opening it changes nothing; only the form's POST uses the link."""
    try:
        found = services.open_invitation(token)
    except services.InvitationInvalid:
        return render(request, "network/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token, username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"], first_name=form.cleaned_data["first_name"],
            )
        except services.InvitationInvalid:
            return render(request, "network/invitation_invalid.html", status=404)
        password_verified.send(sender=User, request=request, user=user,
                               password=form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accounts:dashboard")
    return render(request, "network/invitation.html", {"form": form, "invitation": found})


def _membership_in(request: HttpRequest, network_id: int) -> Network:
    """A network where she holds an active role (any role), else 404."""
    network = Network.objects.filter(
        pk=network_id, memberships__user=signed_in_user(request), memberships__ended_at__isnull=True
    ).distinct().first()
    if network is None:
        raise Http404
    return network


@require_http_methods(["GET", "POST"])
@login_required
def my_contact(request: HttpRequest, network_id: int) -> HttpResponse:
    """Her own contact details for one network, sealed to its coordinators and to herself."""
    network = _membership_in(request, network_id)
    contact = MemberContact.objects.filter(user=signed_in_user(request), network=network).first()
    unlocked = vault_session.unlocked_for(request)
    initial: dict[str, str] = {}
    if contact is not None:
        try:
            initial = services.open_contact(unlocked, contact)
        except (KeyLocked, NotAReader, Tampered):
            return render(request, "network/key_locked.html", status=200)
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        me = signed_in_user(request)
        services.save_contact(me, user=me, network=network, values=form.cleaned_data)
        messages.success(request, _("Your contact details were saved, locked for your coordinators."))
        return redirect("accounts:dashboard")
    return render(request, "network/my_contact.html", {"form": form, "network": network})


@require_GET
@permissions.coordinator_required
@staff_page
def member_contact(request: HttpRequest, membership_id: int) -> HttpResponse:
    """A member's contact details, for a coordinator who holds the network's key (need to know)."""
    membership = permissions.membership_for_coordinator(request.user, membership_id)
    contact = MemberContact.objects.filter(user=membership.user, network=membership.network).first()
    details, problem = None, None
    if contact is not None:
        try:
            details = services.open_contact(vault_session.unlocked_for(request), contact)
        except KeyLocked:
            problem = "locked"
        except (NotAReader, Tampered):
            problem = "not_a_reader"
    return render(request, "network/member_contact.html", {
        "membership": membership, "details": details, "problem": problem,
    })


def _desk_member(request: HttpRequest, desk_slug: str) -> Desk:
    """Her desk, if she documents for it: only its documenters hold its key."""
    desk = permissions.desk_for_viewer(request.user, desk_slug)
    if not permissions.is_documenter_of(request.user, desk):
        raise PermissionDenied
    return desk


# --- Recovery sheets: the same three steps for a desk's ring and a network's -----------------

def _sheet_context(owner: Desk | Network) -> dict[str, Any]:
    if isinstance(owner, Desk):
        return {"owner": owner, "scope": "desk",
                "confirm_url": reverse("network:recovery_sheet_confirm", kwargs={"desk_slug": owner.slug}),
                "done_url": reverse("network:desk_detail", kwargs={"desk_slug": owner.slug})}
    return {"owner": owner, "scope": "network",
            "confirm_url": reverse("network:network_recovery_sheet_confirm", kwargs={"network_slug": owner.slug}),
            "done_url": reverse("network:network_detail", kwargs={"network_slug": owner.slug})}


def _issue_sheet(request: HttpRequest, owner: Desk | Network) -> HttpResponse:
    """Make the ring's recovery sheet and show it once, to print or copy by hand."""
    unlocked = vault_session.unlocked_for(request)
    if unlocked is None or owner.ring is None:
        return render(request, "network/key_locked.html")
    try:
        sheet = vault.issue_recovery_sheet(owner.ring, unlocked)
    except NotAReader:
        return render(request, "network/key_locked.html")
    return render(request, "network/recovery_sheet.html",
                  {**_sheet_context(owner), "sheet": sheet, "form": SheetForm()})


def _confirm_sheet(request: HttpRequest, owner: Desk | Network) -> HttpResponse:
    context = _sheet_context(owner)
    form = SheetForm(request.POST)
    ring = owner.ring
    if form.is_valid() and ring is not None:
        typed = form.cleaned_data["sheet"]

        def verify() -> bool:
            try:
                vault.confirm_recovery_sheet(ring, typed)
            except WrongSecret:
                return False
            return True

        try:
            confirmed = gates.check_secret(signed_in_user(request), Gate.SHEET_CONFIRM, verify)
        except TooManyAttempts as refusal:
            form.add_error("sheet", gates.form_error(refusal))
        else:
            if confirmed:
                messages.success(request, _("The recovery sheet is confirmed. Keep it somewhere safe."))
                return redirect(context["done_url"])
            form.add_error("sheet", _("This is not the code on the sheet. Check each group of four."))
    return gates.answer(render(request, "network/recovery_sheet.html", {**context, "sheet": None, "form": form}),
                        form)


def _restore(request: HttpRequest, owner: Desk | Network) -> HttpResponse:
    """When nobody left can open the ring's records: the sheet gives them back to her."""
    context = _sheet_context(owner)
    form = SheetForm(request.POST or None)
    ring = owner.ring
    if request.method == "POST" and form.is_valid() and ring is not None:
        typed, user = form.cleaned_data["sheet"], signed_in_user(request)

        def verify() -> int | None:  # how many keys she was given (maybe 0), None if refused
            try:
                return vault.restore_from_sheet(ring, typed, user)
            except (WrongSecret, KeyLocked):
                return None

        try:
            count = gates.check_secret(user, Gate.SHEET_RESTORE, verify)
        except TooManyAttempts as refusal:
            form.add_error("sheet", gates.form_error(refusal))
        else:
            if count is not None:
                messages.success(request, _("Restored: %(count)d keys were given to you.") % {"count": count})
                return redirect(context["done_url"])
            form.add_error("sheet", _("This code does not open these records."))
    return gates.answer(render(request, "network/restore.html", {**context, "form": form}), form)


def _own_network(request: HttpRequest, network_slug: str) -> Network:
    """A network she coordinates herself: its ring is the coordinators' (a coalition's
    coordinator sees national networks but is not in their ring)."""
    network = permissions.network_for_coordinator(request.user, network_slug)
    coordinators = Membership.objects.active().filter(role=Role.COORDINATOR, network=network)
    if not coordinators.filter(user=signed_in_user(request)).exists():
        raise PermissionDenied
    return network


@require_POST
@permissions.desk_staff_required
@staff_page
def recovery_sheet(request: HttpRequest, desk_slug: str) -> HttpResponse:
    return _issue_sheet(request, _desk_member(request, desk_slug))


@require_POST
@permissions.desk_staff_required
@staff_page
def recovery_sheet_confirm(request: HttpRequest, desk_slug: str) -> HttpResponse:
    return _confirm_sheet(request, _desk_member(request, desk_slug))


@require_http_methods(["GET", "POST"])
@permissions.desk_staff_required
@staff_page
def restore_from_sheet(request: HttpRequest, desk_slug: str) -> HttpResponse:
    return _restore(request, _desk_member(request, desk_slug))


@require_POST
@permissions.coordinator_required
@staff_page
def network_recovery_sheet(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _issue_sheet(request, _own_network(request, network_slug))


@require_POST
@permissions.coordinator_required
@staff_page
def network_recovery_sheet_confirm(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _confirm_sheet(request, _own_network(request, network_slug))


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def network_restore(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _restore(request, _own_network(request, network_slug))


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def network_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    """A coalition's coordinator adds a national network under it."""
    coalition = permissions.network_for_coordinator(request.user, network_slug)
    if coalition.kind != Network.Kind.COALITION:
        raise Http404
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.create_network(signed_in_user(request), kind=Network.Kind.NATIONAL, parent=coalition,
                                          **form.cleaned_data)
        messages.success(request, _("The network was created."))
        return redirect("network:network_detail", network_slug=created.slug)
    return render(request, "network/network_form.html", {"form": form, "coalition": coalition})
