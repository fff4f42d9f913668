from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "amparo.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        from amparo.surveys import panels

        panels.register()
