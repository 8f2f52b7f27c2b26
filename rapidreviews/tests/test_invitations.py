"""Asking an agency through a lead invited by email: never an existing account, never both a
chosen lead and an invitation, and an invitation email that says what is asked and what to do."""

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Invitation, User
from accounts.services import invitation_accept
from audit.models import AuditEvent
from conftest import PASSWORD, SignIn, World
from notifications.models import Message
from rapidreviews.models import InformationRequest, RapidReview
from rapidreviews.services.requests import RequestError, information_request_send, requests_take_invited_lead

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long invented passphrase 2026"


def ask(client: Any, review: RapidReview, capture: Any, **data: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("rapidreviews:request_new", args=[review.case.reference]), data)


def invite_fields(email: str) -> dict[str, str]:
    return {"invite_first_name": "Ffion", "invite_last_name": "Arkwright", "invite_email": email}


def nothing_sent(review: RapidReview, mailoutbox: Any) -> bool:
    return not review.requests.exists() and not Invitation.objects.exists() and mailoutbox == []


def test_inviting_a_lead_who_already_has_an_account_is_refused_so_their_account_cannot_be_taken_over(
    world: World, signed_in: SignIn, review: RapidReview, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(world.people["coordinator"])
    response = ask(
        client,
        review,
        django_capture_on_commit_callbacks,
        agency=world.agencies["police"].pk,
        **invite_fields("  LEAD_POLICE@Example.TEST "),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lead_Police Tester already has an account with this email address: choose them as the lead instead" in html
    assert html.count("<title>Error: ") == 1
    assert 'value="Ffion"' in html, "what was typed is kept"
    assert nothing_sent(review, mailoutbox)
    lead = User.objects.get(pk=world.people["lead_police"].pk)
    assert lead.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("person", "says"),
    [
        ("practitioner", "Practitioner Tester already has an account with this email address but is not"),
        ("lead_school", "Lead_School Tester already has an account with this email address but is not"),
        ("south_lead", "A person with this email address already has an account but is not"),
    ],
)
def test_inviting_someone_with_an_account_who_is_not_the_agencys_lead_says_so(
    world: World,
    signed_in: SignIn,
    review: RapidReview,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
    person: str,
    says: str,
) -> None:
    client = signed_in(world.people["coordinator"])
    response = ask(
        client,
        review,
        django_capture_on_commit_callbacks,
        agency=world.agencies["police"].pk,
        **invite_fields(world.people[person].email.upper()),
    )
    html = response.content.decode()
    assert f"{says} a safeguarding lead of Northshire Police: choose another lead" in html
    assert nothing_sent(review, mailoutbox)


def test_the_service_refuses_to_invite_an_address_that_has_an_account(
    world: World, review: RapidReview, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RequestError, match="already has an account"):
        information_request_send(
            review=review,
            actor=world.people["coordinator"],
            agency=world.agencies["police"],
            invite={"email": " Lead_Police@example.test", "first_name": "Ffion", "last_name": "Arkwright"},
        )
    assert nothing_sent(review, mailoutbox)


def test_choosing_a_lead_and_filling_in_the_invitation_asks_for_one_or_the_other(
    world: World, signed_in: SignIn, review: RapidReview, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(world.people["coordinator"])
    response = ask(
        client,
        review,
        django_capture_on_commit_callbacks,
        agency=world.agencies["police"].pk,
        lead=world.people["lead_police"].pk,
        **invite_fields("ffion.arkwright@example.test"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a safeguarding lead or enter the details of a new lead to invite, not both" in html
    assert nothing_sent(review, mailoutbox)
    with pytest.raises(RequestError, match="not both"):
        information_request_send(
            review=review,
            actor=world.people["coordinator"],
            agency=world.agencies["police"],
            lead=world.people["lead_police"],
            invite={"email": "ffion.arkwright@example.test", "first_name": "Ffion", "last_name": "Arkwright"},
        )


def test_the_invited_leads_email_says_what_is_asked_by_whom_and_by_when_and_what_to_do(
    world: World, signed_in: SignIn, review: RapidReview, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = world.people["coordinator"]
    client = signed_in(coordinator)
    response = ask(
        client,
        review,
        django_capture_on_commit_callbacks,
        agency=world.agencies["police"].pk,
        message="Please cover the call-outs in March.",
        **invite_fields("Ffion.Arkwright@example.test"),
    )
    assert response.status_code == 302
    [mail] = [m for m in mailoutbox if m.to == ["ffion.arkwright@example.test"]]
    case = review.case
    assert mail.subject == f"Information request for the rapid review of {case.reference}: set up your account"
    body = mail.body
    assert "Dear Ffion Arkwright" in body
    assert "Northshire SCP" in body
    assert (
        f"{coordinator.display_name} asks Northshire Police for an Individual Agency Summary and chronology for the "
        f"rapid review of case {case.reference} (Child A)"
    ) in body
    assert re.search(r"Summary due: working day \d+, \w+day \d+ \w+", body), body
    assert f"Message from {coordinator.display_name}:\nPlease cover the call-outs in March." in body
    steps = re.findall(r"^\d\. (.+)$", body, flags=re.MULTILINE)
    assert steps[0].startswith("Set your password using this link")
    assert "two-factor authentication" in steps[1]
    assert steps[2] == "The request is then on your home page, ready for you to start."

    [token] = re.findall(r"/sign-in/invitation/([^/\s]+)/", body)
    assert not Message.objects.filter(body__contains=token).exists(), "the link's secret is not in the message log"
    assert not any(token in json.dumps(event.details) for event in AuditEvent.objects.all())

    client.logout()
    accepted = client.post(
        reverse("accounts:accept_invitation", args=[token]), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert accepted["Location"] == reverse("accounts:two_factor_setup")
    assert review.requests.get(agency=world.agencies["police"]).lead == User.objects.get(
        email="ffion.arkwright@example.test"
    )


def test_a_lead_invited_for_two_agencies_takes_both_requests_with_one_link(
    world: World, review: RapidReview, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for agency in ("police", "school"):
        with django_capture_on_commit_callbacks(execute=True):
            information_request_send(
                review=review,
                actor=world.people["coordinator"],
                agency=world.agencies[agency],
                invite={"email": "ffion.arkwright@example.test", "first_name": "Ffion", "last_name": "Arkwright"},
            )
    first = re.findall(r"/sign-in/invitation/([^/\s]+)/", mailoutbox[0].body)[0]
    new_lead = invitation_accept(token=first, password=NEW_PASSWORD)
    assert {r.agency.name: r.lead for r in review.requests.select_related("agency")} == {
        "Northshire Police": new_lead,
        "Hollowbrook School": new_lead,
    }


def test_an_invited_request_is_taken_only_by_the_account_made_from_its_invitation(
    world: World, review: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = information_request_send(
            review=review,
            actor=world.people["coordinator"],
            agency=world.agencies["police"],
            invite={"email": "ffion.arkwright@example.test", "first_name": "Ffion", "last_name": "Arkwright"},
        )
    requests_take_invited_lead(invitation=request.invitation, user=world.people["lead_school"])
    assert InformationRequest.objects.get(pk=request.pk).lead is None
