from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "amparo.appeals"
    label = "appeals"
    verbose_name = "Appeals"
