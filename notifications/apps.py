from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Messages"

    def ready(self) -> None:
        from cases.panels import register_panel
        from core.home import register_home_panel
        from notifications.panels import home_messages_panel, messages_panel

        register_panel(messages_panel, order=80)
        register_home_panel(home_messages_panel, order=5)
