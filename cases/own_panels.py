"""The case's own sub-pages: its documents, and its history (who acted, what has happened, and
for the coordinator who has seen it)."""

from typing import Any

from django.core.paginator import Paginator

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from cases.policies import CaseAction, can
from cases.selectors import case_people
from cases.timeline import case_timeline
from documents.policies import DocumentChecker

HISTORY_PAGE_EVENTS = 25


def documents_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any]:
    checker = DocumentChecker(request.user, case)
    return {
        "template": "cases/_documents.html",
        "documents": list(checker.visible().select_related("uploaded_by")),
        "can_upload": checker.can_upload,
    }


def history_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any]:
    """Newest first, a page at a time. Messages name their recipients, so their events are shown
    only to those who may read the case's messages."""
    may_see_viewers = can(request.user, CaseAction.VIEW_VIEWERS, case)
    events = case_timeline(case, user=request.user, include_messages=may_see_viewers)
    page = Paginator(events, HISTORY_PAGE_EVENTS).get_page(request.GET.get("page"))
    return {
        "template": "cases/_history.html",
        "people": case_people(case),
        "agencies": list(case.involved_agencies.all()),
        "page": page,
        "can_see_viewers": may_see_viewers,
    }
