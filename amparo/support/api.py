"""REST endpoints of support: the directory of funds (public facts, for coordinators and fund
reviewers) and the requests a fund reviewer reviews (clear facts only: codes, amounts, times).
Sealed words are never in the API."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from amparo.network import permissions
from amparo.network.models import Role

from .models import Fund, SupportRequest
from .queries import directory_for, reviewable_requests


class FundSerializer(serializers.ModelSerializer[Fund]):
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    applicants = serializers.ListField(child=serializers.CharField(), read_only=True)
    covers = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "name", "runner", "example", "active", "languages", "countries", "applicants",
                  "women_trans_led_only", "covers", "relocation_abroad", "does_not_pay", "max_amount", "currency",
                  "decision_hours", "payment_days", "how_to_apply"]


class RequestSerializer(serializers.ModelSerializer[SupportRequest]):
    reference = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    urgency = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = SupportRequest
        fields = ["id", "reference", "kind", "urgency", "status", "amount", "currency", "country", "language",
                  "due_at", "decided_at", "created_at"]


class _Role(BasePermission):
    roles: tuple[str, ...] = ()

    def has_permission(self, request: Request, view: APIView) -> bool:
        return permissions.has_role(request.user, *self.roles)


class DirectoryReaders(_Role):
    roles = (Role.COORDINATOR, Role.FUND_REVIEWER)


class Reviewers(_Role):
    roles = (Role.FUND_REVIEWER,)


class FundList(ListAPIView[Fund]):
    """The directory of funds she may read."""

    serializer_class = FundSerializer
    permission_classes = [IsAuthenticated, DirectoryReaders]

    def get_queryset(self) -> QuerySet[Fund]:
        return directory_for(self.request.user).order_by("name")  # type: ignore[arg-type]  # authenticated: a person


class RequestList(ListAPIView[SupportRequest]):
    """The requests she reviews, by decision time."""

    serializer_class = RequestSerializer
    permission_classes = [IsAuthenticated, Reviewers]

    def get_queryset(self) -> QuerySet[SupportRequest]:
        return reviewable_requests(self.request.user).order_by("due_at")  # type: ignore[arg-type]  # authenticated: a person
