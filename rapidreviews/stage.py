"""The rapid review as one stage: what it adds to the case page and the home page, its words for
where a case stands, its steps' pages and guards, its deadlines and who is chased for them, its rows
of the URL walk and its demo data. The cases app registers it when Django starts."""

from typing import Any

from accounts.signals import invitation_accepted, membership_ended
from cases.models import CaseStage, CaseState
from cases.policies import CaseAction
from cases.stage_registry import Ordered, Panel, Stage, State, TransitionPage
from cases.workflow import step
from clocks.models import ClockRule
from rapidreviews import clock_rules
from rapidreviews.next_step import rapid_review_next_step
from rapidreviews.outcome import rapid_review_stage
from rapidreviews.panels import case_panel, home_requests_panel, home_sign_off_panel
from rapidreviews.policies import may_read_review_document
from rapidreviews.selectors import CASE_PAGE_RELATED, review_on_page, timeline_for
from rapidreviews.services.document import TOPIC
from rapidreviews.services.requests import (
    requests_let_go_of_ended_lead,
    requests_take_invited_lead,
    summaries_chase,
)
from rapidreviews.services.signoff import sign_offs_settle
from rapidreviews.services.submission import submission_guard


def _facts(case: Any) -> dict[str, Any]:
    return {"has_rapid_review": review_on_page(case) is not None}


def _seed(world: Any) -> None:
    from rapidreviews.demo import seed

    seed(world)


stage = Stage(
    name="rapidreviews",
    coarse=CaseStage.RAPID_REVIEW,
    states=(
        State(CaseState.RAPID_REVIEW, "Rapid review under way", "The rapid review is under way."),
        State(
            CaseState.RAPID_REVIEW_SUBMITTED,
            "Rapid review submitted to the Panel",
            "The rapid review has been sent to the Panel. Waiting for the Panel's response.",
            closable=True,
        ),
    ),
    transitions=(
        step(
            "start_rapid_review",
            "Start the rapid review",
            {CaseState.NOTIFIED},
            CaseState.RAPID_REVIEW,
            CaseAction.RUN_RAPID_REVIEW,
        ),
        step(
            "submit_rapid_review",
            "Record the submission to the Panel",
            {CaseState.RAPID_REVIEW},
            CaseState.RAPID_REVIEW_SUBMITTED,
            CaseAction.RUN_RAPID_REVIEW,
        ),
        step(
            "reopen_rapid_review",
            "Reopen the rapid review",
            {CaseState.RAPID_REVIEW_SUBMITTED},
            CaseState.RAPID_REVIEW,
            CaseAction.RUN_RAPID_REVIEW,
        ),
        step(
            "criteria_not_met",
            "Close: criteria not met after all",
            {CaseState.NOTIFIED, CaseState.RAPID_REVIEW},
            CaseState.CLOSED,
            CaseAction.RUN_RAPID_REVIEW,
        ),
    ),
    panels=(Panel(case_panel, order=40),),
    # What a person must do on a review comes before the deadline lists (clocks, order 10).
    home_panels=(Ordered(home_requests_panel, order=7), Ordered(home_sign_off_panel, order=8)),
    case_page_related=CASE_PAGE_RELATED,
    stage_text=rapid_review_stage,
    next_step=rapid_review_next_step,
    timeline_filter=timeline_for,
    document_topics={TOPIC: may_read_review_document},
    transition_pages=(
        # These steps record data and check guards (sign-off, clocks), so the generic page must not take them.
        TransitionPage("submit_rapid_review", "rapidreviews:submission"),
        # The reply page reopens the review only when the Panel challenges or asks for more.
        TransitionPage("reopen_rapid_review", "rapidreviews:panel_response", label="Record a reply from the Panel"),
    ),
    guards=(("submit_rapid_review", submission_guard),),
    # The notification that requires a rapid review starts its clocks.
    effects=(("record_notification", clock_rules.clocks_start_on_notification),),
    clock_rules=clock_rules.RULES,
    chasers={ClockRule.RR_RETURNS: summaries_chase},
    # Sign-off windows for the scrutineer's and chair's comments end on time, not on a click.
    tick_jobs=(sign_offs_settle,),
    urls="rapidreviews.urls",
    url_prefix="rapid-reviews/",
    url_rules="rapidreviews.tests.url_rules:RAPID_REVIEW_RULES",
    seed=_seed,
    case_facts=_facts,
    receivers=(
        (invitation_accepted, requests_take_invited_lead, "rapidreviews.invited_lead"),
        (membership_ended, requests_let_go_of_ended_lead, "rapidreviews.ended_lead"),
    ),
)
