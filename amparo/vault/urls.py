from django.urls import path

from amparo.vault import views

app_name = "vault"
urlpatterns = [
    path("recovery-code/", views.recovery_code, name="recovery_code"),
    path("recovery-code/new/", views.new_recovery_code, name="new_recovery_code"),
    path("recover/", views.recover, name="recover"),
]
