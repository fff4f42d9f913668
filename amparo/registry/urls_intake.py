"""Anonymous reports, at /r/: short paths with nothing revealing in them (DESIGN.md)."""

from django.urls import path

from amparo.registry import views_intake

app_name = "intake"
urlpatterns = [
    path("", views_intake.report, name="form"),
    path("back/", views_intake.back, name="back"),
    # Her conversation at a short-lived address: a random token, closed by the quick exit.
    path("v/<str:token>/", views_intake.conversation, name="conversation"),
    # One use of her report given or taken back, after a page that says what changes.
    path("v/<str:token>/consent/<slug:use>/", views_intake.consent, name="consent"),
]
