"""The rapid review document, from the record: DOCX through the Word template, tagged PDF through
an HTML template. Both follow the headings of domain.md §2.3 and start with a covering letter."""

import io
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from docxtpl import DocxTemplate, Listing

from accounts.roles import DELEGATE_ROLES
from cases.models import Case, CaseState, StateChange
from documents.rendering.pdf import render_pdf_parts
from rapidreviews.chronology import duplicate_checks_for, entries_for_document, merge
from rapidreviews.models import OUTSTANDING_STATUSES, Meeting, RapidReview, SignOffDecision, SummaryStatus
from rapidreviews.rendering.build_template import TEMPLATE
from rapidreviews.rendering.docx_files import stamp, steady
from rapidreviews.selectors import member_labels
from rapidreviews.services.signoff_state import sign_off_state
from referrals.models import Referral, SeriousIncidentNotification

TEXT_FIELDS = (
    "involvement_summary",
    "lived_experience",
    "inequalities",
    "immediate_actions",
    "learning",
    "parallel_processes",
)


def _d(value: Any, fmt: str = "%-d %B %Y") -> str:
    return value.strftime(fmt) if value else "Not recorded"


def _age(child: Any, on: date | None) -> str:
    """The child's age on the day of the incident, in months under 2 (a baby's age in years says
    little), as the case identifiers of domain.md §2.3 ask ("date of birth or age")."""
    if child is None:
        return "Not recorded"
    if child.is_unborn:
        return "Unborn"
    born = child.date_of_birth
    if born is None or on is None or on < born:
        return "Not recorded"
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    if months < 24:
        return f"{months} month{'' if months == 1 else 's'}"
    return f"{months // 12} years"


def _identifiers(case: Case) -> dict[str, str]:
    """The SIN (its date and Panel reference), the incident's date, the day the local authority
    became aware and the child's age, from the referral and notification behind the case."""
    referral = Referral.objects.filter(case=case).first()
    notification = (
        SeriousIncidentNotification.objects.filter(case=case, to_panel=True).prefetch_related("children").first()
    )
    sin_at: datetime | None
    if notification is not None:
        sin_at = notification.submitted_at
    else:
        change = StateChange.objects.filter(case=case, to_state=CaseState.NOTIFIED).order_by("-at").first()
        sin_at = change.at if change else None
    incident = referral.incident_date if referral else None
    children = list(notification.children.all()) if notification else []
    if not children and referral is not None:
        children = referral.children_list()[:1]
    return {
        "notified_on": _d(timezone.localtime(sin_at)) if sin_at else "Not recorded",
        "sin_reference": notification.panel_reference if notification else "Not recorded",
        "incident_date": _d(incident),
        "la_aware_on": _d(referral.la_aware_on if referral else None),
        "child_age": "; ".join(_age(c, incident) for c in children) if children else "Not recorded",
    }


