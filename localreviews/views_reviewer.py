"""The review's reviewers: who was appointed (read by those who read the review, the reviewer
included), the coordinator's page to appoint one, and the switch that shares the rapid review's
summaries and merged chronology with them."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from cases.policies import CaseAction, get_case_for_user
from core.http import serves
from localreviews.forms_reviewer import ReviewerForm
from localreviews.models import Employment, LocalReview
from localreviews.policies import LocalReviewChecker
from localreviews.selectors import review_on_page
from localreviews.services import LocalReviewError
from localreviews.services_reviewer import MAX_REVIEWERS, Appointment, rapid_review_share, reviewer_appoint
from rapidreviews.models import RapidReview

RELATED = ("local_review", "rapid_review__shared_with_local_review_by")


def _rapid_review(case: Case) -> RapidReview | None:
    try:
        return case.rapid_review  # type: ignore[no-any-return]  # read with the case
    except RapidReview.DoesNotExist:
        return None


def _load_to_run(request: AuthenticatedHttpRequest, reference: str) -> tuple[Case, LocalReview]:
    case = get_case_for_user(request.user, reference, CaseAction.RUN_LOCAL_REVIEW, related=RELATED)
    review = review_on_page(case)
    if review is None:
        raise Http404("No local review on this case")
    return case, review


@serves("GET")
def reviewers(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.VIEW_RECORD, related=RELATED)
    checker = LocalReviewChecker(request.user, case)
    review = review_on_page(case)
    if review is None or not checker.may_view:
        raise Http404("No local review on this case")
    appointed = list(review.reviewers.select_related("user", "appointed_by"))
    return render(
        request,
        "localreviews/reviewers.html",
        {
            "case": case,
            "review": review,
            "checker": checker,
            "reviewers": appointed,
            "room": len(appointed) < MAX_REVIEWERS,
            "rapid_review": _rapid_review(case),
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def appoint(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator appoints a reviewer; the first appointment moves the review on."""
    case, review = _load_to_run(request, reference)
    appointed = list(review.reviewers.all())
    form = ReviewerForm(request.POST or None, initial={"version": review.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reviewer = reviewer_appoint(
                review=review,
                actor=request.user,
                appointment=Appointment(
                    name=data["name"],
                    email=data["email"],
                    employment=Employment(data["employment"]),
                    organisation=data["organisation"],
                    agreement_starts=data["agreement_starts"],
                    agreement_ends=data["agreement_ends"],
                    independent_declared=data["independent_declared"],
                    independence_statement=data["independence_statement"],
                    conflicts=data["conflicts"],
                    appointed_on=data["appointed_on"],
                ),
                expected_version=data["version"],
            )
        except LocalReviewError as error:
            form.add_error(None, str(error))
        else:
            if reviewer.user_id:
                messages.success(request, f"{reviewer.name} is appointed. They can read this case's local review.")
            else:
                messages.success(
                    request,
                    f"{reviewer.name} is appointed and has been invited by email. "
                    "They can read this case's local review once they have set up their account.",
                )
            return redirect("localreviews:reviewers", reference)
    return render(
        request,
        "localreviews/appoint.html",
        {
            "case": case,
            "review": review,
            "form": form,
            "room": len(appointed) < MAX_REVIEWERS,
            "nav": "cases",
        },
    )


@serves("POST")
def share(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator shares the rapid review's summaries and merged chronology with the reviewer."""
    _case, review = _load_to_run(request, reference)
    try:
        rapid_review_share(review=review, actor=request.user)
    except LocalReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The rapid review's summaries and merged chronology are shared with the reviewer.")
    return redirect("localreviews:reviewers", reference)
