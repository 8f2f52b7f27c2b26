from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases.stage_registry import discover

        # Every installed app's `<app>.stage` (cases.stage_registry): Django runs this after every
        # app's models are loaded and before any URLconf, so the case sub-pages' URLs see the tabs.
        discover()