def document_context(review: RapidReview) -> dict[str, Any]:
    """Plain strings and lists, the same for both formats."""
    case = review.case
    meeting = Meeting.objects.filter(review=review).first()
    returns = []
    for request in (
        review.requests.filter(agency_summary__status__in=[SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED])
        .select_related("agency", "agency_summary")
        .prefetch_related("agency_summary__episodes")
    ):
        r = request.agency_summary
        start, end = r.period_start, r.period_end
        returns.append(
            {
                "agency": request.agency.name,
                "period": f"{_d(start)} to {_d(end)}" if start and end else "Not recorded",
                **{f: getattr(r, f) or "None recorded" for f in TEXT_FIELDS},
                "episodes": [
                    {
                        "title": e.title,
                        "date": _d(e.date),
                        "went_well": e.went_well or "Nothing recorded",
                        "could_differ": e.could_differ or "Nothing recorded",
                    }
                    for e in r.episodes.all()
                ],
            }
        )
    # Agencies asked whose summary is not in the document: still to come, or the review went without it.
    not_received = list(
        review.requests.filter(agency_summary__status__in=[*OUTSTANDING_STATUSES, SummaryStatus.CLOSED])
        .order_by("agency__name")
        .values_list("agency__name", flat=True)
    )
    state = sign_off_state(review)
    signatures = []
    for role in DELEGATE_ROLES:
        step = state.latest.get(role)
        signatures.append(
            {
                "role": role.label,
                "name": step.actor.display_name if step else "Not yet signed",
                "decision": step.get_decision_display() if step else "",
                "date": _d(timezone.localtime(step.at)) if step else "",
            }
        )
    chronology = merge(entries_for_document(review), review.gap_days, duplicate_checks_for(review))
    today = timezone.localdate()
    # Written from what happened: held only once the coordinator has recorded it so (the document
    # cannot be generated before then; this says so wherever the context is shown earlier).
    if meeting is not None and meeting.held_on is not None:
        meeting_sentence = f"The rapid review meeting was held on {_d(meeting.held_on)}."
    else:
        meeting_sentence = "The rapid review meeting has not been held yet."
    meeting_date = "Not held yet"
    if meeting is not None and meeting.held_on is not None:
        meeting_date = _d(meeting.held_on)
        if meeting.held_on != meeting.date:
            meeting_date += f" (planned for {_d(meeting.date)})"
    elif meeting is not None:
        meeting_date = f"Not held yet (planned for {_d(meeting.date)})"
    decision = review.get_decision_display() or "Not yet decided"
    if review.alternative_review_type:
        decision += f" ({review.alternative_review_type})"
    return {
        "partnership": case.partnership.name,
        "local_authority": case.partnership.local_authority_name,
        "reference": case.reference,
        "title": case.title,
        "today": _d(today),
        **_identifiers(case),
        "meeting_date": meeting_date,
        "meeting_time": f"{meeting.start_time:%H:%M}, for {meeting.duration_minutes} minutes" if meeting else "",
        "meeting_place": "; ".join(x for x in (meeting.place, meeting.online_link) if x) if meeting else "",
        "meeting_members": "; ".join(member_labels(review)) if meeting else "",
        "sent_on": _d(timezone.localtime(review.submitted_at)) if review.submitted_at else "Not sent yet",
        "incident_summary": review.incident_summary or "Not recorded",
        "family_context": review.family_context or "Not recorded",
        "family_informed": review.family_informed or "Not recorded",
        "facts_agreed": review.facts_agreed or "Not recorded",
        "learning": review.learning or "Not recorded",
        "decision": decision,
        "decision_rationale": review.decision_rationale or "Not recorded",
        "decided_on": _d(timezone.localtime(review.decided_at)) if review.decided_at else "Not yet decided",
        "themes": ", ".join(review.theme_labels()) or "None tagged",
        "criteria": [
            {"label": c.get_criterion_display(), "answer": c.get_answer_display(), "notes": c.notes}
            for c in review.criteria.all()
        ],
        "actions": [
            {
                "description": a.description,
                "owner": a.owner,
                "due": _d(a.due),
                "status": a.get_status_display(),
                "evidence": a.evidence,
            }
            for a in review.actions.all()
        ],
        "returns": returns,
        "not_received": ", ".join(not_received),
        "missing_reason": review.missing_summaries_reason,
        "signatures": signatures,
        "signed": [s for s in signatures if s["decision"] == SignOffDecision.APPROVED.label],
        "meeting_sentence": meeting_sentence,
        "draft_notice": ""
        if state.complete
        else "DRAFT: approved by the three safeguarding partners; sign-off is open for the comments of the "
        "independent scrutineer and the chair. Do not send to the Panel."
        if state.approved_by_all
        else "DRAFT: not yet signed off by the three safeguarding partners. Do not send to the Panel.",
        "chronology": [
            {
                "date": f"{row.entry.date:%d/%m/%Y}" + (f" {row.entry.time:%H:%M}" if row.entry.time else ""),
                "agency": row.agency + (f" (the same event, also recorded by {row.same_text})" if row.same_as else ""),
                "what_happened": row.entry.what_happened,
                "source": row.entry.source,
                "significance": row.entry.significance,
            }
            for row in chronology.rows
        ],
        "national_review": review.national_review,
    }


def _listings(value: Any) -> Any:
    """Keeps line breaks of long text in Word (docxtpl's Listing escapes the text itself)."""
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, list):
        return [_listings(v) for v in value]
    if isinstance(value, dict):
        return {k: _listings(v) for k, v in value.items()}
    return value


def render_docx(context: dict[str, Any]) -> bytes:
    template = DocxTemplate(str(TEMPLATE))
    template.render(_listings(context), autoescape=True)
    stamp(
        template.docx,
        title=f"Rapid review, {context['reference']}",
        author=context["partnership"],
        subject="Rapid review for the Child Safeguarding Practice Review Panel",
        on=timezone.localdate(),
    )
    out = io.BytesIO()
    template.save(out)
    return steady(out.getvalue())


def render_document_pdf(context: dict[str, Any]) -> bytes:
    """The document, then its chronology annex: two parts laid out at the same time (rendering/pdf.py)."""
    context = {**context, "doc_title": f"Rapid review, {context['reference']}"}
    return render_pdf_parts(
        [("rapidreviews/pdf/document.html", context), ("rapidreviews/pdf/document_annex.html", context)]
    )
