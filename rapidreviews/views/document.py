from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rapidreviews.jobs import document_generate_job
from rapidreviews.models import ReturnStatus
from rapidreviews.selectors import requests_for
from rapidreviews.services.document import FORMATS, document_generate, document_versions
from rapidreviews.views.common import base_context, load_staff

DOCUMENT_STATUSES = {ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED}  # as rendering.document_context takes them


def document_page(request: HttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference, page="rapid review document")
    requests = list(requests_for(review))
    return render(
        request,
        "rapidreviews/document.html",
        base_context(
            case,
            review,
            versions=document_versions(review),
            can_generate=True,
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
            transaction.on_commit(lambda: document_generate_job.enqueue(review_id, actor_id, "pdf"))
            messages.success(
                request, "The PDF is being generated. It will be listed here in a minute: refresh the page."
            )
        elif fmt in FORMATS:
            before = {d.pk for d in document_versions(review)}
            document = document_generate(review=review, actor=request.user, fmt=fmt)
            if document.pk in before:
                messages.success(request, f"No changes since {document.title}: it is the latest version.")
            else:
                messages.success(request, f"Generated: {document.title}")
    return redirect("rapidreviews:document", reference)
