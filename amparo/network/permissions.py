"""Every permission check of Amparo, by role and desk, in one place.

Two answers for "no": a person whose role can never use a page gets 403; a person whose role
could, but not for this object (another desk, another network), gets 404, so that nobody
learns which other desks' objects exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from amparo.accounts.models import User
from amparo.network.models import Desk, Membership, Network, Role

F = TypeVar("F", bound=Callable[..., Any])
# Whoever a request carries: a signed-in person, or nobody (every check then answers no).
Someone = User | AnonymousUser | None


def _is_person(user: Someone) -> TypeGuard[User]:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def memberships(user: Someone) -> QuerySet[Membership]:
    if not _is_person(user):
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user).select_related("network", "desk")


def roles_of(user: Someone) -> set[str]:
    return set(memberships(user).values_list("role", flat=True))


def has_role(user: Someone, *roles: str) -> bool:
    return memberships(user).filter(role__in=roles).exists()


def coordinated_networks(user: Someone) -> QuerySet[Network]:
    """Networks the person coordinates: her own, and every child of a coalition she coordinates."""
    ids = list(memberships(user).filter(role=Role.COORDINATOR).values_list("network_id", flat=True))
    if not ids:
        return Network.objects.none()
    return Network.objects.filter(Q(id__in=ids) | Q(parent_id__in=ids)).distinct()


def coordinates_a_coalition(user: Someone) -> bool:
    """She coordinates a coalition (not only a national network): what coalition-wide lists
    need, such as exporting the supporters."""
    return memberships(user).filter(role=Role.COORDINATOR, network__kind=Network.Kind.COALITION).exists()


def is_coordinator_of(user: Someone, network: Network) -> bool:
    return coordinated_networks(user).filter(pk=network.pk).exists()


def documented_desks(user: Someone) -> QuerySet[Desk]:
    """Desks where the person is a documenter: the only desks whose cases she works on."""
    ids = memberships(user).filter(role=Role.DOCUMENTER).values_list("desk_id", flat=True)
    return Desk.objects.filter(id__in=list(ids))


def visible_desks(user: Someone) -> QuerySet[Desk]:
    """Desks whose page the person may see: her own desks, and desks of networks she coordinates.

    Seeing a desk's page is not reading its cases: that needs the desk's key ring."""
    if not _is_person(user):
        return Desk.objects.none()
    return _visible_desks_of(user.pk).select_related("network")


def _visible_desks_of(user_id: int) -> QuerySet[Desk]:
    # One query (the memberships as subqueries): the staff statistics API asks it per request.
    mine = Membership.objects.active().filter(user_id=user_id)
    documented = mine.filter(role=Role.DOCUMENTER).values("desk_id")
    coordinated = mine.filter(role=Role.COORDINATOR).values("network_id")
    return Desk.objects.filter(Q(id__in=documented) | Q(network_id__in=coordinated)
                               | Q(network__parent_id__in=coordinated))


# The SQL of `visible_desk_ids`, compiled once per process for a user id no row has, which each
# call replaces with hers: building that query with the ORM cost more than running it.
_MARKER_ID = -8_675_309
_DESK_IDS_SQL: tuple[str, tuple[Any, ...]] | None = None


def visible_desk_ids(user: Someone) -> list[int]:
    """The ids of `visible_desks(user)`, in one query with no ORM work per call (the staff
    statistics API asks it on every request)."""
    global _DESK_IDS_SQL
    if not _is_person(user):
        return []
    if _DESK_IDS_SQL is None:
        query = _visible_desks_of(_MARKER_ID).order_by("pk").values_list("pk", flat=True).query
        sql, params = query.sql_with_params()
        if _MARKER_ID not in params:
            raise RuntimeError("the user id did not reach the query's parameters")
        _DESK_IDS_SQL = (sql, tuple(params))
    sql, params = _DESK_IDS_SQL
    with connections[router.db_for_read(Desk)].cursor() as cursor:
        cursor.execute(sql, [user.pk if value == _MARKER_ID else value for value in params])
        return [row[0] for row in cursor.fetchall()]


def is_documenter_of(user: Someone, desk: Desk) -> bool:
    return documented_desks(user).filter(pk=desk.pk).exists()


def audit_scopes(user: Someone) -> list[str]:
    return [f"network:{pk}" for pk in coordinated_networks(user).values_list("id", flat=True)]


# --- Lookups for views: 404 for what this person cannot see ---------------------------------

def network_for_coordinator(user: Someone, slug: str) -> Network:
    return get_object_or_404(coordinated_networks(user), slug=slug)


def desk_for_viewer(user: Someone, slug: str) -> Desk:
    return get_object_or_404(visible_desks(user), slug=slug)


def membership_for_coordinator(user: Someone, pk: int) -> Membership:
    networks = coordinated_networks(user)
    membership = Membership.objects.select_related("network", "user").filter(pk=pk).first()
    if membership is None or not networks.filter(pk=membership.network_id).exists():
        raise Http404
    return membership


# --- Decorators -----------------------------------------------------------------------------

def role_required(*roles: str) -> Callable[[F], F]:
    """Log in first; then 403 unless the person holds one of `roles` somewhere."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]  # login_required's stub returns a plain callable, not F

    return decorator


coordinator_required = role_required(Role.COORDINATOR)
desk_staff_required = role_required(Role.DOCUMENTER, Role.COORDINATOR)
