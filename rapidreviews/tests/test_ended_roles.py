"""Ending a person's role ends what it let them read and hear: a lead who leaves no longer reads
the shared summaries or the papers, is no longer the named lead of their agency's requests, and
hears nothing more of the case; their messages about it go with it."""

from datetime import date, time

import pytest

from accounts.models import Membership
from accounts.roles import Role
from accounts.services import membership_end
from cases.models import CaseAccess
from conftest import SignIn, World
from notifications.models import Message
from rapidreviews.models import RapidReview
from rapidreviews.services.meeting import meeting_schedule
from rapidreviews.services.requests import summaries_share
from rapidreviews.services.summaries import agency_summary_submit, leads_of
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world: World, asked: RapidReview) -> RapidReview:
    hospital = summary_of(asked, world.agencies["hospital"])
    complete(hospital, world.people["lead_hospital"])
    agency_summary_submit(
        agency_summary=hospital, actor=world.people["lead_hospital"], expected_version=hospital.version
    )
    meeting_schedule(
        review=asked,
        actor=world.people["coordinator"],
        date=date(2026, 3, 2),
        start_time=time(10, 0),
        duration_minutes=60,
        place="Room 1",
        online_link="",
        members=[world.people["lead_school"]],
    )
    summaries_share(review=asked, actor=world.people["coordinator"])
    return asked


def test_a_lead_whose_role_ended_reads_nothing_more_of_the_case(
    world: World, signed_in: SignIn, shared: RapidReview
) -> None:
    school_lead = world.people["lead_school"]
    client = signed_in(school_lead)
    ref, hospital = shared.case.reference, world.agencies["hospital"]
    assert client.get(f"/rapid-reviews/{ref}/returns/{hospital.pk}/").status_code == 200, "before: a member"
    message = Message.objects.filter(recipient=school_lead, case=shared.case).first()
    assert message is not None
    membership_end(actor=world.people["coordinator"], membership=Membership.objects.get(user=school_lead))
    for path in (
        f"/rapid-reviews/{ref}/returns/{hospital.pk}/",
        f"/rapid-reviews/{ref}/meeting/papers.pdf",
        f"/cases/{ref}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/messages/{message.pk}/").status_code == 404
    assert not CaseAccess.objects.filter(user=school_lead, case=shared.case).exists()
    assert not shared.meeting.members.filter(pk=school_lead.pk).exists()


def test_a_request_whose_named_lead_left_goes_to_the_agencys_current_leads(world: World, asked: RapidReview) -> None:
    from accounts.services import membership_grant

    request = summary_of(asked, world.agencies["school"]).request
    assert leads_of(request) == [world.people["lead_school"]]
    membership_grant(
        actor=world.people["coordinator"],
        user=world.people["lead_police"],
        partnership=world.north,
        role=Role.AGENCY_LEAD,
        agency=world.agencies["school"],
    )
    membership_end(
        actor=world.people["coordinator"],
        membership=Membership.objects.get(user=world.people["lead_school"], agency=world.agencies["school"]),
    )
    request.refresh_from_db()
    assert request.lead is None
    assert leads_of(request) == [world.people["lead_police"]]
