"""REST endpoints for defenders and incidents, with the pages' authorisation:
cases only for their desk's documenters (404 for another desk's), and sealed fields only when
the member's key is unlocked in this session (a token alone never opens them)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, ListCreateAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from amparo.accounts.models import User
from amparo.core.api import SlugRelatedField, has_nul
from amparo.network import permissions
from amparo.network.api import DeskAmong, HasRole
from amparo.network.models import Role
from amparo.registry import bounds, sealing, services
from amparo.registry.models import Defender, Incident
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered
from amparo.vocabulary.models import Term


class IsDocumenter(HasRole):
    roles = (Role.DOCUMENTER,)


def _codes() -> Any:
    return SlugRelatedField(slug_field="code", many=True, required=False,
                                        queryset=Term.objects.filter(retired_at__isnull=True))


class IncidentSerializer(serializers.ModelSerializer[Incident]):
    desk = DeskAmong(lambda view: permissions.documented_desks(view.request.user))
    occurred_on = serializers.DateField(required=False, allow_null=True, validators=[bounds.check_event_date])
    victims = serializers.IntegerField(required=False, min_value=0, max_value=bounds.MAX_VICTIMS,
                                       help_text="People attacked, at most 100,000 (see registry/bounds.py).")
    attack_types = _codes()
    perpetrators = _codes()
    risk_factors = _codes()
    profiles = _codes()
    victim_genders = _codes()
    narrative = serializers.CharField(required=False, allow_blank=True, write_only=True)
    locality = serializers.CharField(required=False, allow_blank=True, write_only=True)
    coordinates = serializers.CharField(required=False, allow_blank=True, write_only=True, max_length=60,
                                        help_text="Latitude (±90) and longitude (±180), e.g. 14.07, -87.19.")
    sources = serializers.CharField(required=False, allow_blank=True, write_only=True)
    sealed = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = ["id", "desk", "status", "occurred_on", "date_precision", "country", "subdivision", "victims",
                  "attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders",
                  "reported_to_authorities", "justice", "consent_statistics", "consent_public_appeal",
                  "consent_un", "created_at", "narrative", "locality", "coordinates", "sources", "sealed"]
        read_only_fields = ["id", "status", "created_at"]

    def validate_coordinates(self, value: str) -> str:
        return bounds.normal_coordinates(value)

    def get_sealed(self, incident: Incident) -> dict[str, str] | None:
        """The sealed parts, or null when this request holds no unlocked key."""
        try:
            return sealing.open_incident(self.context.get("unlocked"), incident)
        except (KeyLocked, NotAReader, Tampered):
            return None


@extend_schema_view(post=extend_schema(responses={201: IncidentSerializer, 404: OpenApiResponse(
    OpenApiTypes.OBJECT, description="The desk is not one of hers (another desk answers as a missing one).")}))
class IncidentList(ListCreateAPIView[Incident]):
    serializer_class = IncidentSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsDocumenter]

    def get_queryset(self) -> QuerySet[Incident]:
        return Incident.objects.filter(desk__in=permissions.documented_desks(self.request.user)).select_related(
            "desk").prefetch_related("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "unlocked": vault_session.unlocked_for(self.request)}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        desk = data.pop("desk")  # one of hers: DeskAmong looked it up among them
        assert isinstance(request.user, User)  # noqa: S101 - IsAuthenticated
        fields = {k: v for k, v in data.items() if k in services.IncidentData.__dataclass_fields__}
        incident = services.record_incident(request.user, desk, services.IncidentData(**fields))
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)


class IncidentDetail(RetrieveAPIView[Incident]):
    serializer_class = IncidentSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsDocumenter]
    lookup_url_kwarg = "incident_id"

    def get_queryset(self) -> QuerySet[Incident]:
        return Incident.objects.filter(desk__in=permissions.documented_desks(self.request.user))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "unlocked": vault_session.unlocked_for(self.request)}


class DefenderSerializer(serializers.ModelSerializer[Defender]):
    desk = serializers.CharField(source="desk.slug", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Defender
        fields = ["id", "desk", "kind", "name"]

    def get_name(self, defender: Defender) -> str | None:
        try:
            return sealing.open_defender_name(self.context.get("unlocked"), defender)
        except (KeyLocked, NotAReader, Tampered):
            return None


class DefenderList(ListAPIView[Defender]):
    serializer_class = DefenderSerializer
    permission_classes = [drf_permissions.IsAuthenticated, IsDocumenter]

    def get_queryset(self) -> QuerySet[Defender]:
        desks = permissions.documented_desks(self.request.user)
        wanted = self.request.query_params.get("desk")
        if wanted:
            if has_nul(wanted):
                raise Http404
            get_object_or_404(desks, slug=wanted)
            desks = desks.filter(slug=wanted)
        return Defender.objects.filter(desk__in=desks).select_related("desk").order_by("id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "unlocked": vault_session.unlocked_for(self.request)}
