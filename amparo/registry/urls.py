from django.urls import include, path

from amparo.registry import views, views_defender, views_transfer

app_name = "registry"
urlpatterns = [
    path("vocabulary/", include("amparo.vocabulary.urls")),
    path("desk/<slug:desk_slug>/inbox/", views.inbox, name="inbox"),
    path("desk/<slug:desk_slug>/new/", views.incident_new, name="incident_new"),
    path("desk/<slug:desk_slug>/transfer/", views_transfer.transfer, name="transfer"),
    path("desk/<slug:desk_slug>/export.<slug:fmt>", views_transfer.export, name="export"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident"),
    path("incidents/<int:incident_id>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<int:incident_id>/consent/<slug:use>/", views.incident_consent, name="incident_consent"),
    path("incidents/<int:incident_id>/<slug:action>/", views.incident_action, name="incident_action"),
    path("files/<int:attachment_id>/", views.attachment, name="attachment"),
    # A defender's own pages: plain words in the path, nothing about attacks (DESIGN.md).
    path("report/", views_defender.report, name="report"),
    path("my-reports/", views_defender.my_reports, name="my_reports"),
    path("my-reports/open/", views_defender.my_report_open, name="my_report_open"),
    # One report at a short-lived address (a random token), closed by the quick exit.
    path("my-reports/v/<str:token>/", views_defender.my_report, name="my_report"),
    path("my-reports/<int:incident_id>/withdraw/", views_defender.my_report_withdraw, name="my_report_withdraw"),
    path("my-reports/<int:incident_id>/write/", views_defender.my_report_write, name="my_report_write"),
    path("my-reports/<int:incident_id>/email/", views_defender.my_report_notify, name="my_report_notify"),
    path("my-reports/<int:incident_id>/consent/<slug:use>/", views_defender.my_report_consent,
         name="my_report_consent"),
]
