"""The helpdesk pages (included in amparo/urls.py under /helpdesk/)."""

from django.urls import URLPattern, URLResolver, path

from amparo.helpdesk import views, views_expert, views_lockdown

app_name = "helpdesk"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("guides/", views.guides, name="guides"),
    path("guides/<slug:guide_slug>/", views.guide, name="guide"),
    path("guides/<slug:guide_slug>/done/", views.guide_done, name="guide_done"),
    path("ask/", views.ask, name="ask"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:help_id>/", views.my_request, name="my_request"),
    path("back/", views.back, name="back"),
    path("c/<str:token>/", views.conversation, name="conversation"),
    # ICT experts
    path("desk/", views_expert.queue, name="queue"),
    path("desk/<int:help_id>/", views_expert.detail, name="request"),
    path("desk/<int:help_id>/take/", views_expert.take, name="take"),
    path("desk/<int:help_id>/status/", views_expert.status, name="status"),
    path("experts/", views_expert.experts, name="experts"),
    path("experts/me/", views_expert.profile, name="profile"),
    # Lockdown
    path("lockdown/", views_lockdown.prepare, name="lockdown"),
    path("lockdown/code/", views_lockdown.set_code, name="lockdown_code"),
    path("lockdown/contacts/", views_lockdown.add_contact, name="contact_add"),
    path("lockdown/contacts/<int:trusted_contact_id>/remove/", views_lockdown.remove_contact, name="contact_remove"),
    path("lockdown/now/", views_lockdown.lock_now, name="lock_now"),
    path("lockdown/done/", views_lockdown.locked, name="locked"),
    path("lockdown/contact/", views_lockdown.by_contact, name="by_contact"),
    path("lockdowns/<int:lockdown_id>/", views_lockdown.desk_lockdown, name="desk_lockdown"),
]
