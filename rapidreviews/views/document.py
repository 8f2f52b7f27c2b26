from enum import StrEnum, nonmember
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from core.task_recovery import LOST_EXCEPTION, tasks_recover, worker_is_gone
from documents.models import Document
from rapidreviews.jobs import document_generate_job
from rapidreviews.models import RapidReview, SummaryStatus
from rapidreviews.selectors import requests_for
from rapidreviews.services.document import FORMATS, WHAT, DocumentWaits, document_generate, document_versions
from rapidreviews.services.meeting_state import meeting_wait
from rapidreviews.services.signoff_state import sign_off_state
from rapidreviews.views.common import base_context, load_staff

DOCUMENT_STATUSES = {SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED}  # as rendering.document_context takes them


class PdfStatus(StrEnum):
    """Where the PDF a person asked for is, for the page and its polling script ("" when none)."""

    do_not_call_in_templates = nonmember(True)

    NONE = ""
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


def _pdf_job(request: AuthenticatedHttpRequest, review_id: int) -> dict[str, Any]:
    """Where the PDF this person asked for (its job in the page's address, `?pdf=`) is: status
    "running", "ready" (with the new version's address and title when known), "failed", or ""
    (none asked, or not theirs), with "interrupted" when a worker stopped while making it (it is
    being made again, or, after too many tries, it failed). Nothing is kept in the session: the
    page polls, and a poll that saved the session could write an older one over a newer one."""
    result_id = request.GET.get("pdf", "")[:64]
    if not result_id:
        return {"status": PdfStatus.NONE}
    try:
        result = document_generate_job.get_result(result_id)
    except (NotImplementedError, TaskResultDoesNotExist):
        return {"status": PdfStatus.READY}  # a backend that runs tasks at once (the tests) keeps no result
    if list(result.args[:2]) != [review_id, request.user.pk]:
        return {"status": PdfStatus.NONE}
    workers = list(getattr(result, "worker_ids", None) or [])
    if result.status == TaskResultStatus.RUNNING and workers and worker_is_gone(workers[-1]):
        # Its worker stopped (and has not been started again to notice): back to the queue now.
        recovered = tasks_recover(job_id=str(result.id))
        if recovered.failed:
            return {"status": PdfStatus.FAILED, "interrupted": True}
        return {"status": PdfStatus.RUNNING, "interrupted": True}
    if result.status == TaskResultStatus.FAILED:
        lost = any(error.exception_class_path == LOST_EXCEPTION for error in getattr(result, "errors", []))
        return {"status": PdfStatus.FAILED, "interrupted": True} if lost else {"status": PdfStatus.FAILED}
    if not result.is_finished:
        # Claimed before and waiting again, or claimed a second time: an earlier attempt was cut off.
        again = len(workers) > 1 or (result.status == TaskResultStatus.READY and len(workers) == 1)
        return {"status": PdfStatus.RUNNING, "interrupted": True} if again else {"status": PdfStatus.RUNNING}
    document = Document.objects.filter(pk=result.return_value).first()
    if document is None:
        return {"status": PdfStatus.READY}
    url = reverse("documents:download", args=[document.case.reference, document.pk])
    return {"status": PdfStatus.READY, "url": url, "title": document.title}


@serves("GET")
def document_status(request: AuthenticatedHttpRequest, reference: str) -> JsonResponse:
    """For the document page's script: is the PDF this person asked for ready yet?"""
    _case, review = load_staff(request, reference)
    return JsonResponse(_pdf_job(request, review.pk))


@serves("GET")
def document_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference)
    pdf = _pdf_job(request, review.pk)
    requests = list(requests_for(review))
    return render(
        request,
        "rapidreviews/document.html",
        base_context(
            case,
            review,
            versions=_labelled(review, document_versions(review)),
            pdf=pdf,
            PdfStatus=PdfStatus,
            pdf_job=request.GET.get("pdf", "")[:64],
            waits=meeting_wait(review, WHAT),
            included=[r for r in requests if r.agency_summary.status in DOCUMENT_STATUSES],
            not_included=[r for r in requests if r.agency_summary.status not in DOCUMENT_STATUSES],
        ),
    )


def _labelled(review: RapidReview, versions: list[Document]) -> list[dict[str, Any]]:
    """Each version with what it was: a draft (made before the three partners had approved), signed
    off, from before the decision last changed, and which of each format went to the Panel."""
    state = sign_off_state(review)
    approved_at = max((step.at for step in state.latest.values()), default=None) if state.complete else None
    sent: set[int] = set()
    if review.submitted_at:
        for fmt in ("(DOCX)", "(PDF)"):
            before = [d for d in versions if fmt in d.title and d.created_at <= review.submitted_at]
            if before:
                sent.add(max(before, key=lambda d: (d.created_at, d.pk)).pk)
    rows = []
    for d in versions:
        if review.decided_at and d.created_at < review.decided_at:
            label, colour = "Out of date", "grey"  # made before the decision was (last) made
        elif approved_at and d.created_at >= approved_at:
            label, colour = "Signed off", "green"
        else:
            label, colour = "Draft", "yellow"
        rows.append({"d": d, "label": label, "colour": colour, "sent": d.pk in sent})
    return rows


@serves("POST")
def document_create(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator, and the partners and scrutineer who must read it before they sign off."""
    _case, review = load_staff(request, reference)
    fmt = request.POST.get("format", "")
    if meeting_wait(review, WHAT):
        return redirect("rapidreviews:document", reference)  # the page says why it waits
    if fmt == "pdf":
        result = document_generate_job.enqueue(review.pk, int(request.user.pk or 0), "pdf")
        return redirect(f"{reverse('rapidreviews:document', args=[reference])}?{urlencode({'pdf': result.id})}")
    if fmt in FORMATS:
        before = {d.pk for d in document_versions(review)}
        try:
            document = document_generate(review=review, actor=request.user, fmt=fmt)
        except DocumentWaits:
            return redirect("rapidreviews:document", reference)
        if document.pk in before:
            messages.success(request, f"No changes since {document.title}: it is the latest version.")
        else:
            messages.success(request, f"Generated: {document.title}")
    return redirect("rapidreviews:document", reference)
