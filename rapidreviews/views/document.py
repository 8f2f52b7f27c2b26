from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist

from rapidreviews.jobs import document_generate_job
from rapidreviews.models import ReturnStatus
from rapidreviews.selectors import requests_for
from rapidreviews.services.document import FORMATS, document_generate, document_versions
from rapidreviews.views.common import base_context, load_staff

DOCUMENT_STATUSES = {ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED}  # as rendering.document_context takes them


PENDING = "rr_pdf_jobs"  # session: {review id: task result id} of PDFs this person asked for


def _pdf_job(request: HttpRequest, review_id: int) -> str:
    """Where the PDF this person asked for is: "running", "ready", "failed", or "" (none asked)."""
    result_id = request.session.get(PENDING, {}).get(str(review_id))
    if not result_id:
        return ""
    try:
        result = document_generate_job.get_result(result_id)
    except (NotImplementedError, TaskResultDoesNotExist):
        return "ready"  # a backend that runs tasks at once (the tests) keeps no result to ask about
    if result.status == TaskResultStatus.FAILED:
        return "failed"
    return "ready" if result.is_finished else "running"


def _forget_pdf_job(request: HttpRequest, review_id: int) -> None:
    jobs = dict(request.session.get(PENDING, {}))
    if jobs.pop(str(review_id), None):
        request.session[PENDING] = jobs


def document_status(request: HttpRequest, reference: str) -> JsonResponse:
    """For the document page's script: is the PDF this person asked for ready yet?"""
    _case, review = load_staff(request, reference)
    return JsonResponse({"status": _pdf_job(request, review.pk)})


def document_page(request: HttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference, page="rapid review document")
    pdf = _pdf_job(request, review.pk)
    if pdf == "ready":
        _forget_pdf_job(request, review.pk)
        messages.success(request, "The PDF is ready: it is the newest version below.")
    elif pdf == "failed":
        _forget_pdf_job(request, review.pk)
        messages.error(request, "The PDF could not be generated. Try again; if it fails again, tell the business unit.")
    requests = list(requests_for(review))
    return render(
        request,
        "rapidreviews/document.html",
        base_context(
            case,
            review,
            versions=document_versions(review),
            can_generate=True,
            pdf_running=pdf == "running",
            included=[r for r in requests if r.agency_return.status in DOCUMENT_STATUSES],
            not_included=[r for r in requests if r.agency_return.status not in DOCUMENT_STATUSES],
        ),
    )


def document_create(request: HttpRequest, reference: str) -> HttpResponse:
    """The coordinator, and the partners and scrutineer who must read it before they sign off."""
    _case, review = load_staff(request, reference)
    if request.method == "POST":
        fmt = request.POST.get("format", "")
        if fmt == "pdf":
            review_id, actor_id = review.pk, int(request.user.pk or 0)
            session = request.session

            def enqueue() -> None:
                result = document_generate_job.enqueue(review_id, actor_id, "pdf")
                session[PENDING] = {**session.get(PENDING, {}), str(review_id): result.id}
                session.save()

            transaction.on_commit(enqueue)
        elif fmt in FORMATS:
            before = {d.pk for d in document_versions(review)}
            document = document_generate(review=review, actor=request.user, fmt=fmt)
            if document.pk in before:
                messages.success(request, f"No changes since {document.title}: it is the latest version.")
            else:
                messages.success(request, f"Generated: {document.title}")
    return redirect("rapidreviews:document", reference)
