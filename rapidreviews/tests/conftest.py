import pytest

from cases.models import Case, CaseState
from conftest import World
from rapidreviews.models import RapidReview
from rapidreviews.services.requests import information_request_send
from rapidreviews.services.review import rapid_review_start


@pytest.fixture
def notified(world: World) -> Case:
    case = world.cases["north"]
    Case.objects.filter(pk=case.pk).update(state=CaseState.NOTIFIED)
    case.refresh_from_db()
    return case


@pytest.fixture
def review(world: World, notified: Case) -> RapidReview:
    return rapid_review_start(case=notified, actor=world.people["coordinator"])


@pytest.fixture
def asked(world: World, review: RapidReview) -> RapidReview:
    """Requests sent to the hospital and the school, each to its lead."""
    for agency, lead in (("hospital", "lead_hospital"), ("school", "lead_school")):
        information_request_send(
            review=review, actor=world.people["coordinator"], agency=world.agencies[agency], lead=world.people[lead]
        )
    return review
