from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.policies import CaseAction, can
from cases.workflow_engine import ConcurrentChange, Effect, Step, TransitionError, Workflow, take
from clocks.models import ClockRule
from rapidreviews.integrations import Email, MessageKind, email_render, messages_send_to, step_met_quietly
from rapidreviews.models import (
    OUTSTANDING_STATUSES,
    AgencySummary,
    ChronologyEntry,
    InformationRequest,
    PracticeEpisode,
    SummaryEvent,
    SummaryStatus,
)
from rapidreviews.policies import lead_agency_ids
from rapidreviews.sections import RETURN_FIELDS, SECTIONS, completed_after, missing_sections
from rapidreviews.selectors import agency_leads
from rapidreviews.services.review import link


def leads_of(request: InformationRequest) -> list[Any]:
    """The named lead while they are still a lead of the agency, or else (for a lead invited by
    email, who has an account only once they accept, or one whose role ended) every active
    safeguarding lead of the agency."""
    current = agency_leads(request.review.case).filter(agency=request.agency)
    if request.lead is not None and current.filter(user=request.lead).exists():
        return [request.lead]
    return [m.user for m in current]


class SummaryConflict(Exception):
    """Someone else saved the summary first. The view keeps the typed text and says so."""

    message = (
        "This was changed elsewhere (by someone else, or by you in another tab) while you were editing it. "
        "Your text has not been saved: compare it with what is saved now, then save again to replace it."
    )


class SummaryStateError(Exception):
    pass


def section_version(agency_summary: AgencySummary, slug: str) -> int:
    return int((agency_summary.section_versions or {}).get(slug, 0))


def agency_summary_save(
    *,
    agency_summary: AgencySummary,
    actor: User,
    expected_version: int,
    fields: dict[str, Any],
    complete: bool = True,
    section: str | None = None,
    editor: str = "",
) -> None:
    """Saves answers of a draft. Refuses silently overwriting someone else's save: from a section's
    page (`section`), `expected_version` is that section's own version, so a save of another section
    in the meantime is no clash; without one, it is the whole summary's. `editor` names the open page:
    a save one version behind is that page overtaking itself (its autosave still in flight as it is
    left) when the page itself made the version it is behind by, and is taken; from anyone else it is
    a clash. `complete` is False for an autosave: the section is then in progress until the lead
    saves it."""
    if not agency_summary.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")
    changes = {k: v for k, v in fields.items() if k in RETURN_FIELDS}
    if not changes and not complete:
        return  # an autosave with nothing valid to keep changes nothing (and bumps no version)
    with transaction.atomic():
        # Read and write under the row's lock (IMMEDIATE transactions on SQLite), so two saves cannot
        # both pass the check.
        current = AgencySummary.objects.select_for_update().get(pk=agency_summary.pk)
        if not current.is_editable:
            raise SummaryStateError("This return has been submitted and cannot be changed")
        seen = section_version(current, section) if section else current.version
        own_last = bool(section and editor) and (current.section_editors or {}).get(section) == editor
        if seen != expected_version and not (own_last and expected_version == seen - 1):
            raise SummaryConflict(SummaryConflict.message)
        versions = dict(current.section_versions or {})
        editors = dict(current.section_editors or {})
        if section:
            editors[section] = editor
        for s in SECTIONS:
            if set(s.fields) & set(changes):
                versions[s.slug] = int(versions.get(s.slug, 0)) + 1
        draft_begin(current, actor)
        AgencySummary.objects.filter(pk=current.pk).update(
            **changes,
            completed_sections=completed_after(current, changes, complete=complete),
            section_versions=versions,
            section_editors=editors,
            version=current.version + 1,
            updated_by=actor,
            updated_at=timezone.now(),
        )
        agency_summary.refresh_from_db()
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=agency_summary,
            case=agency_summary.request.review.case,
            details={
                "summary": f"Draft summary {'saved' if complete else 'autosaved'} ({agency_summary.agency})",
                "fields": sorted(changes),
                "agency_id": agency_summary.request.agency_id,
                "autosave": not complete,
            },
        )


