"""The local review's pages. Each reaches the case through the one door (`get_case_for_user`, so
every read is audited) and then asks the review's own checker (localreviews/policies.py): a person
who may not read the review is told it is not there (404)."""

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from cases.policies import CaseAction, get_case_for_user
from clocks.models import Clock
from core.http import serves
from localreviews.clock_rules import SIX_MONTHS
from localreviews.forms import OpenForm
from localreviews.models import DecidedWhen, LocalReview, Notice, ReviewKind
from localreviews.policies import LocalReviewChecker
from localreviews.selectors import decision_to_open, requirements, review_on_page, task_list
from localreviews.services import LocalReviewError, local_review_open


def _load(
    request: AuthenticatedHttpRequest,
    reference: str,
    related: tuple[str, ...] = ("local_review", "local_review__terms"),
) -> tuple[Case, LocalReview, LocalReviewChecker]:
    case = get_case_for_user(request.user, reference, CaseAction.VIEW_RECORD, related=related)
    checker = LocalReviewChecker(request.user, case)
    review = review_on_page(case)
    if review is None or not checker.may_view:
        raise Http404("No local review on this case")
    return case, review, checker


REVIEW_PAGE_RELATED = ("local_review", "local_review__terms", "local_review__opened_by")


@serves("GET")
def review(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Where the review stands: what was decided, its 6 months, and what its plan asks, step by step."""
    # Who opened it is shown: read with the case, as is everything the task list can join.
    case, local_review, checker = _load(request, reference, related=(*REVIEW_PAGE_RELATED,))
    # The notices sent, read once for the task list and their letters.
    prefetch_related_objects([local_review], Prefetch("notices", queryset=Notice.objects.select_related("sent_by")))
    return render(
        request,
        "localreviews/review.html",
        {
            "case": case,
            "review": local_review,
            "checker": checker,
            "tasks": task_list(local_review, checker),
            "notices": list(local_review.notices.all()),
            "requirements": requirements(local_review),
            "clock": Clock.objects.filter(case=case, rule=SIX_MONTHS).order_by("-id").first(),
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def open_review(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator opens the local review the partners decided on."""
    case = get_case_for_user(request.user, reference, CaseAction.RUN_LOCAL_REVIEW, related=("local_review",))
    if review_on_page(case) is not None:
        return redirect("localreviews:review", reference)
    decision = decision_to_open(case)
    initial = {
        "version": case.version,
        "kind": decision.kind,
        "alternative_type": decision.alternative_type,
        "decided_when": DecidedWhen.RAPID_REVIEW if decision.kind else "",
        "decided_on": decision.decided_on,
        "rationale": decision.rationale,
    }
    form = OpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            local_review_open(
                case=case,
                actor=request.user,
                kind=ReviewKind(data["kind"]),
                alternative_type=data["alternative_type"],
                decided_on=data["decided_on"],
                decided_when=DecidedWhen(data["decided_when"]),
                rationale=data["rationale"],
                expected_version=data["version"],
                started_on=decision.started_on,
            )
        except LocalReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The local review is open. Its 6 months run from the date of the decision.")
            return redirect("localreviews:review", reference)
    return render(
        request,
        "localreviews/open.html",
        {"case": case, "form": form, "decision": decision, "nav": "cases"},
    )
