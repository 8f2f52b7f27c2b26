from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "clocks"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from cases.panels import register_panel, register_summary_row, register_tab
        from cases.workflow import register_on_close
        from clocks.panels import clocks_case_panel, due_home_panel, key_deadline_row
        from clocks.services import clocks_open_on, clocks_stop_on_close
        from core.home import register_home_panel

        register_home_panel(due_home_panel, order=10)
        register_tab("deadlines", "Deadlines", order=10, empty="No deadlines have started on this case yet.")
        register_panel(clocks_case_panel, order=20, tab="deadlines")
        # The case page's summary shows the deadline that matters; the rest are on the sub-page.
        register_summary_row(key_deadline_row, order=10)
        # A closed case has nothing left to be late for.
        register_on_close(clocks_stop_on_close, clocks_open_on)
