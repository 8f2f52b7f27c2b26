"""The case page's buttons on a rapid review case: the main one is the next step of the work;
closing the case is a warning button whose page asks for a reason and a confirmation."""

import html
import re
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case, CaseState
from clocks.models import Clock, ClockStatus
from conftest import SignIn, World
from rapidreviews.models import PanelResponseKind, RapidReview, RapidReviewDecision
from rapidreviews.services.submission import panel_response_record, submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN
from rapidreviews.tests.test_submission import signed_off

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'<a [^>]*class="(govuk-button[^"]*)"[^>]*>([^<]+)</a>')


def buttons(client: Any, case: Case) -> list[tuple[str, str]]:
    """(kind, label) of each button on the case page, in order: primary, secondary or warning."""
    body = html.unescape(client.get(f"/cases/{case.reference}/").content.decode())
    found = []
    for classes, label in BUTTON.findall(body):
        kind = "warning" if "--warning" in classes else "secondary" if "--secondary" in classes else "primary"
        found.append((kind, label.strip()))
    return found


def test_a_notified_case_offers_to_start_the_rapid_review_first_and_closing_only_as_a_warning(
    world: World, signed_in: SignIn, notified: Case
) -> None:
    found = buttons(signed_in(world.people["coordinator"]), notified)
    assert found[0] == ("primary", "Start the rapid review")
    assert ("warning", "Close: criteria not met after all") in found
    assert [kind for kind, _ in found].count("primary") == 1


def test_a_rapid_review_under_way_offers_to_go_to_it_and_closing_only_as_a_warning(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    found = buttons(signed_in(world.people["coordinator"]), asked.case)
    assert found[0] == ("primary", "Go to the rapid review")
    assert ("warning", "Close: criteria not met after all") in found
    assert ("primary", "Close: criteria not met after all") not in found


def test_closing_needs_a_reason_and_a_confirmation_and_stops_the_open_deadlines(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    case = asked.case
    client = signed_in(world.people["coordinator"])
    url = f"/cases/{case.reference}/step/criteria_not_met/"
    page = html.unescape(client.get(url).content.decode())
    assert "govuk-button--warning" in page
    assert "Rapid review" in page  # the open deadlines it would stop are named
    empty = html.unescape(client.post(url, {"version": str(case.version), "note": ""}).content.decode())
    assert "Enter why the criteria were not met after all" in empty
    assert "Confirm that you want to close the case" in empty
    unconfirmed = client.post(url, {"version": str(case.version), "note": "The injuries were accidental."})
    assert unconfirmed.status_code == 200
    assert "The injuries were accidental." in html.unescape(unconfirmed.content.decode())
    case.refresh_from_db()
    assert case.state == CaseState.RAPID_REVIEW
    done = client.post(url, {"version": str(case.version), "note": "The injuries were accidental.", "confirm": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert not Clock.objects.filter(case=case, status__in=[ClockStatus.OPEN, ClockStatus.EXTENDED, ClockStatus.PAUSED])
    assert "The case was closed: The injuries were accidental." in set(
        Clock.objects.filter(case=case, status=ClockStatus.CANCELLED).values_list("reason", flat=True)
    )


def test_after_the_panel_agrees_to_a_local_review_the_next_step_is_to_commission_it_never_to_reopen(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = signed_off(world, asked, RapidReviewDecision.LCSPR)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    panel_response_record(
        review=review,
        actor=world.people["coordinator"],
        received_on=timezone.localdate(),
        kind=PanelResponseKind.AGREES,
        said="The Panel agrees a local review is right.",
        reopen=[],
    )
    client = signed_in(world.people["coordinator"])
    found = buttons(client, review.case)
    # The local review stage answers: open the review the partners decided on.
    assert [label for kind, label in found if kind == "primary"] == ["Open the local review"]
    assert "Reopen the rapid review" not in [label for _, label in found]
    body = html.unescape(client.get(f"/cases/{review.case.reference}/").content.decode())
    assert "The partners decided on a local review. Open it here" in body


def test_before_the_panel_replies_the_next_step_is_to_record_its_reply(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = signed_off(world, asked, RapidReviewDecision.NO_LCSPR)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    found = buttons(signed_in(world.people["coordinator"]), review.case)
    assert found[0] == ("primary", "Record the Panel's response")
    panel_response_record(
        review=review,
        actor=world.people["coordinator"],
        received_on=timezone.localdate(),
        kind=PanelResponseKind.AGREES,
        said="Agreed.",
        reopen=[],
    )
    found = buttons(signed_in(world.people["coordinator"]), review.case)
    assert found[0] == ("primary", "Close the case")  # no further review: closing is the work's next step


def test_the_referrer_finds_no_rapid_review_page_before_or_after_it_starts(
    world: World, signed_in: SignIn, notified: Any
) -> None:
    from rapidreviews.services.review import rapid_review_start

    url = f"/rapid-reviews/{notified.reference}/"
    assert signed_in(world.people["coordinator"]).get(url).status_code == 200, "the coordinator may start it"
    practitioner = signed_in(world.people["practitioner"])
    assert practitioner.get(f"/cases/{notified.reference}/").status_code == 200, "they see the case they referred"
    assert practitioner.get(url).status_code == 404
    rapid_review_start(case=notified, actor=world.people["coordinator"])
    assert practitioner.get(url).status_code == 404
