from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The messages' part of every case is registered as a stage (notifications/stage.py)."""

    name = "notifications"
    verbose_name = "Messages"
