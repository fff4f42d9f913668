"""The openrosa pages (included in amparo/urls.py under /openrosa/): the desk's page for its
phone apps, and the OpenRosa API under each link's token."""

from django.urls import URLPattern, URLResolver, path

from amparo.openrosa import views, views_openrosa

app_name = "openrosa"

urlpatterns: list[URLPattern | URLResolver] = [
    path("desk/<slug:desk_slug>/", views.desk, name="desk"),
    path("desk/<slug:desk_slug>/links/<int:link_id>/revoke/", views.revoke, name="revoke"),
    path("<str:token>/", views_openrosa.root, name="root"),
    path("<str:token>/formList", views_openrosa.form_list, name="form_list"),
    path("<str:token>/forms/<str:form_id>.xml", views_openrosa.form, name="form"),
    path("<str:token>/forms/<str:form_id>/manifest", views_openrosa.manifest, name="manifest"),
    path("<str:token>/submission", views_openrosa.submission, name="submission"),
]
