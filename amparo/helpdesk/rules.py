"""Who may do what at the help desk, in one place. An ICT expert works on the requests of the
networks where she holds the role (a coalition's expert also on those of its national
networks); a requester sees only her own requests; a desk's documenters see the lockdowns of
their desk. Another network's request or another desk's lockdown is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from amparo.accounts.models import User
from amparo.helpdesk.models import HelpRequest, Lockdown
from amparo.network import permissions
from amparo.network.models import Network, Role

expert_required = permissions.role_required(Role.ICT_EXPERT)
documenter_required = permissions.role_required(Role.DOCUMENTER)


def is_expert(user: User) -> bool:
    return permissions.has_role(user, Role.ICT_EXPERT)


def expert_networks(user: User) -> QuerySet[Network]:
    ids = list(permissions.memberships(user).filter(role=Role.ICT_EXPERT).values_list("network_id", flat=True))
    if not ids:
        return Network.objects.none()
    return Network.objects.filter(Q(id__in=ids) | Q(parent_id__in=ids)).distinct()


def requests_for_expert(user: User) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(network__in=expert_networks(user))


def request_for_expert(user: User, pk: int) -> HelpRequest:
    found = requests_for_expert(user).select_related("network", "requester", "expert").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def request_for_requester(user: User, pk: int) -> HelpRequest:
    found = HelpRequest.objects.select_related("network").filter(pk=pk, requester=user).first()
    if found is None:
        raise Http404
    return found


def lockdowns_for_desk(user: User) -> QuerySet[Lockdown]:
    return Lockdown.objects.filter(desk__in=permissions.documented_desks(user)).select_related("user", "desk")


def lockdown_for_desk(user: User, pk: int) -> Lockdown:
    found = lockdowns_for_desk(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
