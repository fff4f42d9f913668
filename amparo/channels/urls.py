"""The channels pages (included in amparo/urls.py under /channels/)."""

from django.urls import URLPattern, URLResolver, path

from amparo.channels import views

app_name = "channels"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sms/", views.sms_webhook, name="sms_webhook"),
    path("desk/<slug:desk_slug>/mailbox/", views.mailbox, name="mailbox"),
]
