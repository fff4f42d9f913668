"""REST endpoints for the network, with the same authorisation as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, ListCreateAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from amparo.accounts.models import User
from amparo.core.api import SlugRelatedField
from amparo.network import permissions, services
from amparo.network.models import Desk, Membership, Network, Role


class HasRole(drf_permissions.BasePermission):
    roles: tuple[str, ...] = ()

    def has_permission(self, request: Request, view: Any) -> bool:
        return permissions.has_role(request.user, *self.roles)


class IsCoordinator(HasRole):
    roles = (Role.COORDINATOR,)


class IsDeskStaff(HasRole):
    roles = (Role.DOCUMENTER, Role.COORDINATOR)


class DeskAmong(SlugRelatedField[Desk]):
    """A desk by its slug, looked up only among `desks(view)`, the desks this request may use: a
    slug that exists nowhere and a desk that is not among them get the same 404 with the same
    body, so the answer does not tell which desks exist (pages answer 404 the same way)."""

    NOT_YOURS = {"desk": ["Not one of your desks."]}

    def __init__(self, desks: Callable[[Any], QuerySet[Desk]], **kwargs: Any) -> None:
        self.desks = desks
        super().__init__(slug_field="slug", queryset=Desk.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Desk]:
        return self.desks(self.context["view"])

    def to_internal_value(self, data: Any) -> Desk:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise NotFound(self.NOT_YOURS) from None


class NetworkSerializer(serializers.ModelSerializer[Network]):
    coalition = serializers.CharField(source="parent.slug", read_only=True, default=None)

    class Meta:
        model = Network
        fields = ["slug", "name", "kind", "coalition", "country"]


class DeskSerializer(serializers.ModelSerializer[Desk]):
    network = serializers.CharField(source="network.slug", read_only=True)

    class Meta:
        model = Desk
        fields = ["slug", "name", "network", "countries", "coalition_wide"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = SlugRelatedField(
        source="user", slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    desk = DeskAmong(lambda view: view.network().desks.all(), required=False, allow_null=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "desk", "created_at", "ended_at"]
        read_only_fields = ["id", "created_at", "ended_at"]


class NetworkList(ListAPIView[Network]):
    serializer_class = NetworkSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsCoordinator]

    def get_queryset(self) -> QuerySet[Network]:
        return permissions.coordinated_networks(self.request.user).select_related("parent")


class NetworkDetail(RetrieveAPIView[Network]):
    serializer_class = NetworkSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsCoordinator]
    lookup_url_kwarg = "network_slug"
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Network]:
        return permissions.coordinated_networks(self.request.user)


class DeskList(ListAPIView[Desk]):
    serializer_class = DeskSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsDeskStaff]

    def get_queryset(self) -> QuerySet[Desk]:
        return permissions.visible_desks(self.request.user).order_by("name")


class DeskDetail(RetrieveAPIView[Desk]):
    serializer_class = DeskSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsDeskStaff]
    lookup_url_kwarg = "desk_slug"
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Desk]:
        return permissions.visible_desks(self.request.user)


class NetworkMemberships(ListCreateAPIView[Membership]):
    """Active memberships of a network; POST gives a role (same rules as the page)."""

    serializer_class = MembershipSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsCoordinator]

    def network(self) -> Network:
        return permissions.network_for_coordinator(self.request.user, self.kwargs["network_slug"])

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.active().filter(network=self.network()).select_related("user", "desk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        network = self.network()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        desk = serializer.validated_data.get("desk")  # one of this network's (DeskAmong)
        if serializer.validated_data["role"] == Role.DOCUMENTER and desk is None:
            raise serializers.ValidationError({"desk": "A documenter belongs to a desk."})
        assert isinstance(request.user, User)  # noqa: S101 - IsAuthenticated
        membership = services.add_membership(
            request.user, user=serializer.validated_data["user"],
            role=serializer.validated_data["role"], network=network, desk=desk,
        )
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipEnd(APIView):
    permission_classes = [drf_permissions.IsAuthenticated, IsCoordinator]
    serializer_class = MembershipSerializer

    @extend_schema(request=None, responses={
        200: MembershipSerializer,
        409: OpenApiResponse(OpenApiTypes.OBJECT,
                             description="She is her desk ring's last key holder: print its recovery sheet first."),
    })
    def post(self, request: Request, membership_id: int) -> Response:
        membership = permissions.membership_for_coordinator(request.user, membership_id)
        assert isinstance(request.user, User)  # noqa: S101 - IsAuthenticated
        try:
            ended = services.end_membership(request.user, membership)
        except services.LastKeyHolderError as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(MembershipSerializer(ended).data)


