"""The test world: personas across two partnerships and several agencies.

Every person is invented. `world` gives Northshire (the home partnership) and Southmoor (another
tenant, whose people must never see Northshire's cases). `signed_in(client, user)` signs a
persona in with two-factor verification already done.

`kept_for_the_module` makes costly data (the world for the URL walk, the demo) once for a whole
test module instead of once per test; each test still starts from the same rows.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings
from pytest_django import DjangoDbBlocker, Settings

from accounts.models import Membership, User
from accounts.roles import Role
from cases.models import Case, CaseState
from partnerships.models import Agency, AgencyType, Partnership

PASSWORD = "correct-horse-battery-9"

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

# What the test client gives back for a request (a response with .context, .templates and .json()).
type TestResponse = _MonkeyPatchedWSGIResponse

# The `signed_in` fixture: signs a persona in (second factor done) and gives their browser.
type SignIn = Callable[[User], Client]

# Property tests check correctness, not speed: no per-example deadline (a busy 2-core CI machine
# must not turn a slow example into a failure).
hypothesis_settings.register_profile("service", deadline=None)
hypothesis_settings.load_profile("service")


@dataclass
class World:
    north: Partnership
    south: Partnership
    agencies: dict[str, Agency]
    people: dict[str, User] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)


def found(pattern: str | re.Pattern[str], text: str) -> str:
    """The first group of `pattern` in `text` (a token, a version, a label); fails when absent."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} is not in:\n{text}"
    return match[1]


def make_person(key: str, partnership: Partnership, role: Role, agency: Agency | None) -> User:
    email = f"{key}@example.test"
    user = User.objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=key.title(), last_name="Tester"
    )
    Membership.objects.create(user=user, partnership=partnership, role=role, agency=agency)
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    return user


PERSONAS: dict[str, tuple[str, Role, str | None]] = {
    # key: (partnership, role, agency key)
    "practitioner": ("north", Role.PRACTITIONER, "hospital"),
    "other_practitioner": ("north", Role.PRACTITIONER, "school"),
    "lead_hospital": ("north", Role.AGENCY_LEAD, "hospital"),
    "lead_school": ("north", Role.AGENCY_LEAD, "school"),
    "lead_police": ("north", Role.AGENCY_LEAD, "police"),
    "coordinator": ("north", Role.COORDINATOR, None),
    "notifier": ("north", Role.LA_NOTIFIER, "la"),
    "delegate_la": ("north", Role.DELEGATE_LA, "la"),
    "delegate_icb": ("north", Role.DELEGATE_ICB, "icb"),
    "delegate_police": ("north", Role.DELEGATE_POLICE, "police"),
    "scrutineer": ("north", Role.SCRUTINEER, None),
    "chair": ("north", Role.CHAIR, None),
    "reviewer": ("north", Role.REVIEWER, None),
    "admin": ("north", Role.ADMIN, None),
    "south_coordinator": ("south", Role.COORDINATOR, None),
    "south_lead": ("south", Role.AGENCY_LEAD, "south_police"),
}


def build_world() -> World:
    north = Partnership.objects.create(
        name="Northshire SCP", slug="north", short_name="NSCP", local_authority_name="Northshire Council"
    )
    south = Partnership.objects.create(
        name="Southmoor SCP", slug="south", short_name="SSCP", local_authority_name="Southmoor Council"
    )
    agencies = {
        "la": Agency.objects.create(
            partnership=north, name="Northshire Children's Services", type=AgencyType.LA_CHILDRENS_SERVICES
        ),
        "police": Agency.objects.create(partnership=north, name="Northshire Police", type=AgencyType.POLICE),
        "icb": Agency.objects.create(partnership=north, name="Northshire ICB", type=AgencyType.ICB),
        "hospital": Agency.objects.create(partnership=north, name="Northshire Hospitals", type=AgencyType.NHS_TRUST),
        "school": Agency.objects.create(partnership=north, name="Hollowbrook School", type=AgencyType.EDUCATION),
        "south_police": Agency.objects.create(partnership=south, name="Southmoor Police", type=AgencyType.POLICE),
    }
    world = World(north=north, south=south, agencies=agencies)
    for key, (p, role, agency_key) in PERSONAS.items():
        world.people[key] = make_person(
            key, north if p == "north" else south, role, agencies[agency_key] if agency_key else None
        )
    case = Case.objects.create(
        reference="NSCP-2026-001",
        partnership=north,
        title="Child A",
        state=CaseState.REFERRED,
        referred_by=world.people["practitioner"],
        referring_agency=agencies["hospital"],
    )
    case.involved_agencies.add(agencies["hospital"])
    world.cases["north"] = case
    world.cases["south"] = Case.objects.create(
        reference="SSCP-2026-001",
        partnership=south,
        title="Child S",
        state=CaseState.REFERRED,
        referring_agency=agencies["south_police"],
    )
    return world


@pytest.fixture(autouse=True)
def audit_checkpoints(settings: Settings, tmp_path: Path) -> Path:
    """Each test's ledger is its own, so its checkpoints (outside the database) are too."""
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.AUDIT_CHECKPOINTS = {"BACKEND": "audit.checkpoint_stores.FileCheckpointStore", "OPTIONS": {"path": path}}
    return path


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def kept_for_the_module[T](django_db_blocker: DjangoDbBlocker, make: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture (`yield from kept_for_the_module(django_db_blocker, make)`):
    what `make` writes is made once, inside a transaction held open for the module's tests and
    rolled back after the last of them. Each test that asks for `db` runs in a savepoint inside it,
    rolled back after the test, so every test sees exactly what `make` made and nothing another
    test did. Other modules never see it. Not for tests that need real commits (transactional_db).
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            made = make()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def signed_in_session(user: User) -> str:
    """The key of a session signed in as `user` with the second factor verified (see sign_in)."""
    return sign_in(Client(), user).session.session_key or ""


def client_with_session(session_key: str) -> Client:
    """A new browser holding an existing session: no new sign-in (and no writes) per client."""
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session_key
    return client


def sign_in(client: Client, user: User) -> Client:
    """Signs in with the second factor already verified, as after a real code was entered."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in(client: Client) -> SignIn:
    def _sign_in(user: User) -> Client:
        return sign_in(client, user)

    return _sign_in
