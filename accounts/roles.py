"""Roles a person holds in a partnership. Enums, never strings, everywhere they are checked."""

from typing import Any

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


# The named role sets. Every check by role names one of these (or a single role): no other module
# spells out a set of roles, so who belongs to "the people who oversee a review" is decided here once.

# The three safeguarding partners' delegates, in the order the sign-off page and document list them.
DELEGATE_ROLES = (Role.DELEGATE_LA, Role.DELEGATE_ICB, Role.DELEGATE_POLICE)
PARTNER_DELEGATES = frozenset(DELEGATE_ROLES)

# The independent scrutineer and the chair comment on a review's decision (in this order).
COMMENTING_ROLES = (Role.SCRUTINEER, Role.CHAIR)
COMMENTERS = frozenset(COMMENTING_ROLES)

# Roles that read a case's whole record (timeline, deadlines, documents), not only its stage: all
# but the practitioner who referred it and the administrator.
RECORD_ROLES = frozenset(set(Role) - {Role.PRACTITIONER, Role.ADMIN})

# Roles that add documents to a case.
DOCUMENT_UPLOADERS = frozenset({Role.COORDINATOR, Role.AGENCY_LEAD, Role.LA_NOTIFIER, Role.REVIEWER})

# Roles that record the triage decision.
TRIAGING_ROLES = frozenset({Role.COORDINATOR} | PARTNER_DELEGATES)

# Roles that refer a serious incident.
REFERRING_ROLES = frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD, Role.COORDINATOR})

# Who reads every agency's shared summary in a rapid review without being a meeting member.
SHARED_SUMMARY_READERS = frozenset({Role.COORDINATOR} | PARTNER_DELEGATES | COMMENTERS)

# Who may be asked to a rapid review meeting (an agency's lead only when their agency is involved).
MEETING_MEMBER_ROLES = frozenset({Role.COORDINATOR, Role.AGENCY_LEAD} | PARTNER_DELEGATES | COMMENTERS)

# Roles that see every case of their partnership (need-to-know by function).
PARTNERSHIP_WIDE_CASE_ROLES = frozenset({Role.COORDINATOR, Role.LA_NOTIFIER} | PARTNER_DELEGATES | COMMENTERS)

# Roles that have a list of cases (each sees on it the cases they may see; an administrator none).
CASE_LIST_ROLES = PARTNERSHIP_WIDE_CASE_ROLES | {Role.AGENCY_LEAD, Role.PRACTITIONER, Role.REVIEWER}

# Who reads a case's local review (its plan, notices, reviewers, terms of reference): those who see
# every case of the partnership, and the reviewer commissioned for it.
LOCAL_REVIEW_READERS = PARTNERSHIP_WIDE_CASE_ROLES | {Role.REVIEWER}

# Who reads a local review's family involvement log: the reviewer, the coordinator and the partners.
FAMILY_LOG_READERS = frozenset({Role.COORDINATOR, Role.REVIEWER} | PARTNER_DELEGATES)

# A partnership's own office closure days and settings: its coordinator's and its administrator's.
CLOSURE_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})

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


def is_service_admin(user: Any) -> bool:
    """The service administrator: the one service-wide role, for what belongs to no partnership
    (the England and Wales bank holiday calendar, which every partnership's deadlines count).
    It is Django's staff flag, given and taken with `manage.py service_admin` (recorded in the
    audit ledger), and needs no partnership role; two-factor authentication applies as to anyone.
    A partnership's administrator is not one: they run their own partnership only."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


# Who monitors a local review for the partners (regulation 14): written requests and checkpoints.
LOCAL_REVIEW_MONITORS = frozenset({Role.COORDINATOR} | PARTNER_DELEGATES)

# Who drafts a local review's terms of reference: the coordinator and the commissioned reviewer.
TERMS_DRAFTERS = frozenset({Role.COORDINATOR, Role.REVIEWER})

# Who writes a local review's report (its sections, versions and items): the reviewer and the coordinator.
REPORT_WRITERS = frozenset({Role.COORDINATOR, Role.REVIEWER})

# Who keeps a partnership's list of review methodologies (the terms of reference choose from it).
METHODOLOGY_KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})

# Who plans a local review's practitioner learning events and records who attended: the
# coordinator and the commissioned reviewer. Those who read the review read the events.
EVENT_ORGANISERS = frozenset({Role.COORDINATOR, Role.REVIEWER})

# Who a learning event invites from the partnership's own people: the practitioners and their
# agencies' leads (anyone else is invited by name and email address).
EVENT_INVITEE_ROLES = frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD})

# Who writes the family involvement log: the coordinator and the reviewer. The partners read it
# (FAMILY_LOG_READERS); no one else learns that it exists.
FAMILY_LOG_KEEPERS = frozenset({Role.COORDINATOR, Role.REVIEWER})

# Who sends a local review's draft report to agencies to check its facts, and answers their
# comments: the coordinator and the commissioned reviewer.
ACCURACY_ANSWERERS = frozenset({Role.COORDINATOR, Role.REVIEWER})
