from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases.own_panels import documents_panel, history_panel
        from cases.panels import register_panel, register_tab

        register_tab("documents", "Documents", order=40, empty="No documents yet.")
        register_panel(documents_panel, order=40, tab="documents")
        register_tab("history", "History", order=90)
        register_panel(history_panel, order=90, tab="history")
