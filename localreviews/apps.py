from django.apps import AppConfig


class LocalreviewsConfig(AppConfig):
    """The local child safeguarding practice review (and an alternative learning review), the stage
    after the rapid review: everything the platform asks of it is its stage (localreviews/stage.py)."""

    name = "localreviews"
    verbose_name = "Local reviews"
