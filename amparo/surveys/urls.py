"""The surveys pages (included in amparo/urls.py under /surveys/)."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_public, views_results, views_transfer

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("import/", views_transfer.import_xlsform, name="import"),
    path("<int:survey_id>/", views.detail, name="detail"),
    path("<int:survey_id>/sections/", views.section_add, name="section_add"),
    path("<int:survey_id>/sections/<int:survey_section_id>/questions/", views.question_add, name="question_add"),
    path("<int:survey_id>/questions/<int:survey_question_id>/remove/", views.question_remove, name="question_remove"),
    path("<int:survey_id>/translate/<str:language>/", views.translate, name="translate"),
    path("<int:survey_id>/status/", views.status, name="status"),
    path("<int:survey_id>/invite/", views_transfer.invite, name="invite"),
    path("<int:survey_id>/xlsform/", views_transfer.export_xlsform, name="export_xlsform"),
    path("<int:survey_id>/xform/", views_transfer.export_xform, name="export_xform"),
    path("<int:survey_id>/results/", views_results.results, name="results"),
    path("<int:survey_id>/results/shared/", views_results.results_shared, name="results_shared"),
    path("<int:survey_id>/results.pdf", views_results.results_pdf, name="results_pdf"),
    path("<int:survey_id>/answers.csv", views_results.answers_csv, name="answers_csv"),
    path("a/<str:survey_slug>/", views_public.answer, name="answer"),
    path("i/<str:survey_slug>/<str:token>/", views_public.invited, name="invited"),
    path("t/<str:survey_slug>/", views_public.thanks, name="thanks"),
]