def _item_save[Item: (ChronologyEntry, PracticeEpisode)](
    model: type[Item],
    agency_summary: AgencySummary,
    actor: User,
    item: Item | None,
    expected_version: int,
    values: dict[str, Any],
    noun: str,
    token: str = "",
) -> Item:
    """Adds one item of a summary's list (a chronology entry, a key practice episode), or changes it
    if its version still matches; the summary becomes a draft; audited. The same "add" sent twice
    gives the item it added the first time: by its form's `token` (a double click), or by the same
    words added moments ago (Back, then Save: the browser fetches the form again, with a new token,
    and refills only what was typed)."""
    with transaction.atomic():
        lock_open(agency_summary)  # one change at a time, and never to a summary sent meanwhile
        if item is None:
            earlier = duplicate_add(model, agency_summary, token, values)
            if earlier is not None and all(getattr(earlier, k) == v for k, v in values.items()):
                return earlier
            if earlier is not None:
                # The same form sent again with its answers corrected (Back, change, Save): the
                # correction goes on the item the form added, not into the void.
                item, expected_version = earlier, earlier.version
        if item is None:
            item = model.objects.create(agency_summary=agency_summary, client_token=token, **values)
            verb, summary = Verb.CREATE, f"{noun} added"
        else:
            updated = model.objects.filter(pk=item.pk, version=expected_version).update(
                **values, version=expected_version + 1
            )
            if updated != 1:
                raise SummaryConflict(SummaryConflict.message)
            item.refresh_from_db()
            verb, summary = Verb.UPDATE, f"{noun} changed"
        draft_begin(agency_summary, actor)
        audit_record(
            actor=actor,
            verb=verb,
            target=item,
            case=agency_summary.request.review.case,
            details={"summary": summary, "agency_id": agency_summary.request.agency_id},
        )
    return item


RESENT_WITHIN = timedelta(minutes=30)


def lock_open(agency_summary: AgencySummary) -> None:
    """Locks the summary's row for the rest of the transaction and checks it is still open: a
    summary sent or accepted a moment ago (another tab, a colleague) takes no more changes."""
    current = AgencySummary.objects.select_for_update().get(pk=agency_summary.pk)
    if not current.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")


def draft_begin(agency_summary: AgencySummary, actor: Any) -> None:
    """A lead's first change to a summary not started begins its draft: the summary's "start" step,
    taken in the caller's transaction (the change and the step are kept or lost together).
    `agency_summary` follows the row's new state and version."""
    if agency_summary.status != SummaryStatus.NOT_STARTED:
        return
    current = AgencySummary.objects.select_for_update().get(pk=agency_summary.pk)
    if current.status == SummaryStatus.NOT_STARTED:
        _summary_step(current, "start", actor=actor, expected_version=current.version)
    agency_summary.status, agency_summary.version = current.status, current.version


def duplicate_add[Item: (ChronologyEntry, PracticeEpisode)](
    model: type[Item], agency_summary: AgencySummary, token: str, values: dict[str, Any]
) -> Item | None:
    """An item this "add" has already made: the same form's token, or every answer the same as an
    item added to this return in the last half hour."""
    items = model.objects.filter(agency_summary=agency_summary)
    if token and (earlier := items.filter(client_token=token).first()) is not None:
        return earlier
    return items.filter(created_at__gte=timezone.now() - RESENT_WITHIN, **values).first()


def chronology_entry_save(
    *,
    agency_summary: AgencySummary,
    actor: User,
    entry: ChronologyEntry | None,
    expected_version: int,
    on: date,
    at: time | None,
    what_happened: str,
    source: str,
    significance: str,
    token: str = "",
) -> ChronologyEntry:
    """Adds an entry, or changes one if its version still matches."""
    if not agency_summary.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")
    values = {"date": on, "time": at, "what_happened": what_happened, "source": source, "significance": significance}
    return _item_save(
        ChronologyEntry, agency_summary, actor, entry, expected_version, values, "Chronology entry", token
    )


def chronology_entry_delete(*, agency_summary: AgencySummary, actor: User, entry: ChronologyEntry) -> None:
    _item_delete(agency_summary, actor, entry, "Chronology entry removed", {"entry_date": entry.date.isoformat()})


def practice_episode_save(
    *,
    agency_summary: AgencySummary,
    actor: User,
    episode: PracticeEpisode | None,
    expected_version: int,
    title: str,
    on: date | None,
    went_well: str,
    could_differ: str,
    token: str = "",
) -> PracticeEpisode:
    """Adds a key practice episode, or changes one if its version still matches."""
    if not agency_summary.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")
    values = {"title": title, "date": on, "went_well": went_well, "could_differ": could_differ}
    return _item_save(
        PracticeEpisode, agency_summary, actor, episode, expected_version, values, "Key practice episode", token
    )


