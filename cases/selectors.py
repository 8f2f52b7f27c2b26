"""Reading cases for a person. Visibility is decided by cases.policies; these only shape the data."""

from typing import Any

from django.db.models import Count, Max, QuerySet

from audit.models import AuditEvent, Verb
from cases.models import Case
from cases.policies import cases_visible_to


def case_list(user: Any, *, state: str | None = None) -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("partnership", "referring_agency")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at")


def case_viewers(case: Case) -> list[dict[str, Any]]:
    """Who has seen the case: one row per person, with how often and when last."""
    rows = (
        AuditEvent.objects.filter(case=case, verb__in=[Verb.VIEW, Verb.DOWNLOAD, Verb.EXPORT])
        .values("actor_id", "actor_label", "actor_agency__name")
        .annotate(times=Count("id"), last=Max("at"))
        .order_by("-last")
    )
    return [dict(row) for row in rows]


def case_people(case: Case) -> list[dict[str, str]]:
    """The people who have acted on the case, with their agency and what they did last."""
    rows = (
        AuditEvent.objects.filter(case=case, actor__isnull=False)
        .exclude(verb__in=[Verb.VIEW, Verb.DOWNLOAD, Verb.EXPORT])
        .values("actor_label", "actor_agency__name")
        .annotate(last=Max("at"), actions=Count("id"))
        .order_by("-last")
    )
    return [
        {"name": row["actor_label"], "agency": row["actor_agency__name"] or "", "actions": row["actions"]}
        for row in rows
    ]
