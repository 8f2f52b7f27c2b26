"""A factual accuracy round's own transition table, on the workflow engine (cases/workflow_engine.py).

Open -> closed. The reviewer or the coordinator closes the round once its deadline has passed, or
sooner when every agency it went to has commented and every comment has been accepted or declined.
Closing meets the round's clock: on the day it closes, or on the deadline if it closes after it
(comments close at the deadline; the reviewer may still be answering them after it).
"""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.workflow_engine import Step, Workflow
from clocks.services import clock_meet
from localreviews.accuracy_models import AccuracyComment, AccuracyRound, Decision, RoundStatus
from localreviews.clock_rules import ACCURACY
from localreviews.policies import LocalReviewChecker
from localreviews.tables import history_row, status_words, step_details

OPEN, CLOSED = RoundStatus.OPEN, RoundStatus.CLOSED


def _answers(actor: User, accuracy_round: AccuracyRound) -> bool:
    return LocalReviewChecker(actor, accuracy_round.review.case).may_answer_accuracy


def unanswered(accuracy_round: AccuracyRound) -> str | None:
    """Why the round cannot close yet, or None: before its deadline, every agency must have
    commented and every comment must be accepted or declined."""
    if timezone.localdate() > accuracy_round.deadline:
        return None
    agencies = {a.pk: a.name for a in accuracy_round.agencies.all()}
    comments = list(
        AccuracyComment.objects.filter(round=accuracy_round, by_review=False).values_list("agency_id", "decision")
    )
    commented = {agency_id for agency_id, _decision in comments}
    waiting = sorted(name for pk, name in agencies.items() if pk not in commented)
    if waiting:
        return (
            f"The round is open until {accuracy_round.deadline:%-d %B %Y}: "
            f"{_in_words(waiting)} {'has' if len(waiting) == 1 else 'have'} not commented yet"
        )
    if any(decision == Decision.PENDING for _agency_id, decision in comments):
        return "Accept or decline every comment before closing the round ahead of its deadline"
    return None


def _in_words(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _closed_now(accuracy_round: AccuracyRound, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {"closed_at": timezone.now()}


def _meet_clock(accuracy_round: AccuracyRound, actor: User, context: Mapping[str, Any]) -> None:
    case = accuracy_round.review.case
    clock_meet(case=case, rule=ACCURACY, on=min(timezone.localdate(), accuracy_round.deadline), actor=actor)


STEPS: Mapping[str, Step[AccuracyRound]] = {
    s.name: s
    for s in (
        Step(
            "accuracy_close",
            "Close the factual accuracy round",
            frozenset({OPEN}),
            CLOSED,
            _answers,
            guards=(unanswered,),
            writes=_closed_now,
            effects=(_meet_clock,),
            refused="The factual accuracy round is already closed",
        ),
    )
}


ROUND_WORKFLOW: Workflow[AccuracyRound] = Workflow(
    model=AccuracyRound,
    steps=lambda: STEPS,
    history=history_row,
    describe=lambda accuracy_round, step, from_status, note: step_details(
        step, from_status, note, round=accuracy_round.pk
    ),
    case_of=lambda accuracy_round: accuracy_round.review.case,
    state_field="status",
    state_label=status_words(RoundStatus),
    clash="Someone else changed the factual accuracy round while you were looking at it. Check it and try again.",
)
