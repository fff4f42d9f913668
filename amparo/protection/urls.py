"""The protection pages (included in amparo/urls.py under /protection/)."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_checkins, views_plan, views_un

app_name = "protection"

urlpatterns: list[URLPattern | URLResolver] = [
    path("desk/<slug:desk_slug>/", views.index, name="index"),
    path("figures/", views.figures, name="figures"),
    path("defenders/<int:defender_id>/", views.defender, name="defender"),
    path("defenders/<int:defender_id>/assess/", views.assess, name="assess"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("defenders/<int:defender_id>/plan/", views_plan.plan, name="plan"),
    path("defenders/<int:defender_id>/plan/measures/", views_plan.measure_add, name="measure_add"),
    path("measures/<int:measure_id>/done/", views_plan.measure_done, name="measure_done"),
    path("defenders/<int:defender_id>/plan/protocols/", views_plan.protocol_add, name="protocol_add"),
    path("protocols/<int:protocol_id>/", views_plan.protocol_tick, name="protocol_tick"),
    path("defenders/<int:defender_id>/check-ins/", views_checkins.check_ins, name="check_ins"),
    path("check-ins/<int:schedule_id>/done/", views_checkins.check_in, name="check_in"),
    path("check-ins/<int:schedule_id>/stop/", views_checkins.check_in_stop, name="check_in_stop"),
    # Her own page: plain words in the path.
    path("my-check-ins/", views_checkins.my_check_ins, name="my_check_ins"),
    path("my-check-ins/<int:schedule_id>/", views_checkins.my_check_in, name="my_check_in"),
    path("incidents/<int:incident_id>/justice/", views_un.justice, name="justice"),
    path("complaints/<int:complaint_id>/stage/", views_un.complaint_stage, name="complaint_stage"),
    path("incidents/<int:incident_id>/un/", views_un.un_new, name="un_new"),
    path("un/<int:communication_id>/", views_un.un, name="un"),
    path("un/<int:communication_id>/sent/", views_un.un_sent, name="un_sent"),
    path("un/<int:communication_id>/reply/", views_un.un_reply, name="un_reply"),
    path("un/<int:communication_id>/file.<slug:file_format>", views_un.un_file, name="un_file"),
]
