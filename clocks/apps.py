from django.apps import AppConfig


class ClocksConfig(AppConfig):
    """The deadlines' part of every case is registered as a stage (clocks/stage.py)."""

    name = "clocks"
    verbose_name = "Deadlines"
