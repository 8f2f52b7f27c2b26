"""Reading who a person is in a partnership."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.models import Membership, User
from accounts.roles import INVITING_ROLES, Role, roles_given_by
from partnerships.models import Partnership


def normalised_email(email: str) -> str:
    """An email address as accounts and invitations store it: trimmed, lower case."""
    return email.strip().lower()


def account_with_email(email: str) -> User | None:
    """The account that has this email address, whatever its case and surrounding spaces."""
    address = normalised_email(email)
    return User.objects.filter(email__iexact=address).first() if address else None


def roles_of(user: Any, partnership_id: int | None = None) -> set[Role]:
    """The person's active roles, in one partnership or in any. Cached on the user object."""
    if user is None or not user.is_authenticated:
        return set()
    cache: dict[int | None, set[Role]] | None = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = {}
        rows = Membership.objects.active().filter(user=user).values_list("partnership_id", "role")
        for p_id, role in rows:
            cache.setdefault(p_id, set()).add(Role(role))
            cache.setdefault(None, set()).add(Role(role))
        user._roles_cache = cache
    return set(cache.get(partnership_id, set()))


def memberships_of(user: Any) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return list(Membership.objects.active().filter(user=user).select_related("partnership", "agency"))


def agency_ids_of(user: Any, partnership_id: int, role: Role | None = None) -> set[int]:
    qs = Membership.objects.active().filter(user=user, partnership_id=partnership_id, agency__isnull=False)
    if role is not None:
        qs = qs.filter(role=role)
    return set(qs.values_list("agency_id", flat=True))


# --- The People pages: an inviter's own partnership, and nobody else's -----------------------------


def inviting_partnership(actor: Any) -> tuple[Partnership, set[Role]] | None:
    """The partnership this person may invite into and give roles in, and the roles they may give
    (and end) there; None if they may not."""
    membership = (
        Membership.objects.active()
        .filter(user=actor, role__in=list(INVITING_ROLES))  # type: ignore[misc]
        .select_related("partnership")
        .order_by("pk")
        .first()
    )
    if membership is None:
        return None
    return membership.partnership, roles_given_by(roles_of(actor, membership.partnership_id))


def in_partnership(user: Any, partnership: Any) -> bool:
    """Whether the person has (or had) a role in the partnership: only then may its people see their name."""
    return Membership.objects.filter(user=user, partnership=partnership).exists()


def _roles_here(partnership: Any) -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(partnership=partnership).select_related("agency").order_by("role", "pk"),
        to_attr="roles_here",
    )


def people_for(*, actor: Any, partnership: Any) -> QuerySet[User]:
    """Everyone who has (or had) a role in the actor's partnership, by name, each with `roles_here`
    (their memberships there, ended ones too). Nothing of their roles elsewhere."""
    return (
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .order_by("last_name", "first_name", "email")
        .prefetch_related(_roles_here(partnership))
    )


def person_for(*, actor: Any, partnership: Any, pk: int) -> User | None:
    """One person of the actor's partnership, with `roles_here`; None for anyone else."""
    return people_for(actor=actor, partnership=partnership).filter(pk=pk).first()


def membership_for(*, actor: Any, partnership: Any, pk: int) -> Membership | None:
    """One role in the actor's partnership; None for a role anywhere else."""
    return (
        Membership.objects.filter(pk=pk, partnership=partnership)
        .select_related("user", "agency", "partnership")
        .first()
    )