def practice_episode_delete(*, agency_summary: AgencySummary, actor: User, episode: PracticeEpisode) -> None:
    _item_delete(agency_summary, actor, episode, "Key practice episode removed", {"title": episode.title})


def _item_delete(
    agency_summary: AgencySummary,
    actor: User,
    item: ChronologyEntry | PracticeEpisode,
    summary: str,
    details: dict[str, Any],
) -> None:
    """Removes one item of an open summary's list, audited on the summary (the item is gone)."""
    if not agency_summary.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")
    with transaction.atomic():
        lock_open(agency_summary)
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=agency_summary,
            case=agency_summary.request.review.case,
            details={"summary": summary, **details, "agency_id": agency_summary.request.agency_id},
        )
        item.delete()


# --- The summary's workflow: sent, accepted or sent back, closed when the review goes without it ------


def _may_send(actor: Any, agency_summary: AgencySummary) -> bool:
    """Only the agency's own safeguarding leads send its summary."""
    return agency_summary.request.agency_id in lead_agency_ids(actor, agency_summary.request.review.case)


def _runs_the_review(actor: Any, agency_summary: AgencySummary) -> bool:
    return can(actor, CaseAction.RUN_RAPID_REVIEW, agency_summary.request.review.case)


def _sections_missing(agency_summary: AgencySummary) -> str | None:
    missing = missing_sections(agency_summary)
    return "Complete every section before you submit: " + ", ".join(s.title for s in missing) if missing else None


