"""Reads shared by the support pages, the API and the panels: who sees which request, which
funds a network's directory holds, and the matching of a request against them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from amparo.accounts.models import User
from amparo.network import permissions
from amparo.network.models import Membership, Network, Role

from .matching import FUND_COLUMNS, FundFacts, Match, Need, match_funds
from .models import Fund, SupportRequest


def reviewed_networks(user: User) -> QuerySet[Network]:
    """The networks whose fund reviewers' ring she holds."""
    ids = permissions.memberships(user).filter(role=Role.FUND_REVIEWER).values("network")
    return Network.objects.filter(pk__in=ids)


def reviewable_requests(user: User) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(network__in=reviewed_networks(user)).select_related("network", "desk")


def visible_requests(user: User) -> QuerySet[SupportRequest]:
    """Hers; her desk's (that a request exists and its state); her networks' as a fund reviewer."""
    if not user.is_authenticated:
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(
        Q(requester=user) | Q(network__in=reviewed_networks(user))
        | Q(desk__in=permissions.documented_desks(user))).select_related("network", "desk", "requester")


def support_network(network: Network) -> Network:
    """Where a request of `network` goes: its own fund reviewers, else its coalition's."""
    has_reviewers = Membership.objects.active().filter(network=network, role=Role.FUND_REVIEWER).exists()
    if has_reviewers or network.parent_id is None or network.parent is None:
        return network
    return network.parent


def directory_networks(network: Network) -> list[Network]:
    """A network's directory is its own funds and its coalition's."""
    return [network, network.parent] if network.parent_id is not None and network.parent is not None else [network]


def directory_for(user: User) -> QuerySet[Fund]:
    """The funds she may read: of the networks she coordinates or reviews for, and their
    coalitions' and national networks'."""
    networks = Network.objects.filter(Q(pk__in=permissions.coordinated_networks(user))
                                      | Q(pk__in=reviewed_networks(user)))
    return Fund.objects.filter(Q(network__in=networks) | Q(network__parent__in=networks)
                               | Q(network__children__in=networks)).distinct().select_related("network")


def editable_funds(user: User) -> QuerySet[Fund]:
    return Fund.objects.filter(network__in=permissions.coordinated_networks(user))


def need_of(request: SupportRequest) -> Need:
    return Need(kind=request.kind, country=request.country, language=request.language,
                applicant=request.applicant, women_trans_led=request.women_trans_led, abroad=request.abroad,
                amount=request.amount, currency=request.currency)


def fund_facts(networks: list[Network]) -> list[FundFacts]:
    rows = Fund.objects.filter(active=True, network__in=networks).values(*FUND_COLUMNS)
    return [FundFacts.from_row(row) for row in rows]


def matches_for(request: SupportRequest) -> tuple[list[Match], list[Match]]:
    networks = {n.pk: n for n in directory_networks(request.network)}
    if request.desk_id is not None and request.desk is not None:
        networks.update({n.pk: n for n in directory_networks(request.desk.network)})
    return match_funds(need_of(request), fund_facts(list(networks.values())))
