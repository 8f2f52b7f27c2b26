from cases.policies import CaseAction, can, cases_visible_to, cases_with_record_access
from conftest import SignIn, World


def test_a_referrer_sees_where_their_referral_is_but_not_the_whole_record(world: World, signed_in: SignIn) -> None:
    practitioner = world.people["practitioner"]
    case = world.cases["north"]
    response = signed_in(practitioner).get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    assert b"your referral" in response.content
    assert b"What has happened" not in response.content
    assert not can(practitioner, CaseAction.VIEW_RECORD, case)
    assert not can(practitioner, CaseAction.DOWNLOAD_DOCUMENT, case)


def test_the_people_working_on_a_case_see_the_whole_record(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    for key in ("coordinator", "lead_hospital", "delegate_police", "scrutineer"):
        response = signed_in(world.people[key]).get(f"/cases/{case.reference}/history/")
        assert b"What has happened" in response.content, key


def test_record_access_leaves_out_cases_seen_only_as_their_referrer(world: World) -> None:
    practitioner = world.people["practitioner"]
    assert world.cases["north"] in cases_visible_to(practitioner)
    assert world.cases["north"] not in cases_with_record_access(practitioner)
    assert world.cases["north"] in cases_with_record_access(world.people["lead_hospital"])


def test_only_coordinators_see_messages_and_their_recipients_in_the_timeline(world: World, signed_in: SignIn) -> None:
    from notifications.services import message_send

    case = world.cases["north"]
    message_send(
        recipients=[world.people["lead_school"]],
        subject="Information request for Child A",
        body="Please send your summary.",
        case=case,
        actor=world.people["coordinator"],
    )
    address = world.people["lead_school"].email.encode()
    coordinator_page = signed_in(world.people["coordinator"]).get(f"/cases/{case.reference}/history/").content
    assert address in coordinator_page
    for part in ("", "history/", "deadlines/", "referral/", "documents/"):
        assert address not in signed_in(world.people["lead_hospital"]).get(f"/cases/{case.reference}/{part}").content
    lead_page = signed_in(world.people["lead_hospital"]).get(f"/cases/{case.reference}/history/").content
    assert b"What has happened" in lead_page
    assert address not in lead_page, "another agency's lead must not learn who else was asked"


def test_the_referrer_is_told_the_outcome_came_by_email_once_there_is_one(world: World, signed_in: SignIn) -> None:
    from cases.models import Case, CaseState

    case = world.cases["north"]
    url = f"/cases/{case.reference}/"
    assert b"You have been sent the outcome by email" not in signed_in(world.people["practitioner"]).get(url).content
    for state in (CaseState.NOT_NOTIFIED, CaseState.RAPID_REVIEW_SUBMITTED, CaseState.CLOSED):
        Case.objects.filter(pk=case.pk).update(state=state)
        body = signed_in(world.people["practitioner"]).get(url).content
        assert b"You have been sent the outcome by email" in body, state


def test_closing_a_rapid_review_as_criteria_not_met_points_to_the_decision_page(
    world: World, signed_in: SignIn
) -> None:
    from cases.models import Case, CaseState

    case = world.cases["north"]
    url = f"/cases/{case.reference}/step/criteria_not_met/"
    Case.objects.filter(pk=case.pk).update(state=CaseState.NOTIFIED)
    assert b"record it there as their decision" not in signed_in(world.people["coordinator"]).get(url).content
    Case.objects.filter(pk=case.pk).update(state=CaseState.RAPID_REVIEW)
    assert b"record it there as their decision" in signed_in(world.people["coordinator"]).get(url).content
