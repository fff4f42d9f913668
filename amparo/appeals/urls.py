from django.urls import path

from amparo.appeals import views, views_public, views_supporters

app_name = "appeals"
urlpatterns = [
    # Staff
    path("", views.index, name="index"),
    path("desk/<slug:desk_slug>/new/", views.new, name="new"),
    path("<int:appeal_id>/", views.detail, name="detail"),
    path("<int:appeal_id>/edit/", views.edit, name="edit"),
    path("<int:appeal_id>/translate/<str:language>/", views.translate, name="translate"),
    path("<int:appeal_id>/addressees/", views.addressee_add, name="addressee_add"),
    path("addressees/<int:addressee_id>/remove/", views.addressee_remove, name="addressee_remove"),
    path("<int:appeal_id>/updates/new/", views.update_new, name="update_new"),
    path("updates/<int:update_id>/<str:step>/", views.update_step, name="update_step"),
    path("updates/<int:update_id>/translate/<str:language>/", views.update_translate, name="update_translate"),
    path("<int:appeal_id>/responses/", views.response_add, name="response_add"),
    path("<int:appeal_id>/close/", views.close, name="close"),
    path("<int:appeal_id>/<str:step>/", views.step, name="step"),
    path("figures/", views.network_figures, name="figures"),
    path("supporters/", views_supporters.supporters, name="supporters"),
    path("supporters/import/", views_supporters.supporters_import, name="supporters_import"),
    path("supporters/export/", views_supporters.supporters_export, name="supporters_export"),
    # Public: nothing revealing in these addresses
    path("p/", views_public.public_list, name="public_list"),
    path("p/<int:public_id>/", views_public.public, name="public"),
    path("feed/<str:language>/", views_public.feed, name="feed"),
    path("subscribe/", views_supporters.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views_supporters.confirm, name="confirm"),
    path("s/<str:token>/", views_supporters.preferences, name="preferences"),
    path("s/<str:token>/unsubscribe/", views_supporters.unsubscribe, name="unsubscribe"),
]
