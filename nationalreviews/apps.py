from django.apps import AppConfig


class NationalreviewsConfig(AppConfig):
    """Everything the platform asks of the national reviews is their stage (nationalreviews/stage.py)."""

    name = "nationalreviews"
