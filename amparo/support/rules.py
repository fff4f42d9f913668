"""Who may do what in support, in one place. A role that never may gets 403; a request she may
not see is 404 for everyone, so nobody learns which requests exist."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from amparo.accounts.models import User
from amparo.network import permissions
from amparo.network.models import Network, Role
from amparo.registry.models import Incident

from .models import Fund, SupportRequest
from .queries import editable_funds, reviewable_requests, visible_requests

index_required = permissions.role_required(Role.DEFENDER, Role.DOCUMENTER, Role.FUND_REVIEWER)
defender_required = permissions.role_required(Role.DEFENDER)
documenter_required = permissions.role_required(Role.DOCUMENTER)
directory_required = permissions.role_required(Role.COORDINATOR, Role.FUND_REVIEWER)
coordinator_required = permissions.coordinator_required


def visible(user: User, request_id: int) -> SupportRequest:
    found = visible_requests(user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def reviewable(user: User, request_id: int) -> SupportRequest:
    found = reviewable_requests(user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def is_reviewer(user: User, support_request: SupportRequest) -> bool:
    return reviewable_requests(user).filter(pk=support_request.pk).exists()


def is_requester(user: User, support_request: SupportRequest) -> bool:
    return support_request.requester_id is not None and support_request.requester_id == user.pk


def conversable(user: User, request_id: int) -> SupportRequest:
    """For the conversation: her own request, or one she reviews."""
    found = visible(user, request_id)
    if not (is_requester(user, found) or is_reviewer(user, found)):
        raise Http404
    return found


def incident_for_documenter(user: User, incident_id: int) -> Incident:
    found = Incident.objects.filter(pk=incident_id, desk__in=permissions.documented_desks(user)) \
        .select_related("desk__network").first()
    if found is None:
        raise Http404
    return found


def own_incident(user: User, raw: str | None) -> Incident | None:
    """?incident=<id> on her request form: one of her own reports, else nothing."""
    if not raw or not raw.isdigit():
        return None
    return Incident.objects.filter(pk=int(raw), reporter=user).first()


def defender_network(user: User) -> Network:
    membership = permissions.memberships(user).filter(role=Role.DEFENDER).select_related("network").first()
    if membership is None:
        raise Http404
    return membership.network


def editable_fund(user: User, fund_id: int) -> Fund:
    found = editable_funds(user).filter(pk=fund_id).first()
    if found is None:
        raise Http404
    return found


def coordinated_network(user: User, request: HttpRequest) -> Network:
    """The network whose directory she keeps: the one chosen, else the first she coordinates."""
    networks = permissions.coordinated_networks(user)
    raw = request.POST.get("network") or request.GET.get("network") or ""
    found = networks.filter(pk=int(raw)).first() if raw.isdigit() else networks.order_by("kind", "name").first()
    if found is None:
        raise Http404
    return found
