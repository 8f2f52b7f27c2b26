"""The monitoring records' own transition tables, on the workflow engine (cases/workflow_engine.py):
a written request is answered by the reviewer (open -> answered), and a delay ends (holding ->
ended), restarting the 6 months if they were paused with it. Each step carries the version check,
a LocalReviewEvent history row and one audit event."""

from collections.abc import Mapping
from typing import Any

from accounts.models import User
from cases.workflow_engine import Step, Workflow
from localreviews.monitoring_models import Delay, DelayStatus, RequestStatus, WrittenRequest
from localreviews.policies import LocalReviewChecker
from localreviews.tables import history_row, status_words, step_details


def _reviewer(actor: User, request: WrittenRequest) -> bool:
    return LocalReviewChecker(actor, request.review.case).is_reviewer


def _coordinates(actor: User, delay: Delay) -> bool:
    return LocalReviewChecker(actor, delay.review.case).may_run


def _answer(request: WrittenRequest, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {"answer": context["answer"], "answered_on": context["answered_on"], "answered_by": actor}


def _answered_effect(request: WrittenRequest, actor: User, context: Mapping[str, Any]) -> None:
    from localreviews.monitoring_services import request_clock_follow, tell_asker_answered

    request_clock_follow(request.review, actor=actor, on=context["answered_on"])
    tell_asker_answered(request, actor)


def _ended(delay: Delay, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {"ended_on": context["ended_on"]}


def _ended_effect(delay: Delay, actor: User, context: Mapping[str, Any]) -> None:
    from localreviews.monitoring_services import six_months_restart

    if delay.paused_clock:
        six_months_restart(delay.review, actor=actor, on=context["ended_on"])


REQUEST_STEPS: Mapping[str, Step[WrittenRequest]] = {
    s.name: s
    for s in (
        Step(
            "written_request_answer",
            "Answer the partners' written request",
            frozenset({RequestStatus.OPEN}),
            RequestStatus.ANSWERED,
            _reviewer,
            writes=_answer,
            effects=(_answered_effect,),
            refused="This request has been answered already",
        ),
    )
}

DELAY_STEPS: Mapping[str, Step[Delay]] = {
    s.name: s
    for s in (
        Step(
            "delay_end",
            "Record that the delay has ended",
            frozenset({DelayStatus.HOLDING}),
            DelayStatus.ENDED,
            _coordinates,
            writes=_ended,
            effects=(_ended_effect,),
            refused="This delay has ended already",
        ),
    )
}


REQUEST_WORKFLOW: Workflow[WrittenRequest] = Workflow(
    model=WrittenRequest,
    steps=lambda: REQUEST_STEPS,
    history=history_row,
    describe=lambda record, step, from_status, note: step_details(step, from_status, note),
    case_of=lambda request: request.review.case,
    state_field="status",
    state_label=status_words(RequestStatus),
    clash="Someone else changed this request while you were working on it. Check it and try again.",
)

DELAY_WORKFLOW: Workflow[Delay] = Workflow(
    model=Delay,
    steps=lambda: DELAY_STEPS,
    history=history_row,
    describe=lambda record, step, from_status, note: step_details(step, from_status, note),
    case_of=lambda delay: delay.review.case,
    state_field="status",
    state_label=status_words(DelayStatus),
    clash="Someone else changed this delay while you were working on it. Check it and try again.",
)
