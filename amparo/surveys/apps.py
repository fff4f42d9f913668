from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "amparo.surveys"
    label = "surveys"
    verbose_name = "Surveys"
