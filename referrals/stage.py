"""The referral as one stage: where a case stands while the referrals journey holds it (triage and
notification), and what follows from the notifications: the stage in words, the case's next step,
and the guards that keep the rapid review's steps in line with what the notifications say. `stage`
at the end carries these with the referral's case-page sections, home panels, step pages, deadline
and demo data; the cases app registers it when Django starts.

The notification's "rapid review required" is the one source: the case page's stage, its next step
and whether a rapid review may start all read it, so they cannot disagree.
"""

from typing import Any

from django.urls import reverse

from accounts.models import User
from cases.models import Case, CaseStage, CaseState
from cases.next_step import NextStep
from cases.policies import CaseAction, can
from cases.stage_registry import Ordered, Panel, Stage, State, Tab, TransitionPage
from cases.workflow import available_transitions, step
from clocks.models import ClockRule
from clocks.rules import ClockRuleSpec
from referrals import panels
from referrals.models import SeriousIncidentNotification, TriageDecision, TriageDecisionKind
from referrals.services.sin import uncovered_children


def rapid_review_not_required(case: Case) -> str | None:
    """Why no rapid review is required, in words; None if one is (or no notification is recorded yet)."""
    notifications = list(SeriousIncidentNotification.objects.filter(case=case))
    if not notifications or any(n.rapid_review_required for n in notifications):
        return None
    return notifications[0].no_rapid_review_reason


def referral_stage(case: Case) -> str | None:
    """The stage text where the general words would be wrong: a notification to the Secretary of
    State and Ofsted only, and a notified case that needs no rapid review."""
    if case.state == CaseState.TO_NOTIFY:
        triage = TriageDecision.objects.filter(case=case).only("decision").first()
        if triage is not None and triage.decision == TriageDecisionKind.SOS_OFSTED_ONLY:
            return (
                "The partners decided to notify the Secretary of State and Ofsted only. "
                "The local authority notifier is to record the notification."
            )
    if case.state == CaseState.NOTIFIED and (reason := rapid_review_not_required(case)):
        return f"Notified. No rapid review is required: {reason}."
    return None


def start_guard(case: Case) -> str | None:
    """A rapid review starts only where a notification requires one."""
    if case.state == CaseState.NOTIFIED and (reason := rapid_review_not_required(case)):
        return f"No rapid review is required: {reason}"
    return None


def close_when_notified_guard(case: Case) -> str | None:
    """A notified case closes without a rapid review only when none is required."""
    if case.state == CaseState.NOTIFIED and rapid_review_not_required(case) is None:
        return "A rapid review is required: every case notified to the Panel needs one"
    return None


def criteria_not_met_guard(case: Case) -> str | None:
    """'Criteria not met after all' is for a case that was to have a rapid review."""
    if case.state == CaseState.NOTIFIED and rapid_review_not_required(case):
        return "No rapid review is required, so the case is simply closed"
    return None


def referral_next_step(user: User, case: Case) -> NextStep | None:
    if case.state == CaseState.REFERRED:
        if can(user, CaseAction.TRIAGE, case):
            return NextStep(
                text="Record the safeguarding partners' decision: whether the local authority must notify the Panel.",
                label="Record the partners' decision",
                url=reverse("referrals:triage", args=[case.reference]),
                covers=frozenset({"decide_notify", "decide_not_notify"}),
            )
        return NextStep(
            text="The safeguarding partners are to decide whether the local authority must notify the Panel."
        )
    if case.state == CaseState.TO_NOTIFY:
        if can(user, CaseAction.RECORD_SIN, case):
            return NextStep(
                text="Submit the notification in the DfE system, then record it here.",
                label="Record the notification",
                url=reverse("referrals:sin", args=[case.reference]),
                covers=frozenset({"record_notification"}),
            )
        return NextStep(text="The local authority notifier is to submit the notification and record it.")
    if case.state == CaseState.NOTIFIED and can(user, CaseAction.RECORD_SIN, case) and uncovered_children(case):
        return NextStep(
            text="A notification covers up to 4 children: record another one for the children not yet covered.",
            label="Record a notification for the other children",
            url=reverse("referrals:sin", args=[case.reference]),
        )
    if case.state == CaseState.NOTIFIED and rapid_review_not_required(case):
        return close_step(user, case, "Nothing more is needed under the rapid review arrangements.")
    if case.state == CaseState.NOT_NOTIFIED:
        triage = TriageDecision.objects.filter(case=case).only("local_learning_review").first()
        if triage is not None and triage.local_learning_review:
            return close_step(user, case, "The partners will hold a local learning review instead.")
        return close_step(user, case, "Nothing more is needed: the referrer has been told the decision.")
    return None


