"""The vocabulary over REST: the whole of it, for any signed-in person or token."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.generics import ListAPIView

from amparo.vocabulary.models import Term


class TermSerializer(serializers.ModelSerializer[Term]):
    broader = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)
    labels = serializers.SerializerMethodField()
    retired = serializers.SerializerMethodField()

    class Meta:
        model = Term
        fields = ["code", "kind", "broader", "labels", "state_actor", "retired"]

    def get_labels(self, term: Term) -> dict[str, str]:
        return {lang: term.label(lang) for lang in ("en", "es", "fr", "pt")}

    def get_retired(self, term: Term) -> bool:
        return term.retired_at is not None


class VocabularyList(ListAPIView[Term]):
    """The whole vocabulary, for any signed-in person or token."""

    serializer_class = TermSerializer
    pagination_class = None
    queryset = Term.objects.select_related("parent").order_by("kind", "position", "code")
