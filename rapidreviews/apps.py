from django.apps import AppConfig


class RapidreviewsConfig(AppConfig):
    name = "rapidreviews"

    def ready(self) -> None:
        from cases.panels import register_panel
        from core.home import register_home_panel
        from rapidreviews.panels import case_panel, home_requests_panel, home_sign_off_panel

        register_panel(case_panel, order=40)
        register_home_panel(home_requests_panel, order=30)
        register_home_panel(home_sign_off_panel, order=31)
