"""Reading cases for a person. Visibility is decided by cases.policies; these only shape the data."""

from typing import Any

from django.db.models import Count, Max, QuerySet

from accounts.models import Membership, User
from accounts.roles import Role
from audit.models import AuditEvent, Verb
from cases.models import Case
from cases.policies import cases_visible_to


def case_list(user: User, *, state: str | None = None) -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("partnership", "referring_agency")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at")


def _without_agency(case: Case, actor_ids: set[int]) -> dict[int, str]:
    """Where people who act for no agency (the coordinator, the chair, the scrutineer, a reviewer)
    stand: their roles in the case's partnership and its name, e.g. "Partnership chair, Northshire
    SCP". One query for all of them."""
    roles: dict[int, list[str]] = {}
    for user_id, role in (
        Membership.objects.filter(user_id__in=actor_ids, partnership_id=case.partnership_id, agency__isnull=True)
        .order_by("role")
        .values_list("user_id", "role")
    ):
        roles.setdefault(user_id, []).append(str(Role(role).label))
    name = case.partnership.name
    return {user_id: f"{', '.join(labels)}, {name}" for user_id, labels in roles.items()}


def _where_from(case: Case, rows: list[dict[str, Any]]) -> None:
    """Sets each row's `agency` to the agency the person acted for, or their partnership role."""
    missing = {row["actor_id"] for row in rows if not row["actor_agency__name"] and row["actor_id"]}
    roles = _without_agency(case, missing) if missing else {}
    for row in rows:
        row["agency"] = row["actor_agency__name"] or roles.get(row["actor_id"]) or case.partnership.name


def case_viewers(case: Case) -> list[dict[str, Any]]:
    """Who has seen the case: one row per person, with how often and when last."""
    rows = [
        dict(row)
        for row in AuditEvent.objects.filter(case=case, verb__in=[Verb.VIEW, Verb.DOWNLOAD, Verb.EXPORT])
        .values("actor_id", "actor_label", "actor_agency__name")
        .annotate(times=Count("id"), last=Max("at"))
        .order_by("-last")
    ]
    _where_from(case, rows)
    return rows


def case_people(case: Case) -> list[dict[str, Any]]:
    """The people who have acted on the case, with their agency (or partnership role) and what they
    did last."""
    rows = [
        dict(row)
        for row in AuditEvent.objects.filter(case=case, actor__isnull=False)
        .exclude(verb__in=[Verb.VIEW, Verb.DOWNLOAD, Verb.EXPORT])
        .values("actor_id", "actor_label", "actor_agency__name")
        .annotate(last=Max("at"), actions=Count("id"))
        .order_by("-last")
    ]
    _where_from(case, rows)
    return [{"name": row["actor_label"], "agency": row["agency"], "actions": row["actions"]} for row in rows]
