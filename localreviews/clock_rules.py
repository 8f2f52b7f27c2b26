"""The local review's deadlines: complete and publish within 6 months of the partners' decision
(domain.md §4.7), started from the decision date as an effect of opening the review; and the final
report sent to the Panel and the Secretary of State 7 working days before publication (§4.8)."""

from typing import Any

from clocks.models import ClockRule
from clocks.rules import Basis, ClockRuleSpec
from clocks.services import clock_start

# The rule names are those the platform held for the local review before it arrived (ClockRule).
SIX_MONTHS = ClockRule.LCSPR
PUBLICATION_NOTICE = ClockRule.PUBLICATION_NOTICE
# The earliest day the report may be published: 7 working days after it (or the improvements-only
# information) went to the Panel and the Secretary of State (§4.8). A forward rule, started when
# the sending is recorded, so the date shows in "what's due" while the partners wait; informational
# (nothing is owed on it, it is never late) and met when they record their publication decision.
# PUBLICATION_NOTICE counts back from a planned date, which is known only after the sending here.
PUBLICATION_EARLIEST = "lr_publication_earliest"
# The reviewer's answer to the partners' oldest unanswered written request (regulation 14).
WRITTEN_REQUEST = "lr_written_request"
# A factual accuracy round's deadline: a fixed 10 working days from the day it is sent (a rule counts
# a length from its start, so the round's page shows the date it gives rather than asking for one).
ACCURACY = "lr_accuracy"
ACCURACY_DAYS = 10

RULES = (
    ClockRuleSpec(
        SIX_MONTHS,
        "Local child safeguarding practice review",
        starts="The safeguarding partners decide on a local review (the date of the decision)",
        ends="The review's report is published",
        basis=Basis.CALENDAR,
        months=6,
    ),
    ClockRuleSpec(
        PUBLICATION_NOTICE,
        "Notice to the Panel and Secretary of State",
        starts="The planned publication date (counted backwards from it)",
        ends="The final report is sent to the Panel and the Secretary of State",
        days=7,
        backwards=True,
    ),
    ClockRuleSpec(
        PUBLICATION_EARLIEST,
        "Earliest publication date of the local review's report",
        starts="The final report (or the improvements-only information) is sent to the Panel and the Secretary of State",
        ends="The safeguarding partners record their publication decision",
        days=7,
        informational=True,
    ),
    ClockRuleSpec(
        WRITTEN_REQUEST,
        "Reviewer's answer to the partners' written request",
        starts="The partners ask the reviewer in writing for information or a draft (the oldest unanswered request)",
        ends="The reviewer answers it",
        setting="lr_written_request_days",
    ),
    ClockRuleSpec(
        ACCURACY,
        "Factual accuracy comments",
        starts="The reviewer sends a draft of the report to agencies to check its facts",
        ends="The round closes for comments: at its deadline, or sooner when every agency has been answered",
        days=ACCURACY_DAYS,
    ),
)


def clocks_start_on_open(*, case: Any, actor: Any, context: dict[str, Any]) -> None:
    """The effect of opening the local review: its 6 months run from the decision date."""
    clock_start(case=case, rule=SIX_MONTHS, start_date=context["decided_on"], actor=actor, owner=actor)
