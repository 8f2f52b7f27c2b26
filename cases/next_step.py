"""The case's next step: what happens next, in words, and the button for it when this person takes it.

Each stage may carry a `next_step` provider (cases.stage_registry): provider(user, case) -> NextStep |
None; the first answer wins, in the order the stages are installed. With
no answer, the first workflow step this person may take that does not close the case is offered.
A step that closes the case is the main button only when an app says closing is what comes next:
otherwise it is a warning button beside the rest, and its page asks for a reason and a confirmation.
"""

from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from cases import stage_registry
from cases.models import Case
from cases.steps import transition_links


@dataclass(frozen=True)
class NextStep:
    text: str  # what happens next, in words anyone on the case can read
    label: str = ""  # the main button, when this person takes the step
    url: str = ""
    covers: frozenset[str] = field(default_factory=frozenset)  # workflow steps this button stands for


@dataclass(frozen=True)
class CaseActions:
    next_step: NextStep
    others: list[dict[str, Any]]  # secondary buttons
    closing: list[dict[str, Any]]  # warning buttons: steps that close the case


def case_actions(user: User, case: Case) -> CaseActions:
    links = transition_links(user, case)
    step = next((s for provider in stage_registry.next_steps() if (s := provider(user, case)) is not None), None)
    if step is None:
        first = next((link for link in links if not link["closes"]), None)
        if first is not None:
            step = NextStep(text="", label=first["label"], url=first["url"], covers=frozenset({first["name"]}))
        else:
            step = NextStep(text="There is nothing for you to do on this case now.")
    rest = [link for link in links if link["name"] not in step.covers and link["url"] != step.url]
    return CaseActions(
        next_step=step,
        others=[link for link in rest if not link["closes"]],
        closing=[link for link in rest if link["closes"]],
    )
