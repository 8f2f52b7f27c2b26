from django.apps import AppConfig


class RapidreviewsConfig(AppConfig):
    name = "rapidreviews"

    def ready(self) -> None:
        from accounts.signals import invitation_accepted, membership_ended
        from cases.actions import register_transition_page
        from cases.next_step import register_next_step
        from cases.panels import register_panel
        from cases.stages import register_stage_text
        from cases.timeline import register_timeline_filter
        from cases.workflow import register_guard
        from clocks.models import ClockRule
        from clocks.reminders import register_chaser, register_tick_job
        from core.home import register_home_panel
        from documents.access import register_document_filter
        from rapidreviews.next_step import rapid_review_next_step
        from rapidreviews.outcome import rapid_review_stage
        from rapidreviews.panels import case_panel, home_requests_panel, home_sign_off_panel
        from rapidreviews.selectors import may_read_review_document, timeline_for
        from rapidreviews.services.document import TOPIC
        from rapidreviews.services.requests import (
            requests_let_go_of_ended_lead,
            requests_take_invited_lead,
            returns_chase,
        )
        from rapidreviews.services.signoff import sign_offs_settle
        from rapidreviews.services.submission import submission_guard

        register_panel(case_panel, order=40)
        register_timeline_filter(timeline_for)
        register_stage_text(rapid_review_stage)
        register_document_filter(TOPIC, may_read_review_document)
        # These steps record data and check guards (sign-off, clocks), so the generic page must not take them.
        register_transition_page("submit_rapid_review", "rapidreviews:submission")
        register_guard("submit_rapid_review", submission_guard)
        # The reply page reopens the review only when the Panel challenges or asks for more.
        register_transition_page(
            "reopen_rapid_review", "rapidreviews:panel_response", label="Record a reply from the Panel"
        )
        register_next_step(rapid_review_next_step)
        # What a person must do on a review comes before the deadline lists (clocks, order 10).
        register_home_panel(home_requests_panel, order=7)
        register_home_panel(home_sign_off_panel, order=8)
        register_chaser(ClockRule.RR_RETURNS, returns_chase)
        # Sign-off windows for the scrutineer's and chair's comments end on time, not on a click.
        register_tick_job(sign_offs_settle)
        invitation_accepted.connect(requests_take_invited_lead, dispatch_uid="rapidreviews.invited_lead")
        membership_ended.connect(requests_let_go_of_ended_lead, dispatch_uid="rapidreviews.ended_lead")
