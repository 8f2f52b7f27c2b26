"""The final report's pages: its sign-off (the coordinator puts a version forward, the partners
approve or ask for changes, the scrutineer and the chair comment), sending it ahead of publication
to the Panel and the Secretary of State, and the partners' publication decision. Each reaches the
case through the one door and the review's checker (localreviews/views._load): 404 for a person who
may not read the review, 403 for a reader who may not take the step."""

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from localreviews.models import LocalReviewStatus
from localreviews.plan import Requirement, requires
from localreviews.report_models import ReportVersion
from localreviews.services_notices import addresses_to_offer
from localreviews.signoff_documents import delay_draft, sent_ahead_draft
from localreviews.signoff_forms import FinalStepForm, PublicationForm, PutForwardForm, SendAheadForm
from localreviews.signoff_models import FinalDecision, Publication, SentWhat
from localreviews.signoff_services import (
    Deciding,
    Sending,
    SignOffError,
    earliest_publication_date,
    final_report_put_forward,
    final_report_step,
    latest_sent_ahead,
    publication_decide,
    send_ahead,
)
from localreviews.signoff_state import current_final, sign_off_state
from localreviews.signoff_workflow import while_writing
from localreviews.views import _load

SENDABLE = frozenset(
    {
        LocalReviewStatus.REPORT_APPROVED,
        LocalReviewStatus.SENT_AHEAD,
        LocalReviewStatus.PUBLICATION_PLANNED,
        LocalReviewStatus.IMPROVEMENTS_ONLY,
        LocalReviewStatus.PUBLICATION_DELAYED,
    }
)


def _versions(review: Any) -> list[ReportVersion]:
    return list(ReportVersion.objects.filter(review=review).select_related("created_by").order_by("-number"))


def _version_label(version: ReportVersion) -> str:
    return f"Draft {version.number}, kept {timezone.localtime(version.created_at):%-d %B %Y} by {version.created_by.display_name}"


