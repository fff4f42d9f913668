"""REST endpoint for the guides: what the public guide pages show, as JSON, for anyone
(partner sites, apps that teach offline). The HTML is the same sanitised rendering."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from amparo.helpdesk import queries
from amparo.helpdesk.models import LANGUAGE_CODES, Tutorial
from amparo.helpdesk.rendering import render_guide


class GuideSerializer(serializers.ModelSerializer[Tutorial]):
    html = serializers.SerializerMethodField()
    language = serializers.CharField(read_only=True)

    class Meta:
        model = Tutorial
        fields = ["slug", "language", "title", "summary", "categories", "body", "html"]

    def get_html(self, guide: Tutorial) -> str:
        return str(render_guide(guide.body))


class GuideList(ListAPIView[Tutorial]):
    """Every guide in `?language=` (en, es, fr, pt; English by default)."""

    serializer_class = GuideSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Tutorial]:
        language = self.request.query_params.get("language", "en")
        return queries.guides(language if language in LANGUAGE_CODES else "en")
