from django.urls import path

from amparo.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("ping", views.ping, name="ping"),
    # For monitors and the proxy: "ok" or "unavailable", nothing more (docs/deploy.md).
    path("health", views.health, name="health"),
    # The quick exit's neutral page. Its address stays in the history and the address bar,
    # so it is a plain word that fits what the page shows, not "leave" or "exit".
    path("today/", views.leave, name="leave"),
]
