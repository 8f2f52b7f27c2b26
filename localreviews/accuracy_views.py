"""The factual accuracy round's pages: the rounds, sending a version to agencies, the round's draft
with its comments by section, commenting and replying, changing a comment, the reviewer's decision
and closing the round.

Each reaches the case through the one door (get_case_for_user, so every read of the draft is
audited) and then the review's checker: the review's readers and the leads of the agencies a round
went to read it; anyone else is told it is not there (404). An agency's lead reads its own agency's
comments only: another agency's thread is not there for them (404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from cases.policies import CaseAction, get_case_for_user
from core.forms.versioned import STALE_VERSION
from core.http import serves
from localreviews.accuracy_forms import CloseForm, CommentEditForm, CommentForm, DecisionForm, SendForm
from localreviews.accuracy_models import AccuracyComment, AccuracyRound, Decision, RoundStatus
from localreviews.accuracy_services import (
    STALE,
    AccuracyError,
    accuracy_agencies,
    accuracy_deadline,
    comment_add,
    comment_decide,
    comment_edit,
    open_round,
    round_close,
    round_send,
    sections_for,
)
from localreviews.accuracy_workflow import unanswered
from localreviews.models import LocalReview
from localreviews.policies import LocalReviewChecker
from localreviews.report_models import ReportSection, ReportVersion
from localreviews.selectors import review_on_page


def _case(request: AuthenticatedHttpRequest, reference: str) -> tuple[Case, LocalReview, LocalReviewChecker]:
    """The case through the door, its review, and the checker: 404 when there is no review."""
    case = get_case_for_user(request.user, reference, CaseAction.VIEW_RECORD, related=("local_review",))
    review = review_on_page(case)
    if review is None:
        raise Http404("No local review on this case")
    return case, review, LocalReviewChecker(request.user, case)


def _round(
    request: AuthenticatedHttpRequest, reference: str, pk: int
) -> tuple[Case, LocalReview, LocalReviewChecker, AccuracyRound, set[int]]:
    case, review, checker = _case(request, reference)
    accuracy_round = get_object_or_404(
        AccuracyRound.objects.select_related("report_version", "sent_by").prefetch_related("agencies"),
        pk=pk,
        review=review,
    )
    accuracy_round.review = review
    agency_ids = {a.pk for a in accuracy_round.agencies.all()}
    if not checker.may_read_round(agency_ids):
        raise Http404("No such round")
    return case, review, checker, accuracy_round, agency_ids


def _comment(
    request: AuthenticatedHttpRequest, reference: str, pk: int
) -> tuple[Case, LocalReview, LocalReviewChecker, AccuracyComment]:
    case, review, checker = _case(request, reference)
    comment = get_object_or_404(
        AccuracyComment.objects.select_related("round__report_version", "parent", "agency", "author"),
        pk=pk,
        round__review=review,
    )
    comment.round.review = review
    first = comment.parent or comment
    if not checker.may_read_thread(first.agency_id, first.replied_at is not None):
        raise Http404("No such comment")
    return case, review, checker, comment


@serves("GET")
def rounds(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Every round the person may read; for the reviewer and coordinator, the way to send one."""
    case, review, checker = _case(request, reference)
    found = list(
        AccuracyRound.objects.filter(review=review).select_related("report_version").prefetch_related("agencies")
    )
    if not checker.may_view:
        found = [r for r in found if checker.commenting_agencies({a.pk for a in r.agencies.all()})]
        if not found:
            raise Http404("No round for this person")
    return render(
        request,
        "localreviews/accuracy.html",
        {
            "case": case,
            "review": review,
            "rounds": found,
            "may_send": checker.may_answer_accuracy,
            "open_round": next((r for r in found if r.status == RoundStatus.OPEN), None),
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def send(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The reviewer (or coordinator) sends a kept version to agencies: the deadline is 10 working
    days from today, shown before it is sent."""
    case, review, checker = _case(request, reference)
    if not checker.may_view:
        raise Http404("No local review on this case")
    if not checker.may_answer_accuracy:
        raise PermissionDenied("Only the reviewer or the coordinator sends the draft to agencies")
    versions = list(ReportVersion.objects.filter(review=review).order_by("-number"))
    agencies = accuracy_agencies(case)
    already = open_round(review)
    form = SendForm(
        request.POST or None,
        versions=[(v.pk, f"{v} (kept {timezone.localtime(v.created_at):%-d %B %Y})") for v in versions],
        agencies=[(a.pk, a.name) for a in agencies],
        initial={"report_version": str(versions[0].pk) if versions else "", "agencies": [str(a.pk) for a in agencies]},
    )
    if request.method == "POST" and already is None and versions and form.is_valid():
        data = form.cleaned_data
        chosen = next(v for v in versions if str(v.pk) == data["report_version"])
        try:
            accuracy_round = round_send(
                review=review,
                actor=request.user,
                report_version=chosen,
                agency_ids=[int(pk) for pk in data["agencies"]],
                message=data["message"],
            )
        except AccuracyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Sent to the agencies. Their comments are due by {accuracy_round.deadline:%-d %B %Y}."
            )
            return redirect("localreviews:accuracy_round", reference, accuracy_round.pk)
    return render(
        request,
        "localreviews/accuracy_send.html",
        {
            "case": case,
            "review": review,
            "form": form,
            "versions": versions,
            "already": already,
            "deadline": accuracy_deadline(case, timezone.localdate()),
            "nav": "cases",
        },
    )


@serves("GET")
def round_page(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    """The version by section, each with the comments this person may read."""
    case, review, checker, accuracy_round, agency_ids = _round(request, reference, pk)
    is_open = accuracy_round.status == RoundStatus.OPEN
    commenting = checker.commenting_agencies(agency_ids)
    return render(
        request,
        "localreviews/accuracy_round.html",
        {
            "case": case,
            "review": review,
            "round": accuracy_round,
            "sections": sections_for(accuracy_round, checker),
            "agencies": list(accuracy_round.agencies.all()),
            "may_comment": is_open and bool(commenting) and timezone.localdate() <= accuracy_round.deadline,
            "may_answer": is_open and checker.may_answer_accuracy,
            "blocked": unanswered(accuracy_round) if is_open and checker.may_answer_accuracy else None,
            "close_form": CloseForm(initial={"version": accuracy_round.version}),
            "user_id": request.user.pk,
            "RoundStatus": RoundStatus,
            "Decision": Decision,
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def comment(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    """An agency's lead comments on a section (?section=), or someone replies in a thread (?reply=)."""
    case, review, checker, accuracy_round, agency_ids = _round(request, reference, pk)
    parent = None
    reply_to = request.GET.get("reply", "")
    if reply_to:
        if not reply_to.isdigit():
            raise Http404("No such comment")
        parent = get_object_or_404(
            AccuracyComment.objects.select_related("author", "agency"), pk=int(reply_to), round=accuracy_round
        )
        if parent.parent_id is not None:
            raise Http404("Reply to the thread's first comment")
        if not checker.may_read_thread(parent.agency_id, parent.replied_at is not None):
            raise Http404("No such comment")
        if not (checker.may_answer_accuracy or checker.may_comment(parent.agency_id, agency_ids)):
            raise PermissionDenied("Only the agency's leads, the reviewer and the coordinator reply")
    commenting = sorted(
        (a.pk, a.name) for a in accuracy_round.agencies.all() if a.pk in checker.commenting_agencies(agency_ids)
    )
    if parent is None and not commenting:
        raise PermissionDenied("Only the safeguarding leads of the agencies the draft went to comment on it")
    section = request.GET.get("section", "")
    form = CommentForm(
        request.POST or None,
        agencies=commenting,
        reply=parent is not None,
        initial={"section": section if section in ReportSection.values else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            comment_add(
                accuracy_round=accuracy_round,
                actor=request.user,
                section=data.get("section", ""),
                text=data["text"],
                agency_id=int(data["agency"]) if data.get("agency") else None,
                parent=parent,
            )
        except AccuracyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your reply is saved." if parent else "Your comment is saved.")
            return redirect("localreviews:accuracy_round", reference, accuracy_round.pk)
    chosen = parent.section if parent is not None else (section if section in ReportSection.values else "")
    return render(
        request,
        "localreviews/accuracy_comment.html",
        {
            "case": case,
            "review": review,
            "round": accuracy_round,
            "form": form,
            "parent": parent,
            "section_label": ReportSection(chosen).label if chosen else "",
            "section_text": (accuracy_round.report_version.sections or {}).get(chosen, "") if chosen else "",
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def comment_change(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    """Its author changes a comment the reviewer has not answered (version-checked)."""
    case, review, _checker, found = _comment(request, reference, pk)
    if found.author_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote a comment changes it")
    form = CommentEditForm(request.POST or None, initial={"version": found.version, "text": found.text})
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit(
                comment=found,
                actor=request.user,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except AccuracyError as error:
            form.add_error(None, STALE_VERSION if str(error) == STALE else str(error))
        else:
            messages.success(request, "Your comment is changed.")
            return redirect("localreviews:accuracy_round", reference, found.round_id)
    return render(
        request,
        "localreviews/accuracy_comment_edit.html",
        {"case": case, "review": review, "comment": found, "round": found.round, "form": form, "nav": "cases"},
    )


@serves("GET", "POST")
def decide(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    """The reviewer accepts or declines an agency's comment, with a reason to decline."""
    case, review, checker, found = _comment(request, reference, pk)
    if not checker.may_answer_accuracy:
        raise PermissionDenied("Only the reviewer or the coordinator answers the agencies' comments")
    if found.by_review:
        raise Http404("Only an agency's comments are accepted or declined")
    initial = {"version": found.version, "decision": "" if found.decision == Decision.PENDING else found.decision}
    form = DecisionForm(request.POST or None, initial={**initial, "reason": found.reason})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            comment_decide(
                comment=found,
                actor=request.user,
                decision=Decision(data["decision"]),
                reason=data["reason"],
                expected_version=data["version"],
            )
        except AccuracyError as error:
            form.add_error(None, STALE_VERSION if str(error) == STALE else str(error))
        else:
            messages.success(request, f"The comment is {Decision(data['decision']).label.lower()}.")
            return redirect("localreviews:accuracy_round", reference, found.round_id)
    return render(
        request,
        "localreviews/accuracy_decide.html",
        {"case": case, "review": review, "comment": found, "round": found.round, "form": form, "nav": "cases"},
    )


@serves("POST")
def close(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    _c, _review, checker, accuracy_round, _ids = _round(request, reference, pk)
    if not checker.may_answer_accuracy:
        raise PermissionDenied("Only the reviewer or the coordinator closes the round")
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Someone else changed the round. Check it and try again.")
        return redirect("localreviews:accuracy_round", reference, pk)
    try:
        round_close(accuracy_round=accuracy_round, actor=request.user, expected_version=form.cleaned_data["version"])
    except AccuracyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The factual accuracy round is closed.")
    return redirect("localreviews:accuracy_round", reference, pk)
