"""Reading referrals for a person. Cases are reached only through cases.policies."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import roles_of
from cases.models import Case, CaseState
from cases.policies import ACTION_ROLES, CaseAction, can, cases_visible_to
from referrals.models import DuplicateCheck, DuplicateOutcome, Referral, ReferralStatus


def drafts_of(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(created_by=user, status=ReferralStatus.DRAFT).order_by("-updated_at")


def sent_referrals_of(user: User) -> QuerySet[Referral]:
    """Referrals this person sent, with their case (and its triage outcome) to show the stage."""
    return (
        Referral.objects.filter(created_by=user, status=ReferralStatus.SUBMITTED)
        .select_related("case", "case__triage", "agency")
        .order_by("-submitted_at")
    )


def agency_referrals_for_lead(user: User) -> QuerySet[Case]:
    """For an agency safeguarding lead: their agency's referrals by others, with the outcome."""
    from accounts.models import Membership
    from accounts.roles import Role

    agencies = Membership.objects.active().filter(user=user, role=Role.AGENCY_LEAD, agency__isnull=False)
    return (
        cases_visible_to(user)
        .filter(referring_agency_id__in=agencies.values("agency_id"))
        .exclude(referred_by=user)
        .select_related("triage", "referred_by", "referring_agency")
        .order_by("-created_at")
    )


def cases_for_triage_and_notification(user: User) -> tuple[list[Case], list[Case]]:
    """(the cases awaiting this person's triage decision, those whose notification they record),
    in one query, and none for people who do neither."""
    roles = roles_of(user)
    if not roles & (ACTION_ROLES[CaseAction.TRIAGE] or set()) and not roles & (
        ACTION_ROLES[CaseAction.RECORD_SIN] or set()
    ):
        return [], []
    qs = cases_visible_to(user).filter(state__in=[CaseState.REFERRED, CaseState.TO_NOTIFY])
    cases = list(qs.select_related("referring_agency").order_by("created_at"))
    awaiting = [c for c in cases if c.state == CaseState.REFERRED and can(user, CaseAction.TRIAGE, c)]
    to_notify = [c for c in cases if c.state == CaseState.TO_NOTIFY and can(user, CaseAction.RECORD_SIN, c)]
    return awaiting, to_notify


def cases_awaiting_triage(user: User) -> list[Case]:
    qs = cases_visible_to(user).filter(state=CaseState.REFERRED).select_related("referring_agency")
    return [c for c in qs.order_by("created_at") if can(user, CaseAction.TRIAGE, c)]


def cases_to_notify(user: User) -> list[Case]:
    qs = cases_visible_to(user).filter(state=CaseState.TO_NOTIFY).select_related("referring_agency")
    return [c for c in qs.order_by("created_at") if can(user, CaseAction.RECORD_SIN, c)]


def duplicate_cases(referral: Referral) -> QuerySet[Case]:
    """Cases in the same partnership that may be about the same child (name and date of birth,
    ignoring case) or the same incident (same date, and a child of the same name or the same place)."""
    condition = Q()
    children = referral.children_list() if referral.pk else []
    same_child = Q()
    for child in children:
        if child.first_name and child.last_name:
            name = Q(children__first_name__iexact=child.first_name, children__last_name__iexact=child.last_name)
            if child.date_of_birth:
                condition |= name & Q(children__date_of_birth=child.date_of_birth)
            same_child |= name
    if referral.incident_date:
        overlap = same_child
        if referral.place:
            overlap |= Q(place__iexact=referral.place.strip())
        if overlap:
            condition |= Q(incident_date=referral.incident_date) & overlap
    if not condition:
        return Case.objects.none()
    others = (
        Referral.objects.filter(partnership_id=referral.partnership_id, status=ReferralStatus.SUBMITTED)
        .exclude(pk=referral.pk)
        .filter(condition)
        .values("case_id")
    )
    return Case.objects.filter(pk__in=others)


@dataclass
class DuplicateWarning:
    """Possible duplicates still to check (`visible`, and a count of those this person may not
    open), and the cases already found to be about the same incident (`linked`, those they may open,
    with the check). Cases found not to be the same incident are left out: their warning is
    dismissed, with its reason, on the case's history."""

    visible: list[Case] = field(default_factory=list)
    hidden_count: int = 0
    linked: list[tuple[Case, DuplicateCheck]] = field(default_factory=list)
    case: Case | None = None
    can_decide: bool = False

    def __bool__(self) -> bool:
        return bool(self.visible or self.hidden_count or self.linked)


def duplicate_checks_of(case: Case) -> dict[int, DuplicateCheck]:
    """The checks between this case and others, by the other case's id, whichever side recorded them."""
    checks = DuplicateCheck.objects.filter(Q(case=case) | Q(other=case)).select_related("decided_by")
    return {(c.other_id if c.case_id == case.pk else c.case_id): c for c in checks}


def linked_duplicates(user: User, case: Case) -> DuplicateWarning:
    """Only the cases found to be about the same incident (that this person may open): once the
    partners have decided, open warnings are no longer news, the links still are."""
    visible = cases_visible_to(user)
    checks = DuplicateCheck.objects.filter(
        Q(case=case, other__in=visible) | Q(other=case, case__in=visible), outcome=DuplicateOutcome.SAME
    ).select_related("case", "other", "decided_by")  # one query, however many
    linked = [(c.other if c.case_id == case.pk else c.case, c) for c in checks]
    return DuplicateWarning(linked=sorted(linked, key=lambda pair: pair[0].reference), case=case)


def duplicate_warning(user: User, referral: Referral) -> DuplicateWarning:
    """Possible duplicates, split into cases this person may open and a count of the rest, less the
    ones already checked (not the same: dismissed; the same: linked)."""
    found = list(duplicate_cases(referral).order_by("reference"))
    case = referral.case
    checks = duplicate_checks_of(case) if case is not None else {}
    linked_ids = [pk for pk, check in checks.items() if check.outcome == DuplicateOutcome.SAME]
    open_ = [c for c in found if c.pk not in checks]
    ids = [c.pk for c in open_] + linked_ids
    visible_ids = set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    shown = [pk for pk in linked_ids if pk in visible_ids]
    linked_cases = list(Case.objects.filter(pk__in=shown).order_by("reference")) if shown else []
    return DuplicateWarning(
        visible=[c for c in open_ if c.pk in visible_ids],
        hidden_count=sum(1 for c in open_ if c.pk not in visible_ids),
        linked=[(c, checks[c.pk]) for c in linked_cases],
        case=case,
        can_decide=case is not None and can(user, CaseAction.TRIAGE, case),
    )
