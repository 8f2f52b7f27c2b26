from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import CaseState
from core.http import serves
from rapidreviews.forms.signoff import CommentForm, SignOffForm
from rapidreviews.models import SignOffDecision
from rapidreviews.policies import ReviewChecker
from rapidreviews.rendering.document import document_context
from rapidreviews.services.meeting_state import meeting_wait
from rapidreviews.services.signoff import SignOffError, sign_off_record
from rapidreviews.services.signoff_state import sign_off_state
from rapidreviews.views.common import base_context, load_staff


@serves("GET", "POST")
def sign_off(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference)
    checker = ReviewChecker(request.user, case)
    delegate_role, comment_role = checker.signs_off_as, checker.comments_as
    form: SignOffForm | CommentForm | None = None
    if delegate_role is not None:
        form = SignOffForm(request.POST or None)
    elif comment_role is not None:
        form = CommentForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        role = delegate_role or comment_role
        assert role is not None
        decision = SignOffDecision(form.cleaned_data.get("decision") or SignOffDecision.COMMENT)
        try:
            sign_off_record(
                review=review, actor=request.user, role=role, decision=decision, comments=form.cleaned_data["comments"]
            )
        except SignOffError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Recorded: {decision.label.lower()}")
            return redirect("rapidreviews:sign_off", reference)
    state = sign_off_state(review)
    partners = [{"role": role.label, "step": step} for role, step in state.by_partner]
    # Until the meeting is held, the partners are told when there will be something to sign off.
    waits = meeting_wait(review, "Sign-off") if case.state == CaseState.RAPID_REVIEW else None
    open_for_sign_off = bool(review.decision) and case.state == CaseState.RAPID_REVIEW and not waits
    mine = state.latest.get(delegate_role) if delegate_role else None
    return render(
        request,
        "rapidreviews/sign_off.html",
        base_context(
            case,
            review,
            form=form if open_for_sign_off or (form is not None and form.errors) else None,
            waits=waits,
            state=state,
            awaiting=[r.label for r in state.awaiting_comments],
            partners=partners,
            delegate_role=delegate_role,
            approved=mine if mine is not None and mine.decision == SignOffDecision.APPROVED else None,
            # What the partners approve is what the document says: the same context, on screen.
            draft=document_context(review) if review.decision else None,
        ),
    )
