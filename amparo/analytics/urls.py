from django.urls import path

from amparo.analytics import views, views_map, views_reports

app_name = "analytics"
urlpatterns: list = [
    path("", views.public, name="public"),
    path("regions/", views.regions, name="regions"),
    path("countries/", views.countries_page, name="countries"),
    path("perpetrators/", views.perpetrators, name="perpetrators"),
    path("attack-types/", views.attack_types, name="attack_types"),
    path("profiles/", views.profiles, name="profiles"),
    path("trends/", views.trends, name="trends"),
    path("groupings/", views.groupings, name="groupings"),
    path("groupings/<slug:grouping_code>/", views.grouping, name="grouping"),
    # The map and the assessment reports (issue 9).
    path("map/", views_map.map_page, name="map"),
    path("map/data.json", views_map.map_data, name="map_data"),
    path("map/desks/", views_map.desk_map, name="desk_map"),
    path("map/desks/data.json", views_map.desk_map_data, name="desk_map_data"),
    path("reports/", views_reports.reports_page, name="reports"),
    path("reports/<int:report_id>/", views_reports.report_page, name="report"),
    path("reports/<int:report_id>/pdf/", views_reports.report_pdf, name="report_pdf"),
]
