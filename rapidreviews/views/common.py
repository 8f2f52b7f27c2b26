from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case, CaseState
from cases.policies import CaseAction, get_case_for_user
from rapidreviews.models import AgencySummary, ImmediateActionStatus, RapidReview, SignOffDecision, SummaryStatus
from rapidreviews.policies import ReviewChecker
from rapidreviews.sections import ONE_PAGE_SECTIONS, Section, TaskStatus
from rapidreviews.selectors import review_of


def load(
    request: AuthenticatedHttpRequest, reference: str, action: CaseAction = CaseAction.VIEW
) -> tuple[Case, RapidReview]:
    """The case (404 if not visible, 403 if the action is not allowed) and its review. The door
    notes the case as opened, so the page is audited as a read (audit.reads)."""
    case = get_case_for_user(request.user, reference, action)
    return case, review_of(case)


def load_staff(request: AuthenticatedHttpRequest, reference: str) -> tuple[Case, RapidReview]:
    """For pages of the whole review: the coordinator, the partner delegates, the scrutineer and chair."""
    case, review = load(request, reference)
    if not ReviewChecker(request.user, case).is_staff:
        raise PermissionDenied("Only the review's coordinator, partners and scrutineer see this page")
    return case, review


# The enums the pages compare with (`{% if agency_summary.status == SummaryStatus.ACCEPTED %}`), so no
# template spells a status as a bare string.
ENUMS: dict[str, Any] = {
    "ImmediateActionStatus": ImmediateActionStatus,
    "CaseState": CaseState,
    "SummaryStatus": SummaryStatus,
    "SignOffDecision": SignOffDecision,
    "TaskStatus": TaskStatus,
}


def base_context(case: Case, review: RapidReview, **extra: Any) -> dict[str, Any]:
    return {"case": case, "review": review, "nav": "cases", **ENUMS, **extra}


def editable_or_403(request: AuthenticatedHttpRequest, agency_summary: AgencySummary) -> None:
    if not ReviewChecker(request.user, agency_summary.request.review.case).can_edit_summary(agency_summary):
        raise PermissionDenied("Only the agency's safeguarding lead can change its summary while it is open")


def section_url(reference: str, agency_id: int, section: Section) -> str:
    """Where a section is written: the five short ones on their one page, at their own part."""
    if section in ONE_PAGE_SECTIONS:
        return reverse("rapidreviews:summary_answers", args=[reference, agency_id]) + f"#{section.slug}"
    return reverse("rapidreviews:summary_section", args=[reference, agency_id, section.slug])
