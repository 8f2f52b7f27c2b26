"""The family involvement log: kept by the coordinator and the reviewer, read by the partners too,
and not there for anyone else (its pages 404, its events left out of the case's history, its line
left off the task list); every read audited."""

from datetime import date
from typing import Any

import pytest

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess
from cases.timeline import case_timeline
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from localreviews.family_models import FamilyContact, FamilyResponse
from localreviews.models import DecidedWhen, LocalReview, ReviewKind
from localreviews.policies import LocalReviewChecker
from localreviews.selectors import task_list

pytestmark = pytest.mark.django_db

URL = "/local-reviews/NSCP-2026-001/family/"


@pytest.fixture
def review(world: World, sent: Case) -> LocalReview:
    Case.objects.filter(pk=sent.pk).update(state="local_review")
    return LocalReview.objects.create(
        case=sent,
        kind=ReviewKind.LCSPR,
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        opened_by=world.people["coordinator"],
    )


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "token": "t1",
        "who": "Mother",
        "offer_made_on_0": "9",
        "offer_made_on_1": "3",
        "offer_made_on_2": "2026",
        "offer_how": "letter",
        "response": "no_response",
        "responded_on_0": "",
        "responded_on_1": "",
        "responded_on_2": "",
        "contribution": "",
        "consent_for": "",
        "consent_on_0": "",
        "consent_on_1": "",
        "consent_on_2": "",
        "notes": "",
        **changes,
    }


