from datetime import date

import pytest
from django.core import mail
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from cases.models import Case, CaseState
from clocks.models import Clock, ClockRule
from conftest import SignIn, World
from referrals.models import Referral, ReferralStatus
from referrals.tests.helpers import d, fill_in, start_draft

TODAY = "2026-03-10 10:00 +00:00"  # a Tuesday


@pytest.fixture
def frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TODAY, tick=False)


def test_a_practitioner_refers_through_every_page_and_a_case_is_made(
    world: World, signed_in: SignIn, frozen: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = signed_in(world.people["practitioner"])
    pk = fill_in(client, world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    check = client.get(f"/referrals/{pk}/check/")
    assert check.status_code == 200
    assert b"Tamsin Vellacott" in check.content
    assert b"You need to answer" not in check.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/referrals/{pk}/send/")
    assert response.status_code == 302
    case = Case.objects.get(referral__pk=pk)
    assert response["Location"] == f"/referrals/sent/{case.reference}/"
    assert case.reference == "NSCP-2026-0002"
    assert case.title == "Child B"
    assert case.state == CaseState.REFERRED
    assert case.referring_agency == world.agencies["hospital"]
    assert set(case.involved_agencies.all()) == {world.agencies["hospital"], world.agencies["la"]}
    sin = Clock.objects.get(case=case, rule=ClockRule.SIN)
    assert sin.start_date == date(2026, 3, 6)
    assert sin.due_date == date(2026, 3, 13)
    assert any(case.reference in m.subject for m in mail.outbox)
    assert b"Referral sent" in client.get(response["Location"]).content


def test_sending_twice_makes_one_case(world: World, signed_in: SignIn, frozen: None) -> None:
    client = signed_in(world.people["practitioner"])
    pk = fill_in(client, world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    first = client.post(f"/referrals/{pk}/send/")
    second = client.post(f"/referrals/{pk}/send/")
    assert first["Location"] == second["Location"]
    assert Case.objects.filter(referral__pk=pk).count() == 1
    assert Case.objects.filter(partnership=world.north).count() == 2


def test_an_incomplete_draft_cannot_be_sent_and_says_what_is_missing(
    world: World, signed_in: SignIn, frozen: None
) -> None:
    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    response = client.post(f"/referrals/{pk}/send/", follow=True)
    assert b"Enter the date of the incident" in response.content
    assert Referral.objects.get(pk=pk).status == ReferralStatus.DRAFT


def test_leaving_half_way_keeps_the_answers_and_lists_the_draft(world: World, signed_in: SignIn, frozen: None) -> None:
    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    client.post(
        f"/referrals/{pk}/incident/", {**d("incident_date", date(2026, 3, 5)), "place": "Hollowbrook", "later": "1"}
    )
    referral = Referral.objects.get(pk=pk)
    assert referral.incident_date == date(2026, 3, 5)
    assert referral.place == "Hollowbrook"
    listing = client.get("/referrals/")
    assert f"/referrals/{pk}/check/".encode() in listing.content
    home = client.get("/")
    assert f"/referrals/{pk}/check/".encode() in home.content
    page = client.get(f"/referrals/{pk}/incident/")
    assert b'value="Hollowbrook"' in page.content


def test_autosave_keeps_valid_answers_and_reports_no_errors(world: World, signed_in: SignIn, frozen: None) -> None:
    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    response = client.post(
        f"/referrals/{pk}/autosave/incident/",
        {**d("incident_date", date(2030, 1, 1)), **d("la_aware_on", date(2026, 3, 6)), "place": "Hollowbrook"},
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True}
    referral = Referral.objects.get(pk=pk)
    assert referral.incident_date is None  # in the future: not saved
    assert referral.la_aware_on == date(2026, 3, 6)
    assert referral.place == "Hollowbrook"


def test_autosave_creates_the_child_as_they_are_typed(world: World, signed_in: SignIn, frozen: None) -> None:
    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    client.post(f"/referrals/{pk}/autosave/child-1/", {"first_name": "Tamsin"})
    assert Referral.objects.get(pk=pk).children.get().first_name == "Tamsin"


def test_someone_elses_draft_does_not_exist_for_them(world: World, signed_in: SignIn, frozen: None) -> None:
    owner = signed_in(world.people["practitioner"])
    pk = start_draft(owner)
    other = signed_in(world.people["other_practitioner"])
    assert other.get(f"/referrals/{pk}/incident/").status_code == 404
    assert other.post(f"/referrals/{pk}/autosave/incident/", {"place": "X"}).status_code == 404
    assert other.post(f"/referrals/{pk}/send/").status_code == 404
    assert other.get(f"/referrals/{pk}/check/").status_code == 404


def test_people_who_cannot_refer_are_refused(world: World, signed_in: SignIn) -> None:
    client = signed_in(world.people["scrutineer"])
    assert client.get("/referrals/start/").status_code == 403
    assert client.post("/referrals/start/").status_code == 403


def test_the_date_of_death_is_asked_only_for_a_death(world: World, signed_in: SignIn, frozen: None) -> None:
    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    harm = client.post(f"/referrals/{pk}/harm/", {"outcome": "serious_harm", "category": "nai"})
    assert harm["Location"] == f"/referrals/{pk}/abuse/"
    died = client.post(f"/referrals/{pk}/harm/", {"outcome": "died", "category": "sudi"})
    assert died["Location"] == f"/referrals/{pk}/death/"


def test_care_leaver_question_appears_only_for_young_people_of_16_to_24(
    world: World, signed_in: SignIn, frozen: None
) -> None:
    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    client.post(
        f"/referrals/{pk}/incident/",
        {
            **d("incident_date", date(2026, 3, 5)),
            **d("la_aware_on", date(2026, 3, 6)),
            "place": "Hollowbrook",
            "location": "in_area",
        },
    )
    child = {
        "first_name": "Tamsin",
        "last_name": "Vellacott",
        "born": "yes",
        "sex": "female",
        "ethnicity": "white",
        "disability": "no",
        "home_area": "Hollowbrook",
        "home_local_authority": "Northshire Council",
    }
    client.post(f"/referrals/{pk}/child-1/", {**child, **d("date_of_birth", date(2019, 4, 2))})
    assert b"care leaver" not in client.get(f"/referrals/{pk}/child-1-status/").content
    client.post(f"/referrals/{pk}/child-1/", {**child, **d("date_of_birth", date(2007, 4, 2))})
    assert b"care leaver" in client.get(f"/referrals/{pk}/child-1-status/").content


def test_a_second_child_and_an_unborn_child_can_be_added(world: World, signed_in: SignIn, frozen: None) -> None:
    client = signed_in(world.people["practitioner"])
    pk = fill_in(client, world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    response = client.post(f"/referrals/{pk}/children/", {"add_another": "yes"})
    assert response["Location"] == f"/referrals/{pk}/child-2/"
    unborn = {
        "born": "no",
        "sex": "unknown",
        "ethnicity": "unknown",
        "disability": "unknown",
        "home_area": "Hollowbrook",
        "home_local_authority": "Northshire Council",
    }
    assert client.post(f"/referrals/{pk}/child-2/", unborn)["Location"] == f"/referrals/{pk}/child-2-status/"
    client.post(
        f"/referrals/{pk}/child-2-status/", {"looked_after": "no", "child_protection_plan": "no", "child_in_need": "no"}
    )
    referral = Referral.objects.get(pk=pk)
    assert [c.display_name for c in referral.children_list()] == ["Tamsin Vellacott", "Unborn child"]
    client.post(f"/referrals/{pk}/children/2/remove/")
    assert referral.children.count() == 1


def test_pages_of_a_sent_referral_show_what_was_sent_and_change_nothing(
    world: World, signed_in: SignIn, frozen: None
) -> None:
    client = signed_in(world.people["practitioner"])
    pk = fill_in(client, world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    sent = client.post(f"/referrals/{pk}/send/")["Location"]
    assert client.get(f"/referrals/{pk}/incident/")["Location"] == sent
    assert client.post(f"/referrals/{pk}/incident/", {"place": "Changed"})["Location"] == sent
    assert client.get(f"/referrals/{pk}/children/")["Location"] == sent
    assert client.post(f"/referrals/{pk}/autosave/incident/", {"place": "Changed"}).status_code == 409
    assert Referral.objects.get(pk=pk).place == "Hollowbrook"


def test_the_case_page_reads_a_bounded_number_of_queries(
    world: World, signed_in: SignIn, frozen: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    from referrals.tests.helpers import make_case

    case = make_case(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2), children=4)
    client = signed_in(world.people["coordinator"])
    with django_assert_max_num_queries(50):
        assert client.get(f"/cases/{case.reference}/").status_code == 200


def test_multiple_choice_questions_are_checkboxes_so_several_can_be_chosen(
    world: World, signed_in: SignIn, frozen: None
) -> None:
    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    for slug in ("agencies", "processes"):
        page = client.get(f"/referrals/{pk}/{slug}/").content.decode()
        assert 'type="checkbox"' in page
        assert 'type="radio"' not in page
    client.post(f"/referrals/{pk}/processes/", {"parallel_processes": ["police", "coroner"]})
    assert Referral.objects.get(pk=pk).parallel_processes == ["police", "coroner"]
