import secrets

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from audit.models import Verb
from audit.services import audit_record
from cases.policies import CaseAction, get_case_for_user
from core.http import serves
from core.uploads import UploadRejected
from documents.forms import UploadForm
from documents.policies import get_document_for_user
from documents.services import document_open, document_upload


@serves("GET", "POST")
def upload(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.UPLOAD_DOCUMENT)
    form = UploadForm(request.POST or None, request.FILES or None, initial={"token": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid():
        try:
            document = document_upload(
                case=case,
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                token=form.cleaned_data["token"],
            )
        except UploadRejected as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"'{document.title}' added to the case.")
            return redirect("cases:detail", case.reference)
    return render(request, "documents/upload.html", {"form": form, "case": case})


@serves("GET")
def download(request: AuthenticatedHttpRequest, reference: str, pk: int) -> FileResponse:
    case, document = get_document_for_user(request.user, reference, pk)
    audit_record(actor=request.user, verb=Verb.DOWNLOAD, target=document, case=case)
    response = FileResponse(
        document_open(document), as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
