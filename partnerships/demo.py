"""The invented demo partnership. Every person and place here is made up."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.roles import Role
from partnerships.models import Agency, AgencyType, Partnership

AGENCIES = [
    ("Northshire Council Children's Services", AgencyType.LA_CHILDRENS_SERVICES),
    ("Northshire Police", AgencyType.POLICE),
    ("Northshire Integrated Care Board", AgencyType.ICB),
    ("Northshire Hospitals NHS Trust", AgencyType.NHS_TRUST),
    ("Northshire Community Health NHS Trust", AgencyType.NHS_TRUST),
    ("Riverside Mental Health NHS Trust", AgencyType.NHS_TRUST),
    ("Northshire GP Federation", AgencyType.PRIMARY_CARE),
    ("Hollowbrook Primary School", AgencyType.EDUCATION),
    ("Northshire Council Education Services", AgencyType.EDUCATION),
    ("Probation Service, Northshire", AgencyType.PROBATION),
    ("Northshire Youth Justice Service", AgencyType.OTHER),
    ("Safe Steps Family Support (charity)", AgencyType.VOLUNTARY),
]

# (username part, first, last, role, agency index or None, job title)
PEOPLE = [
    ("practitioner", "Priya", "Okonkwo-Hale", Role.PRACTITIONER, 3, "Paediatric nurse"),
    ("lead.health", "Harriet", "Quillon", Role.AGENCY_LEAD, 3, "Named nurse for safeguarding"),
    ("lead.police", "Owain", "Brackley", Role.AGENCY_LEAD, 1, "Detective inspector, safeguarding"),
    ("lead.school", "Saoirse", "Penhallow", Role.AGENCY_LEAD, 7, "Designated safeguarding lead"),
    ("lead.la", "Marcus", "Tindale-Ray", Role.AGENCY_LEAD, 0, "Service manager, safeguarding"),
    ("coordinator", "Cerys", "Ambleworth", Role.COORDINATOR, None, "Review coordinator"),
    ("notifier", "Nadia", "Fenwright", Role.LA_NOTIFIER, 0, "Head of safeguarding"),
    ("delegate.la", "Lorcan", "Ashdown", Role.DELEGATE_LA, 0, "Director of children's services"),
    ("delegate.icb", "Imogen", "Carraway", Role.DELEGATE_ICB, 2, "Chief nurse"),
    ("delegate.police", "Dominic", "Feltham", Role.DELEGATE_POLICE, 1, "Chief superintendent"),
    ("scrutineer", "Ravi", "Stenholt", Role.SCRUTINEER, None, "Independent scrutineer"),
    ("chair", "Beatrix", "Olumide-Crane", Role.CHAIR, None, "Partnership chair"),
    ("reviewer", "Tobias", "Wrenfield", Role.REVIEWER, None, "Independent reviewer"),
    ("admin", "Ada", "Pemberton-Vale", Role.ADMIN, None, "Service administrator"),
]

EMAIL_DOMAIN = "northshire-scp.example"


@dataclass
class DemoWorld:
    partnership: Partnership
    agencies: list[Agency]
    users: dict[str, User] = field(default_factory=dict)


def demo_email(key: str) -> str:
    return f"{key}@{EMAIL_DOMAIN}"


def seed_people() -> DemoWorld:
    partnership = Partnership.objects.create(
        name="Northshire Safeguarding Children Partnership",
        slug="northshire",
        short_name="NSCP",
        local_authority_name="Northshire Council",
    )
    agencies = [Agency.objects.create(partnership=partnership, name=name, type=kind) for name, kind in AGENCIES]
    world = DemoWorld(partnership=partnership, agencies=agencies)
    for key, first, last, role, agency_index, job in PEOPLE:
        email = demo_email(key)
        user = User.objects.create_user(
            username=email,
            email=email,
            password=settings.DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            job_title=job,
        )
        Membership.objects.create(
            user=user,
            partnership=partnership,
            role=role,
            agency=agencies[agency_index] if agency_index is not None else None,
        )
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        world.users[key] = user
    return world


def seed(world: Any) -> None:
    """Called by seed_demo for this app; people are made first by seed_people."""
