from django.urls import path

from amparo.network import views

app_name = "network"
urlpatterns = [
    path("", views.network_index, name="index"),
    path("n/<slug:network_slug>/", views.network_detail, name="network_detail"),
    path("n/<slug:network_slug>/desks/new/", views.desk_create, name="desk_create"),
    path("n/<slug:network_slug>/networks/new/", views.network_create, name="network_create"),
    path("n/<slug:network_slug>/organisations/new/", views.organisation_create,
         name="organisation_create"),
    path("n/<slug:network_slug>/members/", views.members, name="members"),
    path("n/<slug:network_slug>/invite/", views.invite, name="invite"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("n/<slug:network_slug>/audit/", views.audit_log, name="audit_log"),
    path("n/<slug:network_slug>/recovery-sheet/", views.network_recovery_sheet, name="network_recovery_sheet"),
    path("n/<slug:network_slug>/recovery-sheet/confirm/", views.network_recovery_sheet_confirm,
         name="network_recovery_sheet_confirm"),
    path("n/<slug:network_slug>/restore/", views.network_restore, name="network_restore"),
    path("desks/<slug:desk_slug>/", views.desk_detail, name="desk_detail"),
    path("desks/<slug:desk_slug>/edit/", views.desk_edit, name="desk_edit"),
    path("desks/<slug:desk_slug>/recovery-sheet/", views.recovery_sheet, name="recovery_sheet"),
    path("desks/<slug:desk_slug>/recovery-sheet/confirm/", views.recovery_sheet_confirm,
         name="recovery_sheet_confirm"),
    path("desks/<slug:desk_slug>/restore/", views.restore_from_sheet, name="restore_from_sheet"),
    # By number, not by slug: a defender's history must not name her network.
    path("my-contact/<int:network_id>/", views.my_contact, name="my_contact"),
    path("memberships/<int:membership_id>/contact/", views.member_contact, name="member_contact"),
    path("memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
]
