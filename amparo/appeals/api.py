"""REST endpoints for published appeals: what the public pages show, as JSON, for anyone
(partner sites, apps). Drafts, stopped appeals and supporters are never here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny

from amparo.vocabulary.models import Term

from .models import Action, Addressee, Appeal, AppealText, AppealUpdate, UpdateText
from .queries import published


class TextSerializer(serializers.ModelSerializer[AppealText]):
    language = serializers.CharField(read_only=True)

    class Meta:
        model = AppealText
        fields = ["language", "title", "summary", "background", "concerns", "actions", "letter"]


class AddresseeSerializer(serializers.ModelSerializer[Addressee]):
    class Meta:
        model = Addressee
        fields = ["authority", "salutation", "email", "phone", "postal_address"]


class UpdateTextSerializer(serializers.ModelSerializer[UpdateText]):
    language = serializers.CharField(read_only=True)

    class Meta:
        model = UpdateText
        fields = ["language", "title", "body"]


class UpdateSerializer(serializers.ModelSerializer[AppealUpdate]):
    texts = UpdateTextSerializer(many=True, read_only=True)

    class Meta:
        model = AppealUpdate
        fields = ["number", "approved_at", "texts"]


class AppealSummarySerializer(serializers.ModelSerializer[Appeal]):
    title = serializers.SerializerMethodField()
    themes: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code")
    outcome: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(read_only=True, slug_field="code",
                                                                             allow_null=True)  # none until coded
    # Plain strings: the codes are listed in docs/appeals.md (and the schema keeps one enum per name).
    language = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Appeal
        fields = ["id", "reference", "title", "language", "country", "themes", "status", "approved_at", "outcome",
                  "outcome_on"]

    def get_title(self, appeal: Appeal) -> str:
        text = appeal.text()
        return text.title if text else ""


class AppealSerializer(AppealSummarySerializer):
    texts = TextSerializer(many=True, read_only=True)
    addressees = AddresseeSerializer(many=True, read_only=True)
    updates = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(AppealSummarySerializer.Meta):
        fields = [*AppealSummarySerializer.Meta.fields, "texts", "addressees", "updates", "actions"]

    def get_updates(self, appeal: Appeal) -> list[dict[str, Any]]:
        shown = appeal.updates.filter(stopped_at__isnull=True, approved_at__isnull=False).prefetch_related("texts")
        return list(UpdateSerializer(shown, many=True).data)

    def get_actions(self, appeal: Appeal) -> dict[str, int]:
        """How many actions of each kind were recorded (by country: on the staff page only)."""
        counts = dict.fromkeys(Action.Kind.values, 0)
        for kind in appeal.actions.values_list("kind", flat=True):
            counts[kind] += 1
        return counts


def _published() -> QuerySet[Appeal]:
    return published().prefetch_related("texts", "themes", "addressees").select_related("outcome")


class AppealList(ListAPIView[Appeal]):
    """Published appeals, newest first; no sign-in needed."""

    permission_classes = [AllowAny]
    serializer_class = AppealSummarySerializer

    def get_queryset(self) -> QuerySet[Appeal]:
        return _published().order_by("-approved_at", "-id")


class AppealDetail(RetrieveAPIView[Appeal]):
    """One published appeal with its texts in every language, addressees, updates and counts."""

    permission_classes = [AllowAny]
    serializer_class = AppealSerializer
    lookup_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Appeal]:
        return _published()
