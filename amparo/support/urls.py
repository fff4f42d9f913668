"""The support pages (included in amparo/urls.py under /support/)."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_funds, views_receipt

app_name = "support"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("incident/<int:incident_id>/new/", views.file, name="file"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/decide/", views.decide, name="decide"),
    path("<int:request_id>/confirm/", views.confirm, name="confirm"),
    path("<int:request_id>/payment/", views.payment, name="payment"),
    path("<int:request_id>/message/", views.message, name="message"),
    path("receipt/", views_receipt.receipt, name="receipt"),
    path("from-report/<str:token>/", views_receipt.from_report, name="from_report"),
    path("r/<str:token>/", views_receipt.her_page, name="her_page"),
    path("r/<str:token>/ask/", views_receipt.her_ask, name="her_ask"),
    path("r/<str:token>/<int:request_id>/message/", views_receipt.her_message, name="her_message"),
    path("funds/", views_funds.funds, name="funds"),
    path("funds/new/", views_funds.fund_new, name="fund_new"),
    path("funds/<int:fund_id>/", views_funds.fund_edit, name="fund_edit"),
    path("funds/export/", views_funds.funds_export, name="funds_export"),
    path("funds/import/", views_funds.funds_import, name="funds_import"),
]
