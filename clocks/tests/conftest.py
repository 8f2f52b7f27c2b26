"""Clock test helpers: the seeded calendar is in the test database (data migration)."""

from typing import Any

import pytest

from cases.models import Case, CaseState


def make_case(world: Any, reference: str, state: str = CaseState.NOTIFIED, partnership: Any = None) -> Case:
    return Case.objects.create(
        reference=reference,
        partnership=partnership or world.north,
        title=f"Child {reference[-3:]}",
        state=state,
        referred_by=world.people["practitioner"],
        referring_agency=world.agencies["hospital"],
    )


@pytest.fixture
def case(world: Any) -> Case:
    return make_case(world, "NSCP-2026-050")


@pytest.fixture
def coordinator(world: Any) -> Any:
    return world.people["coordinator"]
