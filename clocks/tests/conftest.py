"""Clock test helpers: the seeded calendar is in the test database (data migration)."""

import pytest

from accounts.models import User
from cases.models import Case, CaseState
from conftest import World
from partnerships.models import Partnership


def make_case(
    world: World, reference: str, state: str = CaseState.NOTIFIED, partnership: Partnership | None = None
) -> Case:
    return Case.objects.create(
        reference=reference,
        partnership=partnership or world.north,
        title=f"Child {reference[-3:]}",
        state=state,
        referred_by=world.people["practitioner"],
        referring_agency=world.agencies["hospital"],
    )


@pytest.fixture
def case(world: World) -> Case:
    return make_case(world, "NSCP-2026-050")


@pytest.fixture
def coordinator(world: World) -> User:
    return world.people["coordinator"]
