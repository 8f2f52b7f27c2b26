"""Reading who a person is in a partnership."""

from typing import Any

from accounts.models import Membership, User
from accounts.roles import Role


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
