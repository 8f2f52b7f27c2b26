from django.apps import AppConfig


class RapidreviewsConfig(AppConfig):
    """Everything the platform asks of the rapid review is its stage (rapidreviews/stage.py)."""

    name = "rapidreviews"
