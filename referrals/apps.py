from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from cases.actions import register_transition_page
        from cases.next_step import register_next_step
        from cases.panels import register_panel, register_tab
        from cases.stages import register_stage_text
        from cases.workflow import register_guard
        from core.home import register_home_panel
        from referrals import panels, stage

        register_tab("referral", "Referral", order=20, empty="This case has no referral recorded in the service.")
        register_panel(panels.case_panel, order=20, tab="referral")
        register_home_panel(panels.triage_home_panel, order=10)
        register_home_panel(panels.referrer_home_panel, order=20)
        register_transition_page("decide_notify", "referrals:triage")
        register_transition_page("decide_not_notify", "referrals:triage")
        register_transition_page("record_notification", "referrals:notification")
        # The notifications decide whether a rapid review follows: the stage, the next step and the
        # steps the case page offers all read them.
        register_stage_text(stage.referral_stage)
        register_next_step(stage.referral_next_step)
        register_guard("start_rapid_review", stage.start_guard)
        register_guard("close", stage.close_when_notified_guard)
        register_guard("criteria_not_met", stage.criteria_not_met_guard)
