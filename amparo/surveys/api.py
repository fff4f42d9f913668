"""REST endpoint for open surveys: their titles in each language and the public link to answer,
for partner sites and apps. Drafts, closed surveys and results are never here."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from .models import Survey


class SurveySerializer(serializers.ModelSerializer[Survey]):
    link = serializers.SerializerMethodField()
    title = serializers.DictField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Survey
        fields = ["slug", "title", "languages", "default_language", "link"]

    def get_link(self, survey: Survey) -> str:
        return f"/surveys/a/{survey.slug}/"


class SurveyList(ListAPIView[Survey]):
    """Open surveys, newest first."""

    serializer_class = SurveySerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Survey]:
        return Survey.objects.filter(status=Survey.Status.OPEN).order_by("-created_on", "-pk")
