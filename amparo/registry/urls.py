from django.urls import include, path

app_name = "registry"
urlpatterns = [
    path("vocabulary/", include("amparo.registry.urls_vocabulary")),
]
