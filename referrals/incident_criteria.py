"""What follows from the partners' answers on the criteria (domain brief §1.2, §1.4, §2.1).

A serious child safeguarding case needs both answers Yes: abuse or neglect known or suspected, and
the child died or was seriously harmed. Every case notified to the Panel then needs a rapid review.
The death of a looked-after child or a care leaver goes to the Secretary of State and Ofsted whatever
the criteria. A decision that does not follow from the partners' own answers is not refused (the
partners may know more than two questions hold), but it is recorded only after a warning, the
partners' confirmation and their reasons, so the record never contradicts itself without a word.
"""

from dataclasses import dataclass

from referrals.models import Category, Outcome, TriageDecisionKind, YesNo

ABUSE_NO = "abuse or neglect is not known or suspected"
HARM_NO = "the child has not died or been seriously harmed"


@dataclass(frozen=True)
class AgainstCriteria:
    """A decision that does not follow from the answers: the warning, and what the form asks for."""

    warning: str
    rationale_error: str
    confirm_label: str
    confirm_error: str


def decision_against_criteria(*, abuse: str, harm: str, decision: str, sos_applicable: bool) -> AgainstCriteria | None:
    """The warning for a decision that goes against the partners' answers, or None if it follows them."""
    if decision == TriageDecisionKind.NOTIFY and (abuse == YesNo.NO or harm == YesNo.NO):
        answered = " and ".join(text for text, no in ((ABUSE_NO, abuse == YesNo.NO), (HARM_NO, harm == YesNo.NO)) if no)
        warning = (
            f"The partners answered that {answered}. The Panel is notified of a serious child safeguarding case, "
            "which needs abuse or neglect known or suspected and a death or serious harm. If the partners still "
            "notify the Panel, a rapid review must follow, as it does for every notification."
        )
        if sos_applicable:
            warning += (
                " The death of a looked-after child or a care leaver goes to the Secretary of State and Ofsted "
                "whatever the criteria: if that is what the partners decided, choose to notify them only."
            )
        return AgainstCriteria(
            warning=warning,
            rationale_error=f"Enter why the partners decided to notify the Panel although {answered}",
            confirm_label="The partners still decide to notify the Panel, and a rapid review will follow",
            confirm_error="Confirm that the partners still decide to notify the Panel",
        )
    if decision == TriageDecisionKind.NOT_NOTIFY and abuse == YesNo.YES and harm == YesNo.YES:
        return AgainstCriteria(
            warning=(
                "The partners answered yes to both criteria: this is a serious child safeguarding case, which the "
                "local authority must notify to the Panel. Record that the partners decided not to notify only if "
                "they are sure, and say why."
            ),
            rationale_error="Enter why the partners decided not to notify",
            confirm_label="The partners still decide not to notify the Panel",
            confirm_error="Confirm that the partners still decide not to notify the Panel",
        )
    return None


def panel_must_be_notified(*, abuse: str, harm: str, decision: str, a_child_under_18: bool) -> str | None:
    """The Secretary of State and Ofsted alone are not enough when a child died of suspected abuse."""
    if decision == TriageDecisionKind.SOS_OFSTED_ONLY and abuse == YesNo.YES and harm == YesNo.YES and a_child_under_18:
        return (
            "Select notify the Panel: abuse or neglect is known or suspected and a child under 18 died, so the local "
            "authority must notify the Panel (the Secretary of State and Ofsted are told in the same notification)"
        )
    return None


SUDI_SURVIVED_WARNING = (
    "Sudden unexpected death in infancy means a baby died, but you said the child was seriously harmed. "
    "If the baby died, choose that the child died. If the baby survived, choose the kind of incident that fits, "
    "or explain below."
)
SUDI_SURVIVED_ERROR = "Explain why it is a sudden unexpected death in infancy if the child survived"


def sudi_but_survived(outcome: str, category: str) -> bool:
    """'Seriously harmed' with 'sudden unexpected death in infancy': two answers that disagree."""
    return outcome == Outcome.SERIOUS_HARM and category == Category.SUDI
