"""Roles a person holds in a partnership. Enums, never strings, everywhere they are checked."""

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner / referrer"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    COORDINATOR = "coordinator", "Review coordinator"
    LA_NOTIFIER = "la_notifier", "LA notifier"
    DELEGATE_LA = "delegate_la", "Partner delegate (local authority)"
    DELEGATE_ICB = "delegate_icb", "Partner delegate (integrated care board)"
    DELEGATE_POLICE = "delegate_police", "Partner delegate (police)"
    SCRUTINEER = "scrutineer", "Independent scrutineer"
    CHAIR = "chair", "Partnership chair"
    REVIEWER = "reviewer", "Commissioned reviewer"
    ADMIN = "admin", "Administrator"


PARTNER_DELEGATES = frozenset({Role.DELEGATE_LA, Role.DELEGATE_ICB, Role.DELEGATE_POLICE})

# Roles that see every case of their partnership (need-to-know by function).
PARTNERSHIP_WIDE_CASE_ROLES = frozenset(
    {Role.COORDINATOR, Role.LA_NOTIFIER, Role.SCRUTINEER, Role.CHAIR} | PARTNER_DELEGATES
)

# Roles that may invite people.
INVITING_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})

# Roles that are held for an agency: giving one (by invitation or to an existing person) needs one.
AGENCY_ROLES = frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD, Role.LA_NOTIFIER})


def roles_given_by(held: set[Role]) -> set[Role]:
    """The roles someone holding `held` in a partnership may give there (and end): an administrator
    any, a coordinator any but administrator, anyone else none."""
    if Role.ADMIN in held:
        return set(Role)
    if held & INVITING_ROLES:
        return set(Role) - {Role.ADMIN}
    return set()
