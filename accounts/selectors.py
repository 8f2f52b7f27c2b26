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


MembershipRow = tuple[int, str, int | None, str]  # partnership id, role, agency id, partnership name


def _active_rows(user: Any) -> tuple[dict[int | None, set[Role]], list[MembershipRow]]:
    """The person's active memberships, read once and cached on the user object (one query serves
    their roles, their partnerships' names and the agency the audit ledger records them under)."""
    cache: dict[int | None, set[Role]] | None = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = {}
        rows: list[MembershipRow] = list(
            Membership.objects.active()
            .filter(user=user)
            .order_by("pk")
            .values_list("partnership_id", "role", "agency_id", "partnership__name")
        )
        for p_id, role, _agency, _name in rows:
            cache.setdefault(p_id, set()).add(Role(role))
            cache.setdefault(None, set()).add(Role(role))
        user._roles_cache = cache
        user._roles_cache_rows = rows
    return cache, user._roles_cache_rows


def roles_of(user: User, partnership_id: int | None = None) -> set[Role]:
    """The person's active roles, in one partnership or in any. Cached on the user object."""
    if user is None or not user.is_authenticated:
        return set()
    cache, _rows = _active_rows(user)
    return set(cache.get(partnership_id, set()))


def partnership_names(user: User) -> list[str]:
    """The names of the partnerships the person holds an active role in, sorted."""
    if user is None or not user.is_authenticated:
        return []
    _cache, rows = _active_rows(user)
    return sorted({name for _p, _role, _agency, name in rows})


def agency_ids_with_role(user: User, partnership_id: int, role: Role) -> set[int]:
    """The agencies the person holds this role for in the partnership (from the cached memberships)."""
    if user is None or not user.is_authenticated:
        return set()
    _cache, rows = _active_rows(user)
    return {a for p_id, r, a, _name in rows if p_id == partnership_id and r == role and a is not None}


def acting_agency(user: User, partnership_id: int | None) -> tuple[int | None, int | None]:
    """(agency id, partnership id) the person acts under in that partnership (their first active
    membership there), or in any partnership when none is given."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None, partnership_id
    _cache, rows = _active_rows(user)
    for p_id, _role, agency_id, _name in rows:
        if partnership_id is None or p_id == partnership_id:
            return agency_id, p_id
    return None, partnership_id


def memberships_of(user: User) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return list(Membership.objects.active().filter(user=user).select_related("partnership", "agency"))


def agency_ids_of(user: User, partnership_id: int, role: Role | None = None) -> set[int]:
    qs = Membership.objects.active().filter(user=user, partnership_id=partnership_id, agency__isnull=False)
    if role is not None:
        qs = qs.filter(role=role)
    return set(qs.values_list("agency_id", flat=True))


# --- The People pages: an inviter's own partnership, and nobody else's -----------------------------


def inviting_partnership(actor: User) -> tuple[Partnership, set[Role]] | None:
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


def in_partnership(user: User, partnership: Any) -> bool:
    """Whether the person has (or had) a role in the partnership: only then may its people see their name."""
    return Membership.objects.filter(user=user, partnership=partnership).exists()


def _roles_here(partnership: Any) -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(partnership=partnership).select_related("agency").order_by("role", "pk"),
        to_attr="roles_here",
    )


def people_for(*, actor: User, partnership: Any) -> QuerySet[User]:
    """Everyone who has (or had) a role in the actor's partnership, by name, each with `roles_here`
    (their memberships there, ended ones too). Nothing of their roles elsewhere."""
    return (
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .order_by("last_name", "first_name", "email")
        .prefetch_related(_roles_here(partnership))
    )


def person_for(*, actor: User, partnership: Any, pk: int) -> User | None:
    """One person of the actor's partnership, with `roles_here`; None for anyone else."""
    return people_for(actor=actor, partnership=partnership).filter(pk=pk).first()


def membership_for(*, actor: User, partnership: Any, pk: int) -> Membership | None:
    """One role in the actor's partnership; None for a role anywhere else."""
    return (
        Membership.objects.filter(pk=pk, partnership=partnership)
        .select_related("user", "agency", "partnership")
        .first()
    )
