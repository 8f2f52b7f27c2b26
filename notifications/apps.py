from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Messages"

    def ready(self) -> None:
        from cases.panels import register_panel, register_tab
        from cases.policies import CaseAction
        from core.home import register_home_panel
        from notifications.panels import home_messages_panel, messages_panel

        register_tab(
            "messages",
            "Messages",
            order=80,
            action=CaseAction.VIEW_MESSAGES,
            empty="The service has not sent any messages about this case yet.",
        )
        register_panel(messages_panel, order=80, tab="messages")
        register_home_panel(home_messages_panel, order=5)
