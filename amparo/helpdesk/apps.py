from django.apps import AppConfig


class HelpDeskConfig(AppConfig):
    name = "amparo.helpdesk"
    label = "helpdesk"
    verbose_name = "HelpDesk"
