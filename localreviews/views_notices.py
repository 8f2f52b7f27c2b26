"""The coordinator's page for each notice to the national bodies: the addresses, the letter drafted
from the record, the date sent. Reached through the review's door (views._load): 404 for those who
may not read the review, 403 for a reader who does not run it."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from localreviews import notice_letter
from localreviews.forms_notices import NoticeForm
from localreviews.models import NoticeKind
from localreviews.services_notices import (
    TO_WORDS,
    NoticeError,
    addresses_to_offer,
    bodies_for,
    commissioned_on,
    notice_send,
    refusal,
)
from localreviews.views import _load


@serves("GET", "POST")
def notice(request: AuthenticatedHttpRequest, reference: str, kind: str) -> HttpResponse:
    if kind not in NoticeKind.values:
        raise Http404("No such notice")
    case, review, checker = _load(request, reference)
    if not checker.may_run:
        raise PermissionDenied
    notice_kind = NoticeKind(kind)
    notices = list(review.notices.select_related("sent_by"))
    sent = [n for n in notices if n.kind == notice_kind]
    reviewers = list(review.reviewers.all()) if notice_kind == NoticeKind.REVIEWER else []
    delays = list(review.delays.all()) if notice_kind == NoticeKind.DELAY else []
    refused = refusal(notice_kind, reviewers, delays)
    form = None
    if refused is None:
        initial = {
            "token": secrets.token_urlsafe(16),
            **addresses_to_offer(review, notices),
            "letter": notice_letter.draft(
                review,
                notice_kind,
                request.user,
                reviewers=reviewers,
                commissioned_on=commissioned_on(notices),
                delays=delays,
            ),
            "sent_on": timezone.localdate(),
        }
        form = NoticeForm(request.POST or None, initial=initial, bodies=bodies_for(notice_kind))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                _, now = notice_send(
                    review=review,
                    kind=notice_kind,
                    actor=request.user,
                    recipients=form.recipients(),
                    letter=data["letter"],
                    sent_on=data["sent_on"],
                    token=data.get("token") or "",
                )
            except NoticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"The notice was sent to {TO_WORDS[notice_kind]}, and its letter is kept on the case"
                    if now
                    else "This notice was sent already: it has not been sent twice",
                )
                return redirect("localreviews:review", reference)
    return render(
        request,
        "localreviews/notice.html",
        {
            "case": case,
            "review": review,
            "kind": notice_kind,
            "form": form,
            "refused": refused,
            "sent": sent,
            "to_words": TO_WORDS[notice_kind],
            "nav": "cases",
        },
    )
