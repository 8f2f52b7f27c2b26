from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from cases.actions import register_transition_page
        from cases.panels import register_panel
        from core.home import register_home_panel
        from referrals import panels

        register_panel(panels.case_panel, order=20)
        register_home_panel(panels.triage_home_panel, order=10)
        register_home_panel(panels.referrer_home_panel, order=20)
        register_transition_page("decide_notify", "referrals:triage")
        register_transition_page("decide_not_notify", "referrals:triage")
        register_transition_page("record_notification", "referrals:notification")
