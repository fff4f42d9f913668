from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "amparo.protection"
    label = "protection"
    verbose_name = "Protection"
