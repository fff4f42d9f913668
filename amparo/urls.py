from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from amparo.accounts import api as accounts_api
from amparo.network import api as network_api
from amparo.registry import api as registry_api
from amparo.vocabulary import api as vocabulary_api

api_patterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("networks/", network_api.NetworkList.as_view(), name="networks"),
    path("networks/<slug:network_slug>/", network_api.NetworkDetail.as_view(), name="network"),
    path("networks/<slug:network_slug>/memberships/", network_api.NetworkMemberships.as_view(),
         name="network_memberships"),
    path("memberships/<int:membership_id>/end/", network_api.MembershipEnd.as_view(),
         name="membership_end"),
    path("desks/", network_api.DeskList.as_view(), name="desks"),
    path("desks/<slug:desk_slug>/", network_api.DeskDetail.as_view(), name="desk"),
    path("vocabulary/", vocabulary_api.VocabularyList.as_view(), name="vocabulary"),
    path("incidents/", registry_api.IncidentList.as_view(), name="incidents"),
    path("incidents/<int:incident_id>/", registry_api.IncidentDetail.as_view(), name="incident"),
    path("defenders/", registry_api.DefenderList.as_view(), name="defenders"),
    path("", include("amparo.analytics.api_urls")),
    path("", include("amparo.appeals.api_urls")),
    path("", include("amparo.support.api_urls")),
    path("", include("amparo.helpdesk.api_urls")),
    path("", include("amparo.surveys.api_urls")),
    path("", include("amparo.protection.api_urls")),
    path("", include("amparo.openrosa.api_urls")),
    path("", include("amparo.channels.api_urls")),
]

urlpatterns = [
    path("", include("amparo.core.urls")),
    path("accounts/", include("amparo.accounts.urls")),
    path("network/", include("amparo.network.urls")),
    path("vault/", include("amparo.vault.urls")),
    path("registry/", include("amparo.registry.urls")),
    path("r/", include("amparo.registry.urls_intake")),
    path("analytics/", include("amparo.analytics.urls")),
    path("appeals/", include("amparo.appeals.urls")),
    path("support/", include("amparo.support.urls")),
    path("helpdesk/", include("amparo.helpdesk.urls")),
    path("surveys/", include("amparo.surveys.urls")),
    path("protection/", include("amparo.protection.urls")),
    path("openrosa/", include("amparo.openrosa.urls")),
    path("channels/", include("amparo.channels.urls")),
    # Exempt from CSRF on purpose: the worst a forged switch does is change the language, and
    # a footer form without a token lets public pages mint no token and set no cookie.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

# The app's own error pages, in the visitor's language, with the quick exit (core/errors.py).
handler400 = "amparo.core.errors.bad_request"
handler403 = "amparo.core.errors.permission_denied"
handler404 = "amparo.core.errors.page_not_found"
handler500 = "amparo.core.errors.server_error"