def _edited(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    return {"updated_by": actor, "updated_at": timezone.now()}


def _sent(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    return {**_edited(agency_summary, actor, context), "submitted_at": timezone.now()}


def _reviewed(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    return {**_edited(agency_summary, actor, context), "coordinator_comments": context["note"]}


def _closed(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    # Not `updated_by`: a request asked for again reopens as the lead left it (draft or not started).
    return {"closed_at": context.get("at") or timezone.now()}


def _summaries_step_met(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> None:
    """The last summary is in: the timetable's "agency summaries" step is done."""
    review = agency_summary.request.review
    outstanding = AgencySummary.objects.filter(request__review=review).exclude(
        status__in=[SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED]
    )
    if not outstanding.exists():
        step_met_quietly(case=review.case, rule=ClockRule.RR_RETURNS, actor=actor)


def _tell_requester(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> None:
    case = agency_summary.request.review.case
    subject, body = email_render(
        Email.SUMMARY_SENT,
        {
            "case": case,
            "agency": agency_summary.agency,
            "url": link("rapidreviews:summary", case.reference, agency_summary.agency.pk),
        },
    )
    messages_send_to(
        recipients=[agency_summary.request.sent_by],
        subject=subject,
        body=body,
        case=case,
        actor=actor,
        kind=MessageKind.GENERAL,
    )


def _tell_leads(email: Email, kind: MessageKind) -> Effect[AgencySummary]:
    """Tells the agency's leads what the coordinator decided (sent back, it asks for work, as the
    Panel's reopening of a summary does)."""

    def tell(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> None:
        request = agency_summary.request
        case = request.review.case
        subject, body = email_render(
            email,
            {
                "case": case,
                "agency": request.agency,
                "actor": actor,
                "comments": context["note"],
                "url": link("rapidreviews:summary", case.reference, request.agency_id),
            },
        )
        messages_send_to(recipients=leads_of(request), subject=subject, body=body, case=case, actor=actor, kind=kind)

    return tell


def _tell_leads_closed(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> None:
    request = agency_summary.request
    case = request.review.case
    subject, body = email_render(
        Email.REQUEST_CLOSED,
        {
            "case": case,
            "agency": request.agency,
            "actor": actor,
            "reason": context["note"],
            "url": link("rapidreviews:summary", case.reference, request.agency_id),
        },
    )
    messages_send_to(
        recipients=leads_of(request),
        subject=subject,
        body=body,
        case=case,
        actor=actor,
        kind=MessageKind.REQUEST,
        dedupe_key=f"rr-closed-{agency_summary.pk}-{agency_summary.closed_at:%Y%m%d%H%M%S}",
    )


def _ask_again(email: Email) -> Effect[AgencySummary]:
    """Tells the agency's leads that the Panel's response wants their summary again, and why."""

    def ask(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> None:
        request = agency_summary.request
        case = request.review.case
        subject, body = email_render(
            email,
            {
                "case": case,
                "comment": context["note"],
                "url": link("rapidreviews:summary", case.reference, request.agency_id),
            },
        )
        messages_send_to(
            recipients=leads_of(request), subject=subject, body=body, case=case, actor=actor, kind=MessageKind.REQUEST
        )

    return ask


def _reopened(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    # Not `updated_by`: the summary is the lead's, as they left it.
    return {"coordinator_comments": context["note"]}


def _asked_again(agency_summary: AgencySummary, actor: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    return {**_reopened(agency_summary, actor, context), "closed_at": None}


def _never_started(agency_summary: AgencySummary) -> str | None:
    """A closed request its lead had written in reopens as their draft, one never begun as not started."""
    return None if agency_summary.updated_by_id else "Nothing was written in this summary before it was closed"


def _started(agency_summary: AgencySummary) -> str | None:
    return "Something was written in this summary before it was closed" if agency_summary.updated_by_id else None


_EVENT_KIND = {
    "submit": SummaryEvent.Kind.SUBMITTED,
    "accept": SummaryEvent.Kind.ACCEPTED,
    "send_back": SummaryEvent.Kind.RETURNED,
    "close": SummaryEvent.Kind.CLOSED,
    "reopen_for_panel": SummaryEvent.Kind.RETURNED,
    "ask_again": SummaryEvent.Kind.REOPENED,
    "ask_again_unstarted": SummaryEvent.Kind.REOPENED,
}


def _record_event(
    agency_summary: AgencySummary, step: Step[AgencySummary], from_state: str, actor: Any, note: str
) -> None:
    if step.name == "start":
        return  # the summary's history is what passed between its lead and the coordinator
    SummaryEvent.objects.create(agency_summary=agency_summary, kind=_EVENT_KIND[step.name], actor=actor, comments=note)


def _describe(agency_summary: AgencySummary, step: Step[AgencySummary], from_state: str, note: str) -> dict[str, Any]:
    agency = agency_summary.agency
    if step.name == "start":
        summary = f"Summary from {agency}: begun"
    elif step.name == "submit":
        summary = f"Summary sent by {agency}"
    elif step.name == "close":
        summary = f"Request to {agency} closed: the rapid review was sent without its summary"
    elif step.name == "reopen_for_panel":
        summary = f"Summary from {agency} reopened by the Panel's response"
    elif step.name in {"ask_again", "ask_again_unstarted"}:
        summary = f"Request to {agency} reopened by the Panel's response"
    else:
        summary = f"Summary from {agency}: {_EVENT_KIND[step.name].label.lower()}"
    return {"summary": summary, "agency_id": agency_summary.request.agency_id} | (
        {"reason": note} if step.name == "close" else {}
    )


_REVIEWED = "Only a submitted return can be accepted or returned"
_ASKED_AGAIN = "Only a closed request is asked for again"
RETURN_STEPS: dict[str, Step[AgencySummary]] = {
    s.name: s
    for s in (
        Step(
            "start",
            "Begin the summary",
            frozenset({SummaryStatus.NOT_STARTED}),
            SummaryStatus.DRAFT,
            may=_may_send,
            refused="This summary has already been begun",
        ),
        Step(
            "submit",
            "Send the summary",
            frozenset(OUTSTANDING_STATUSES),
            SummaryStatus.SUBMITTED,
            may=_may_send,
            guards=(_sections_missing,),
            writes=_sent,
            refused="This return has already been submitted",
        ),
        Step(
            "accept",
            "Accept the summary",
            frozenset({SummaryStatus.SUBMITTED}),
            SummaryStatus.ACCEPTED,
            may=_runs_the_review,
            writes=_reviewed,
            effects=(_tell_leads(Email.SUMMARY_ACCEPTED, MessageKind.GENERAL),),
            refused=_REVIEWED,
        ),
        Step(
            "send_back",
            "Send the summary back",
            frozenset({SummaryStatus.SUBMITTED}),
            SummaryStatus.RETURNED,
            may=_runs_the_review,
            writes=_reviewed,
            effects=(_tell_leads(Email.SUMMARY_SENT_BACK, MessageKind.REQUEST),),
            refused=_REVIEWED,
        ),
        Step(
            "close",
            "Close the request",
            frozenset(OUTSTANDING_STATUSES),
            SummaryStatus.CLOSED,
            may=_runs_the_review,
            writes=_closed,
            refused="Only a summary still with the agency can be closed",
        ),
        # The Panel's response asks for the agencies' summaries again: an accepted one goes back to its
        # lead with the Panel's words; a request closed when the review went without it is asked for
        # again, from where its lead left it.
        Step(
            "reopen_for_panel",
            "Reopen the summary for the Panel's response",
            frozenset({SummaryStatus.ACCEPTED}),
            SummaryStatus.RETURNED,
            may=_runs_the_review,
            writes=_reopened,
            effects=(_ask_again(Email.SUMMARY_REOPENED_BY_PANEL),),
            refused="Only an accepted summary is reopened by the Panel's response",
        ),
        Step(
            "ask_again",
            "Ask for the summary again",
            frozenset({SummaryStatus.CLOSED}),
            SummaryStatus.DRAFT,
            may=_runs_the_review,
            guards=(_never_started,),
            writes=_asked_again,
            effects=(_ask_again(Email.SUMMARY_ASKED_AGAIN_BY_PANEL),),
            refused=_ASKED_AGAIN,
        ),
        Step(
            "ask_again_unstarted",
            "Ask for the summary again",
            frozenset({SummaryStatus.CLOSED}),
            SummaryStatus.NOT_STARTED,
            may=_runs_the_review,
            guards=(_started,),
            writes=_asked_again,
            effects=(_ask_again(Email.SUMMARY_ASKED_AGAIN_BY_PANEL),),
            refused=_ASKED_AGAIN,
        ),
    )
}

RETURN_WORKFLOW: Workflow[AgencySummary] = Workflow(
    model=AgencySummary,
    steps=lambda: RETURN_STEPS,
    history=_record_event,
    describe=_describe,
    case_of=lambda agency_summary: agency_summary.request.review.case,
    state_field="status",
    on_enter={
        SummaryStatus.SUBMITTED: (_summaries_step_met, _tell_requester),
        SummaryStatus.CLOSED: (_tell_leads_closed,),
    },
    state_label=lambda value: SummaryStatus(value).label,
    clash=SummaryConflict.message,
)


def _summary_step(
    agency_summary: AgencySummary,
    name: str,
    *,
    actor: Any,
    expected_version: int,
    note: str = "",
    context: Mapping[str, Any] | None = None,
) -> None:
    """Takes a step of the summary's workflow, in the words its pages already catch."""
    try:
        take(
            RETURN_WORKFLOW,
            agency_summary,
            name,
            actor=actor,
            expected_version=expected_version,
            note=note,
            context=context,
        )
    except ConcurrentChange:
        raise SummaryConflict(SummaryConflict.message) from None
    except TransitionError as error:
        raise SummaryStateError(str(error)) from None
    agency_summary.refresh_from_db()


def agency_summary_submit(*, agency_summary: AgencySummary, actor: Any, expected_version: int) -> None:
    """The lead sends the summary to the coordinator, once every section is complete."""
    _summary_step(agency_summary, "submit", actor=actor, expected_version=expected_version)


def agency_summary_check(*, agency_summary: AgencySummary, actor: User, accept: bool, comments: str) -> None:
    """The coordinator accepts a submitted return or sends it back with comments."""
    if agency_summary.status != SummaryStatus.SUBMITTED:
        raise SummaryStateError(_REVIEWED)
    if not accept and not comments.strip():
        raise SummaryStateError("Enter what the agency needs to change")
    _summary_step(
        agency_summary,
        "accept" if accept else "send_back",
        actor=actor,
        expected_version=agency_summary.version,
        note=comments,
    )


def agency_summary_close(*, agency_summary: AgencySummary, actor: Any, reason: str, at: datetime | None = None) -> None:
    """Closes a request whose summary the rapid review goes to the Panel without, telling its leads
    why (part of sending the review; `at` is when, the same for every request it closes)."""
    _summary_step(
        agency_summary,
        "close",
        actor=actor,
        expected_version=agency_summary.version,
        note=reason,
        context={"at": at} if at is not None else None,
    )


def agency_summary_reopen_for_panel(*, agency_summary: AgencySummary, actor: Any, comment: str) -> None:
    """The Panel's response concerns the agencies' summaries: an accepted summary goes back to its
    leads, and a closed request is asked for again (as a draft if its lead had written in it),
    each with the Panel's words. Any other summary is left as it is (still with the agency, or
    sent and awaiting the coordinator)."""
    if agency_summary.status == SummaryStatus.ACCEPTED:
        name = "reopen_for_panel"
    elif agency_summary.status == SummaryStatus.CLOSED:
        name = "ask_again" if agency_summary.updated_by_id else "ask_again_unstarted"
    else:
        return
    _summary_step(agency_summary, name, actor=actor, expected_version=agency_summary.version, note=comment)