def close_step(user: User, case: Case, why: str) -> NextStep:
    """Closing the case as the next step: the button for the coordinator, the words for everyone."""
    if any(t.name == "close" for t in available_transitions(user, case)):
        return NextStep(
            text=f"{why} Close the case.",
            label="Close the case",
            url=reverse("cases:transition", args=[case.reference, "close"]),
            covers=frozenset({"close"}),
        )
    return NextStep(text=f"{why} The review coordinator is to close the case.")


def _seed(world: Any) -> None:
    from referrals.demo import seed

    seed(world)


stage = Stage(
    name="referrals",
    coarse=CaseStage.REFERRAL,
    states=(
        State(CaseState.DRAFT, "Referral being written", "The referral is being written."),
        State(
            CaseState.REFERRED,
            "Referred, awaiting triage",
            "Referred. The safeguarding partners are deciding whether the local authority must notify the Panel.",
        ),
        State(
            CaseState.NOT_NOTIFIED,
            "Decided not to notify",
            "The partners decided not to notify the Panel.",
            closable=True,
        ),
        State(
            CaseState.TO_NOTIFY,
            "To be notified to the Panel",
            "The partners decided to notify. The local authority notifier is to submit the Serious Incident "
            "Notification.",
        ),
        State(CaseState.NOTIFIED, "Notified to the Panel", "Notified. The rapid review is to start.", closable=True),
    ),
    transitions=(
        step(
            "decide_notify", "Decide to notify the Panel", {CaseState.REFERRED}, CaseState.TO_NOTIFY, CaseAction.TRIAGE
        ),
        step(
            "decide_not_notify",
            "Decide not to notify",
            {CaseState.REFERRED},
            CaseState.NOT_NOTIFIED,
            CaseAction.TRIAGE,
        ),
        step(
            "record_notification",
            "Record the Serious Incident Notification",
            {CaseState.TO_NOTIFY},
            CaseState.NOTIFIED,
            CaseAction.RECORD_SIN,
        ),
    ),
    tabs=(Tab("referral", "Referral", order=20, empty="This case has no referral recorded in the service."),),
    panels=(Panel(panels.case_panel, order=20, tab="referral"),),
    home_panels=(Ordered(panels.triage_home_panel, order=10), Ordered(panels.referrer_home_panel, order=20)),
    transition_pages=(
        TransitionPage("decide_notify", "referrals:triage"),
        TransitionPage("decide_not_notify", "referrals:triage"),
        TransitionPage("record_notification", "referrals:sin"),
    ),
    # The notifications decide whether a rapid review follows: the stage, the next step and the
    # steps the case page offers all read them.
    stage_text=referral_stage,
    next_step=referral_next_step,
    guards=(
        ("start_rapid_review", start_guard),
        ("close", close_when_notified_guard),
        ("criteria_not_met", criteria_not_met_guard),
    ),
    clock_rules=(
        ClockRuleSpec(
            ClockRule.SIN,
            "Serious Incident Notification",
            starts="The local authority became aware of the incident (the referral is sent)",
            ends="The notification to the Panel is recorded",
            days=5,
        ),
    ),
    urls="referrals.urls",
    url_prefix="referrals/",
    url_rules="referrals.tests.url_rules:REFERRAL_RULES",
    seed=_seed,
)