@serves("GET", "POST")
def final_report(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Where the final report's sign-off stands, and a partner's, the scrutineer's or the chair's form."""
    case, review, checker = _load(request, reference)
    state = sign_off_state(review)
    by_partners = requires(review.kind, Requirement.REPORT_BY_PARTNERS)
    role = checker.report_sign_off_role if by_partners else None
    awaiting = review.status == LocalReviewStatus.REPORT_AWAITING_APPROVAL
    form = FinalStepForm(request.POST or None, commenting=checker.comments_on_report) if role is not None else None
    if request.method == "POST":
        if form is None or role is None:
            raise PermissionDenied("Only the partners' delegates, the scrutineer and the chair sign off the report")
        if form.is_valid():
            decision = FinalDecision(form.cleaned_data["decision"])
            try:
                final_report_step(
                    review=review,
                    actor=request.user,
                    role=role,
                    decision=decision,
                    comments=form.cleaned_data["comments"],
                )
            except SignOffError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Recorded: {decision.label.lower()}")
                return redirect("localreviews:final_report", reference)
    may_put_forward = checker.may_run and review.status in (while_writing() | {LocalReviewStatus.REPORT_APPROVED})
    versions = _versions(review) if may_put_forward else []
    put_forward = (
        PutForwardForm(
            initial={"version": review.version, "report_version": str(versions[0].pk) if versions else ""},
            versions=[(v.pk, _version_label(v)) for v in versions],
        )
        if may_put_forward and versions
        else None
    )
    mine = state.latest.get(role) if role is not None else None
    return render(
        request,
        "localreviews/final_report.html",
        {
            "case": case,
            "review": review,
            "state": state,
            "by_partners": by_partners,
            "partners": state.by_partner,
            "form": form if form is not None and (awaiting or form.errors) else None,
            "role_label": role.label if role is not None else "",
            "approved_mine": mine if mine is not None and mine.decision == FinalDecision.APPROVED else None,
            "put_forward": put_forward,
            "may_put_forward": may_put_forward,
            "approved": review.status in SENDABLE,
            "may_send": checker.may_run and review.status in SENDABLE,
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def final_report_put_forward_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator puts a kept version forward as the final report (GET: the same form, alone,
    for a page that came back with its errors)."""
    case, review, checker = _load(request, reference)
    if not checker.may_run:
        raise PermissionDenied("Only the coordinator puts the final report forward")
    versions = _versions(review)
    form = PutForwardForm(
        request.POST or None,
        initial={"version": review.version, "report_version": str(versions[0].pk) if versions else ""},
        versions=[(v.pk, _version_label(v)) for v in versions],
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(v for v in versions if str(v.pk) == form.cleaned_data["report_version"])
        try:
            final_report_put_forward(
                review=review,
                actor=request.user,
                version=chosen,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except SignOffError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Draft {chosen.number} is put forward as the final report: the three safeguarding partners approve it"
                if requires(review.kind, Requirement.REPORT_BY_PARTNERS)
                else f"Draft {chosen.number} is agreed as the final report",
            )
            return redirect("localreviews:final_report", reference)
    return render(
        request,
        "localreviews/final_report_put_forward.html",
        {"case": case, "review": review, "form": form, "versions": versions, "nav": "cases"},
    )


def _offered(review: Any) -> dict[str, str]:
    """The addresses the partnership's last notice went to (this review's among them), or the setting."""
    offered = addresses_to_offer(review, [])
    return {"panel": offered.get("panel", ""), "dfe": offered.get("dfe", "")}


@serves("GET", "POST")
def send_ahead_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator records sending the approved final report (or the improvements-only
    information) to the Panel and the Secretary of State."""
    case, review, checker = _load(request, reference)
    if not checker.may_run:
        raise PermissionDenied("Only the coordinator sends the final report ahead of publication")
    final = current_final(review)
    sent = list(review.sent_ahead.select_related("sent_by").order_by("created_at", "id"))
    refused = None if review.status in SENDABLE else "The final report has not been approved yet"
    form = None
    if refused is None and final is not None:
        today = timezone.localdate()

        def drafted(what: str, on: Any) -> str:
            assert final is not None
            return sent_ahead_draft(
                review, final, what, request.user, sent_on=on, earliest=earliest_publication_date(on)
            )

        first_draft = drafted(SentWhat.REPORT, today)
        initial = {
            "version": review.version,
            "token": secrets.token_urlsafe(16),
            "what": SentWhat.REPORT,
            **_offered(review),
            "letter": first_draft,
            "sent_on": today,
        }
        form = SendAheadForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            letter = data["letter"]
            if letter.strip() == first_draft.strip():
                # Left as drafted: drafted again for what was chosen and the day it was sent.
                letter = drafted(data["what"], data["sent_on"])
            try:
                record, now = send_ahead(
                    review=review,
                    actor=request.user,
                    sending=Sending(
                        what=SentWhat(data["what"]),
                        sent_on=data["sent_on"],
                        recipients=form.recipients(),
                        letter=letter,
                        improvements=data["improvements"],
                    ),
                    expected_version=data["version"],
                    token=data.get("token") or "",
                )
            except SignOffError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Recorded. The earliest publication date is {record.earliest_publication:%A %-d %B %Y}"
                    if now
                    else "This was recorded already: it has not been sent twice",
                )
                return redirect("localreviews:publication", reference)
    return render(
        request,
        "localreviews/send_ahead.html",
        {"case": case, "review": review, "form": form, "refused": refused, "sent": sent, "nav": "cases"},
    )


@serves("GET", "POST")
def publication(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The partners' publication decision, recorded by the coordinator: publish on a planned date
    (not before the earliest publication date), publish only the improvements, or delay."""
    case, review, checker = _load(request, reference)
    if not checker.may_run:
        raise PermissionDenied("Only the coordinator records the publication decision")
    sent = latest_sent_ahead(review)
    decisions = list(review.publication_decisions.select_related("decided_by").order_by("created_at", "id"))
    needs_sending = requires(review.kind, Requirement.SENT_AHEAD) and sent is None
    refused = None
    if review.status not in SENDABLE:
        refused = "The final report has not been approved yet"
    form = None
    if refused is None:
        initial = {
            "version": review.version,
            "token": secrets.token_urlsafe(16),
            **_offered(review),
            "decided_on": timezone.localdate(),
            "planned_on": sent.earliest_publication if sent is not None else None,
        }
        form = PublicationForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            decision = Publication(data["decision"])
            letter = data["letter"].strip()
            if decision == Publication.DELAY and not letter:
                letter = delay_draft(review, request.user, reasons=data["reasons"])
            try:
                publication_decide(
                    review=review,
                    actor=request.user,
                    deciding=Deciding(
                        decision=decision,
                        decided_on=data["decided_on"],
                        planned_on=data["planned_on"],
                        reasons=data["reasons"],
                        recipients=form.recipients(),
                        letter=letter,
                    ),
                    expected_version=data["version"],
                    token=data.get("token") or "",
                )
            except SignOffError as error:
                field = "planned_on" if str(error).startswith("The planned publication date") else None
                form.add_error(field, str(error))
            else:
                messages.success(request, f"Recorded: {decision.label.lower()}")
                return redirect("localreviews:review", reference)
    return render(
        request,
        "localreviews/publication.html",
        {
            "case": case,
            "review": review,
            "form": form,
            "refused": refused,
            "sent": sent,
            "needs_sending": needs_sending,
            "decisions": decisions,
            "nav": "cases",
        },
    )
