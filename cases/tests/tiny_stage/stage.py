"""The smallest stage there is, for the tests only: a follow-up letter the partnership owes the
family within three working days of deciding not to notify the Panel.

It is what docs/ADDING_A_STAGE.md describes, without a model or pages of its own: one case state
(the family told) and the step into it, one section on the case page, one home panel, one clock
rule whose clock starts when the partners decide not to notify (an effect of that step) and is met
by its own step. Registering it touches no platform file.
"""

from typing import Any

from cases.models import Case, CaseStage, CaseState
from cases.policies import CaseAction
from cases.stage_registry import Ordered, Panel, Stage, State
from cases.workflow import step
from clocks.models import Clock
from clocks.rules import ClockRuleSpec
from clocks.services import clock_meet, clock_start

RULE = "tiny_letter"
FAMILY_TOLD = "tiny_family_told"


def letter_panel(request: Any, case: Case) -> dict[str, Any] | None:
    clock = Clock.objects.filter(case=case, rule=RULE).first()
    if clock is None:
        return None
    return {"template": "clocks/_admin_home_panel.html", "partnership_admin": True}  # any template will do


def letters_home_panel(user: Any) -> dict[str, Any] | None:
    return None  # nothing to do: the test looks for the registration, not the section


def start_letter_clock(*, case: Case, actor: Any, context: dict[str, Any]) -> None:
    clock_start(case=case, rule=RULE, start_date=context["decided_on"], actor=actor)


def meet_letter_clock(*, case: Case, actor: Any, context: dict[str, Any]) -> None:
    clock_meet(case=case, rule=RULE, on=context["sent_on"], actor=actor)


stage = Stage(
    name="tiny_stage",
    coarse=CaseStage.LOCAL_REVIEW,  # a stand-in: any coarse stage will do for the test
    states=(State(FAMILY_TOLD, "Family told", "The family has been told in writing.", closable=True),),
    transitions=(
        step(
            "tell_family", "Record the letter to the family", {CaseState.NOT_NOTIFIED}, FAMILY_TOLD, CaseAction.TRIAGE
        ),
    ),
    panels=(Panel(letter_panel, order=45),),
    home_panels=(Ordered(letters_home_panel, order=99),),
    effects=(("decide_not_notify", start_letter_clock), ("tell_family", meet_letter_clock)),
    clock_rules=(
        ClockRuleSpec(
            RULE,
            "Letter to the family",
            starts="The partners decide not to notify the Panel",
            ends="The letter is sent",
            days=3,
        ),
    ),
)
