from django.apps import AppConfig


class VocabularyConfig(AppConfig):
    name = "amparo.vocabulary"
    label = "vocabulary"
    verbose_name = "Vocabulary"

    def ready(self) -> None:
        from amparo.vocabulary import panels

        panels.register()
