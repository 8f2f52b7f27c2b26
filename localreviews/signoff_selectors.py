"""The final report's lines of the review's task list, and the earliest publication date the case
facts give (`manage.py list_cases --json`)."""

import datetime as dt

from django.urls import reverse

from localreviews.models import LocalReview, LocalReviewStatus
from localreviews.plan import Requirement, requires
from localreviews.selectors import Task
from localreviews.signoff_models import Publication
from localreviews.signoff_services import latest_sent_ahead

S = LocalReviewStatus
APPROVED_OR_LATER = frozenset(
    {S.REPORT_APPROVED, S.SENT_AHEAD, S.PUBLICATION_PLANNED, S.IMPROVEMENTS_ONLY, S.PUBLICATION_DELAYED}
)

DECIDED_BY_STATUS: dict[str, Publication] = {
    S.PUBLICATION_PLANNED: Publication.PUBLISH,
    S.IMPROVEMENTS_ONLY: Publication.IMPROVEMENTS,
    S.PUBLICATION_DELAYED: Publication.DELAY,
}
SENT_OR_DECIDED = frozenset({S.SENT_AHEAD, *DECIDED_BY_STATUS})


def earliest_publication(review: LocalReview) -> dt.date | None:
    """Once the report (or the improvements) has been sent ahead: the latest sending's date + 7 working days."""
    sent = latest_sent_ahead(review)
    return sent.earliest_publication if sent is not None else None


def signoff_tasks(review: LocalReview) -> list[Task]:
    reference = review.case.reference
    by_partners = requires(review.kind, Requirement.REPORT_BY_PARTNERS)
    if review.status in APPROVED_OR_LATER:
        status = "Approved" if by_partners else "Agreed"
    elif review.status == S.REPORT_AWAITING_APPROVAL:
        status = "Awaiting approval"
    elif review.status == S.REPORT_CHANGES_ASKED:
        status = "Changes asked for"
    else:
        status = "Not started"
    tasks = [
        Task(
            "Agree the final report with the three safeguarding partners" if by_partners else "Agree the final report",
            status,
            review.status in APPROVED_OR_LATER,
            url=reverse("localreviews:final_report", args=[reference]),
        )
    ]
    needed = requires(review.kind, Requirement.SENT_AHEAD)
    # Only once the report is past approval can it have been sent ahead (one query, then).
    sent = latest_sent_ahead(review) if review.status in SENT_OR_DECIDED else None
    tasks.append(
        Task(
            "Send the final report to the Panel and the Secretary of State",
            f"Sent: publish from {sent.earliest_publication:%-d %B %Y}"
            if sent is not None
            else ("Not started" if needed else "Not needed"),
            sent is not None,
            needed,
            reverse("localreviews:send_ahead", args=[reference]),
        )
    )
    # The review's status says which decision was recorded last.
    decided = DECIDED_BY_STATUS.get(review.status)
    tasks.append(
        Task(
            "Record the publication decision",
            decided.label if decided is not None else "Not started",
            decided is not None and decided != Publication.DELAY,
            url=reverse("localreviews:publication", args=[reference]),
        )
    )
    return tasks
