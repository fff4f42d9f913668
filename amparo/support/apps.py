from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "amparo.support"
    label = "support"
    verbose_name = "Support"
