from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "clocks"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from cases.panels import register_panel
        from clocks.panels import clocks_case_panel, due_home_panel
        from core.home import register_home_panel

        register_home_panel(due_home_panel, order=10)
        register_panel(clocks_case_panel, order=20)
