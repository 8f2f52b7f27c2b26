"""The local review as one stage: its case state and the step into it, the page that takes the step,
its 6 months, its section of the case page, its words for where the case stands and its next step,
who reads its events in the case history, its rows of the URL walk and its demo data. The cases
app registers it when Django starts."""

from typing import Any

from django.urls import reverse

from accounts.models import User
from accounts.signals import invitation_accepted
from audit.models import AuditEvent
from cases.models import Case, CaseStage, CaseState
from cases.next_step import NextStep
from cases.policies import CaseAction, can
from cases.stage_registry import Ordered, Panel, Stage, State, TransitionPage
from cases.workflow import step
from localreviews.clock_rules import RULES, clocks_start_on_open
from localreviews.models import LocalReviewStatus
from localreviews.panels_reviewer import home_reviewer_panel
from localreviews.policies import LocalReviewChecker
from localreviews.report_services import REPORT_TOPIC
from localreviews.selectors import decision_to_open, review_on_page
from localreviews.services_notices import TOPIC as NOTICE_TOPIC
from localreviews.services_reviewer import reviewer_take_invitation
from localreviews.signoff_documents import TOPIC as SENT_AHEAD_TOPIC
from localreviews.terms_documents import TOPIC as TERMS_TOPIC

LOCAL_REVIEW = "local_review"


def _case_panel(request: Any, case: Case) -> dict[str, Any] | None:
    review = review_on_page(case)
    if review is None or not LocalReviewChecker(request.user, case).may_view:
        return None
    return {"template": "localreviews/_case_panel.html", "lr_review": review}


def _stage_text(case: Case) -> str | None:
    if case.state != LOCAL_REVIEW:
        return None
    review = review_on_page(case)
    if review is None:
        return None
    if review.status == LocalReviewStatus.COMMISSIONED:
        return f"The partners have commissioned a {review.kind_words}. The reviewer is to be appointed."
    return f"The {review.kind_words} is under way: {review.status_label.lower()}."


def _next_step(user: User, case: Case) -> NextStep | None:
    if case.state in (CaseState.RAPID_REVIEW_SUBMITTED, CaseState.CLOSED) and review_on_page(case) is None:
        if not decision_to_open(case).kind:
            return None
        if can(user, CaseAction.RUN_LOCAL_REVIEW, case):
            return NextStep(
                text="The partners decided on a local review. Open it here: its 6 months run from the decision.",
                label="Open the local review",
                url=reverse("localreviews:open", args=[case.reference]),
                covers=frozenset({"open_local_review"}),
            )
        return NextStep(text="The partners decided on a local review. The review coordinator is to open it.")
    if case.state != LOCAL_REVIEW:
        return None
    review = review_on_page(case)
    if review is None:
        return None
    checker = LocalReviewChecker(user, case)
    if review.status == LocalReviewStatus.COMMISSIONED and checker.may_run:
        return NextStep(
            text="Appoint the reviewer, and tell the national bodies the review is being held.",
            label="Go to the local review",
            url=reverse("localreviews:review", args=[case.reference]),
        )
    if checker.may_view:
        return NextStep(
            text=_stage_text(case) or "",
            label="Go to the local review",
            url=reverse("localreviews:review", args=[case.reference]),
        )
    return NextStep(text="The local review is under way.")


def _no_rapid_review_sent(case: Case) -> str | None:
    """A local review follows a rapid review that went to the Panel."""
    from rapidreviews.selectors import review_on_page as rapid_review_on_page

    rapid_review = rapid_review_on_page(case)
    if rapid_review is None or rapid_review.submitted_at is None:
        return "A local review is opened once the rapid review has been sent to the Panel"
    return None


# The family involvement log's events, read only by those who read the log.
FAMILY_LOG_TARGETS = frozenset({"localreviews.familycontact"})


def _timeline(user: User, case: Case, events: list[AuditEvent]) -> list[AuditEvent]:
    """The review's own events are read by those who read the review; the family involvement log's
    by those who read the log."""
    if not any(e.target_type.startswith("localreviews.") for e in events):
        return events
    checker = LocalReviewChecker(user, case)
    if not checker.may_view:
        return [e for e in events if not e.target_type.startswith("localreviews.")]
    if checker.may_read_family_log:
        return events
    return [e for e in events if e.target_type not in FAMILY_LOG_TARGETS]


def _may_read_notice(user: User, case: Case) -> bool:
    """The notices' letters are read by those who read the review (documents.policies)."""
    return LocalReviewChecker(user, case).may_view


def _facts(case: Case) -> dict[str, Any]:
    review = review_on_page(case)
    if review is None:
        return {}
    from localreviews.signoff_selectors import earliest_publication

    facts: dict[str, Any] = {"lcspr_state": review.status, "local_review_kind": review.kind}
    if (earliest := earliest_publication(review)) is not None:
        facts["earliest_publication_date"] = earliest.isoformat()
    return facts


def _may_read_terms(user: User, case: Case) -> bool:
    return LocalReviewChecker(user, case).may_view


def _may_read_report(user: User, case: Case) -> bool:
    """Uploaded Word drafts of the report are read by those who read the review."""
    return LocalReviewChecker(user, case).may_view


def _seed(world: Any) -> None:
    from localreviews.demo import seed

    seed(world)


stage = Stage(
    name="localreviews",
    coarse=CaseStage.LOCAL_REVIEW,
    states=(State(LOCAL_REVIEW, "Local review under way", "The local review is under way.", closable=True),),
    transitions=(
        step(
            "open_local_review",
            "Open the local review",
            {CaseState.RAPID_REVIEW_SUBMITTED, CaseState.CLOSED},
            LOCAL_REVIEW,
            CaseAction.RUN_LOCAL_REVIEW,
        ),
    ),
    # The decision date starts the review's 6 months.
    effects=(("open_local_review", clocks_start_on_open),),
    guards=(("open_local_review", _no_rapid_review_sent),),
    # The step records the decision on its own page.
    transition_pages=(TransitionPage("open_local_review", "localreviews:open"),),
    panels=(Panel(_case_panel, order=45),),
    # A commissioned reviewer finds their review(s) on their home page.
    home_panels=(Ordered(home_reviewer_panel, order=6),),
    # An invited reviewer's account, once made, is linked to their appointment and given the case.
    receivers=((invitation_accepted, reviewer_take_invitation, "localreviews.invited_reviewer"),),
    case_page_related=("local_review",),
    stage_text=_stage_text,
    next_step=_next_step,
    timeline_filter=_timeline,
    clock_rules=RULES,
    urls="localreviews.urls",
    url_prefix="local-reviews/",
    url_rules="localreviews.tests.url_rules:RULES",
    seed=_seed,
    case_facts=_facts,
    # The notices' letters and the terms of reference's documents are read by those who read the review.
    document_topics={
        NOTICE_TOPIC: _may_read_notice,
        TERMS_TOPIC: _may_read_terms,
        # What went ahead of publication and the letters (sending, delay): read by those who read the review.
        SENT_AHEAD_TOPIC: _may_read_notice,
        REPORT_TOPIC: _may_read_report,
    },
)