def test_the_coordinator_records_an_offer_and_its_answer(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    answer = browser.post(URL + "new/", _form())
    assert answer.status_code == 302 and answer["Location"] == URL
    browser.post(URL + "new/", _form())  # the same form sent twice adds it once
    entry = FamilyContact.objects.get()
    assert entry.response == FamilyResponse.NO_RESPONSE
    lines = task_list(review, LocalReviewChecker(world.people["coordinator"], review.case))
    assert next(t for t in lines if t.text == "Family involvement").status == "In progress"
    answer = browser.post(
        f"{URL}{entry.pk}/",
        _form(
            version=str(entry.version),
            response="accepted",
            responded_on_0="16",
            responded_on_1="3",
            responded_on_2="2026",
            contribution="Met the reviewer at home with her sister.",
            consent_for="Her words quoted in the report, anonymised.",
            consent_on_0="16",
            consent_on_1="3",
            consent_on_2="2026",
        ),
    )
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.response == FamilyResponse.ACCEPTED and entry.consent_on == date(2026, 3, 16)
    lines = task_list(review, LocalReviewChecker(world.people["coordinator"], review.case))
    assert "Family involvement" in [t.text for t in lines]
    text = browser.get(URL).content.decode()
    assert "Met the reviewer at home" in text and "Her words quoted" in text
    # The ledger says the log changed, not what it says.
    summaries = [e.details["summary"] for e in AuditEvent.objects.filter(target_type="localreviews.familycontact")]
    assert summaries and not any("sister" in s or "Mother" in s for s in summaries)


def test_bad_input_comes_back_with_its_errors_and_the_text(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.post(
        URL + "new/",
        _form(
            who="",
            offer_made_on_0="1",
            offer_made_on_1="4",  # after today
            offer_how="",
            response="declined",
            contribution="Wrote a letter",
            consent_for="Quoting her words",
            notes="Kept notes",
        ),
    )
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    for message in (
        "Enter who the offer was made to",
        "Date the offer was made must be today or in the past",
        "Select how the offer was made",
        "Enter the date of their answer",
        "Record how they contributed once they have accepted the offer",
        "Enter the date consent was given",
    ):
        assert message in text, message
    assert "Kept notes" in text and "Wrote a letter" in text
    page = browser.post(URL + "new/", _form(offer_made_on_0="1", offer_made_on_1="3"))
    assert "on or after the partners&#x27; decision (2 March 2026)" in page.content.decode()
    assert not FamilyContact.objects.exists()


def test_a_stale_change_keeps_the_text(world: World, review: LocalReview, signed_in: SignIn, today: None) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(URL + "new/", _form())
    entry = FamilyContact.objects.get()
    page = browser.post(f"{URL}{entry.pk}/", _form(version=str(entry.version + 1), notes="My careful notes"))
    text = page.content.decode()
    assert "Someone else" in text and "My careful notes" in text
    entry.refresh_from_db()
    assert entry.notes == ""


@pytest.mark.parametrize("persona", ["scrutineer", "chair", "notifier", "lead_hospital", "south_coordinator"])
def test_the_log_is_not_there_for_others(
    world: World, review: LocalReview, signed_in: SignIn, today: None, persona: str
) -> None:
    signed_in(world.people["coordinator"]).post(URL + "new/", _form())
    entry = FamilyContact.objects.get()
    browser = signed_in(world.people[persona])
    for url in (URL, URL + "new/", f"{URL}{entry.pk}/"):
        assert browser.get(url).status_code == 404, url
    assert browser.post(URL + "new/", _form(token="t2")).status_code == 404
    assert FamilyContact.objects.count() == 1


def test_partners_read_it_and_the_reviewer_keeps_it(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    signed_in(world.people["coordinator"]).post(URL + "new/", _form())
    entry = FamilyContact.objects.get()
    partner = signed_in(world.people["delegate_icb"])
    before = AuditEvent.objects.filter(case=review.case, verb=Verb.VIEW).count()
    with max_page_queries():
        page = partner.get(URL)
    assert page.status_code == 200 and "Mother" in page.content.decode()
    assert "Record an offer to the family" not in page.content.decode()
    read = AuditEvent.objects.filter(case=review.case, verb=Verb.VIEW).order_by("-id").first()
    assert AuditEvent.objects.filter(case=review.case, verb=Verb.VIEW).count() == before + 1
    assert read is not None and read.details["page"] == "localreviews:family"
    assert partner.get(URL + "new/").status_code == 403
    assert partner.get(f"{URL}{entry.pk}/").status_code == 403
    reviewer = world.people["reviewer"]
    CaseAccess.objects.create(case=review.case, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    browser = signed_in(reviewer)
    with max_page_queries():
        assert browser.get(f"{URL}{entry.pk}/").status_code == 200
    assert browser.post(URL + "new/", _form(token="t3", who="Maternal grandmother")).status_code == 302


def test_the_case_history_and_the_task_list_leave_the_log_out_for_others(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    signed_in(world.people["coordinator"]).post(URL + "new/", _form())
    signed_in(world.people["coordinator"]).post(
        "/local-reviews/NSCP-2026-001/learning-events/new/",
        {
            "version": "0",
            "title": "Learning event",
            "date_0": "14",
            "date_1": "4",
            "date_2": "2026",
            "start_time": "09:30",
            "duration_minutes": "180",
            "place": "Room 2",
            "guest1_name": "Sam Okafor",
            "guest1_email": "sam@gp.example",
        },
    )
    case = review.case

    def targets(persona: str) -> set[str]:
        return {e.target_type for e in case_timeline(case, user=world.people[persona], include_messages=False)}

    assert "localreviews.familycontact" in targets("delegate_la")
    assert "localreviews.familycontact" in targets("coordinator")
    for persona in ("scrutineer", "chair", "notifier"):
        assert "localreviews.familycontact" not in targets(persona), persona
        assert "localreviews.learningevent" in targets(persona), persona
    assert not any(t.startswith("localreviews.") for t in targets("lead_hospital"))
    # The review page's task list: the log's line for its readers only.
    assert (
        "Family involvement"
        in signed_in(world.people["delegate_la"]).get("/local-reviews/NSCP-2026-001/").content.decode()
    )
    scrutineer = signed_in(world.people["scrutineer"])
    with max_page_queries():
        page = scrutineer.get("/local-reviews/NSCP-2026-001/")
    text = page.content.decode()
    assert "Practitioner learning events" in text and "Family involvement" not in text
