from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from cases.policies import CaseAction, can, get_case_for_user
from rapidreviews.models import AgencyReturn, RapidReview
from rapidreviews.sections import ONE_PAGE_SECTIONS, Section
from rapidreviews.selectors import may_edit_return, review_of

STAFF_ACTIONS = (CaseAction.RUN_RAPID_REVIEW, CaseAction.SIGN_OFF, CaseAction.COMMENT)


def load(
    request: HttpRequest, reference: str, action: CaseAction = CaseAction.VIEW, page: str = ""
) -> tuple[Case, RapidReview]:
    """The case (404 if not visible, 403 if the action is not allowed) and its review; audited VIEW."""
    case = get_case_for_user(request.user, reference, action)
    review = review_of(case)
    if page and request.method == "GET":
        audit_record(actor=request.user, verb=Verb.VIEW, target=review, case=case, details={"page": page})
    return case, review


def load_staff(request: HttpRequest, reference: str, page: str = "") -> tuple[Case, RapidReview]:
    """For pages of the whole review: the coordinator, the partner delegates, the scrutineer and chair."""
    case, review = load(request, reference)
    if not any(can(request.user, a, case) for a in STAFF_ACTIONS):
        raise PermissionDenied("Only the review's coordinator, partners and scrutineer see this page")
    if page and request.method == "GET":
        audit_record(actor=request.user, verb=Verb.VIEW, target=review, case=case, details={"page": page})
    return case, review


def base_context(case: Case, review: RapidReview, **extra: Any) -> dict[str, Any]:
    return {"case": case, "review": review, "nav": "cases", **extra}


def editable_or_403(request: HttpRequest, agency_return: AgencyReturn) -> None:
    if not may_edit_return(request.user, agency_return):
        raise PermissionDenied("Only the agency's safeguarding lead can change its return while it is open")


def section_url(reference: str, agency_id: int, section: Section) -> str:
    """Where a section is written: the five short ones on their one page, at their own part."""
    if section in ONE_PAGE_SECTIONS:
        return reverse("rapidreviews:return_answers", args=[reference, agency_id]) + f"#{section.slug}"
    return reverse("rapidreviews:return_section", args=[reference, agency_id, section.slug])
