from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Messages"

    def ready(self) -> None:
        from cases.panels import register_panel
        from notifications.panels import messages_panel

        register_panel(messages_panel, order=80)
