"""What happened on a case, as one person may read it.

The timeline is the case's audit ledger without its reads. Some events belong to work that is
private to a part of the case (an agency's draft summary is seen by that agency and the coordinator
only), so each stage that writes such events carries a `timeline_filter` (cases.stage_registry):
f(user, case, events) -> the events that person may see.
"""

from accounts.models import User
from audit.models import AuditEvent, Verb
from cases import stage_registry
from cases.models import Case


def case_timeline(case: Case, *, user: User, include_messages: bool) -> list[AuditEvent]:
    """Newest first. Messages name their recipients (which agencies were asked, and their leads'
    addresses), so they are shown only to those who may see the case's message log."""
    hidden = [Verb.VIEW] if include_messages else [Verb.VIEW, Verb.SEND]
    # Autosaves as people type stay in the ledger but are not news: the Save that follows is.
    events = list(
        AuditEvent.objects.filter(case=case)
        .exclude(verb__in=hidden)
        .exclude(details__has_key="autosave", details__autosave=True)
        .select_related("actor_agency")
        .order_by("-id")
    )
    for f in stage_registry.timeline_filters():
        events = f(user, case, events)
    return events
