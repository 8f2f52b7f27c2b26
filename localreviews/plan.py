"""What each kind of local review requires: read by the workflow table's guards and by the review's
task list, so no page or service asks "is this an LCSPR?" itself.

An LCSPR is the statutory review: the partners tell the Panel, Ofsted and DfE that it is being held
and who the reviewer is, the three partners approve its terms of reference and its report, agencies
check the draft's facts, and the report goes to the Panel and the Secretary of State 7 working days
before publication (domain.md §4.1, §4.8). An alternative learning review is the partners' own
lighter plan: the national bodies need no notice (one may still be sent), the coordinator agrees its
terms of reference and its report, and the accuracy round is kept.
"""

from enum import StrEnum

from localreviews.models import ReviewKind


class Requirement(StrEnum):
    NATIONAL_NOTICES = "national_notices"
    TERMS_BY_PARTNERS = "terms_by_partners"
    ACCURACY_ROUND = "accuracy_round"
    REPORT_BY_PARTNERS = "report_by_partners"
    SENT_AHEAD = "sent_ahead"


REQUIREMENT_TEXT = {
    Requirement.NATIONAL_NOTICES: "Tell the Panel, Ofsted and DfE that the review is being held, and the reviewer's name",
    Requirement.TERMS_BY_PARTNERS: "The three safeguarding partners approve the terms of reference",
    Requirement.ACCURACY_ROUND: "Agencies check the draft report's facts",
    Requirement.REPORT_BY_PARTNERS: "The three safeguarding partners approve the final report",
    Requirement.SENT_AHEAD: (
        "Send the final report to the Panel and the Secretary of State 7 working days before publication"
    ),
}

PLAN: dict[str, frozenset[Requirement]] = {
    ReviewKind.LCSPR: frozenset(Requirement),
    ReviewKind.ALTERNATIVE: frozenset({Requirement.ACCURACY_ROUND}),
}


def requires(kind: str, requirement: Requirement) -> bool:
    return requirement in PLAN[ReviewKind(kind)]
