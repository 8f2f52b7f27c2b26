"""The local review's pages as each persona finds them."""

import re
from datetime import date

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from localreviews.models import LocalReview

URL = "/local-reviews/NSCP-2026-001/"


def _form(**changes: str) -> dict[str, str]:
    return {
        "version": "1",
        "kind": "lcspr",
        "alternative_type": "",
        "decided_when": "rapid_review",
        "decided_on_0": "2",
        "decided_on_1": "3",
        "decided_on_2": "2026",
        "rationale": "Learning about discharge planning.",
        **changes,
    }


def test_the_coordinator_opens_it_from_the_rapid_reviews_decision(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.get(URL + "open/")
    assert page.status_code == 200
    text = page.content.decode()
    # The rapid review's decision fills the form in.
    assert re.search(r'<input[^>]*value="lcspr"[^>]*checked', text)
    assert re.search(r'<input[^>]*name="decided_on_0"[^>]*value="2"', text)
    assert "discharge planning" in text
    answer = browser.post(URL + "open/", _form(version=str(sent.version)))
    assert answer.status_code == 302 and answer["Location"] == URL
    page = browser.get(URL)
    text = page.content.decode()
    assert "Complete and publish by Wednesday 2 September 2026" in text
    assert "Appoint the reviewer" in text


def test_bad_input_comes_back_with_its_errors_and_the_text(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.post(
        URL + "open/",
        _form(version=str(sent.version), kind="alternative", decided_on_0="31", decided_on_1="2", rationale="Kept"),
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in text
    assert "Enter the type of alternative learning review" in text
    # The page's title says so once (base.html adds it for every form with errors).
    assert re.search(r"<title>Error: Open the local review", text) and "Error: Error:" not in text
    assert "Date of the decision must be a real date" in text
    assert "Kept" in text
    assert not LocalReview.objects.exists()


def test_a_stale_form_keeps_the_text_and_opens_nothing(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.post(URL + "open/", _form(version=str(sent.version + 5), rationale="My own words"))
    text = page.content.decode()
    assert "Someone else changed this case" in text and "My own words" in text
    assert not LocalReview.objects.exists()


def test_who_may_open_it_and_who_may_read_it(world: World, sent: Case, signed_in: SignIn, today: None) -> None:
    signed_in(world.people["coordinator"]).post(URL + "open/", _form(version=str(sent.version)))
    assert signed_in(world.people["delegate_la"]).get(URL + "open/").status_code == 403
    assert signed_in(world.people["delegate_la"]).get(URL).status_code == 200
    # An agency's lead sees the case but has no part in the review: not there for them.
    assert signed_in(world.people["lead_hospital"]).get(URL).status_code == 404
    # A reviewer not commissioned for this case does not find it; another partnership neither.
    assert signed_in(world.people["reviewer"]).get(URL).status_code == 404
    assert signed_in(world.people["south_coordinator"]).get(URL).status_code == 404


def test_a_commissioned_reviewer_reads_this_review_only(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    signed_in(world.people["coordinator"]).post(URL + "open/", _form(version=str(sent.version)))
    reviewer = world.people["reviewer"]
    CaseAccess.objects.create(case=sent, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    browser = signed_in(reviewer)
    assert browser.get(URL).status_code == 200
    assert browser.get(URL + "open/").status_code == 403
    other = Case.objects.create(
        reference="NSCP-2026-002", partnership=world.north, title="Child B", state="local_review"
    )
    assert browser.get(f"/local-reviews/{other.reference}/").status_code == 404


def test_reading_the_review_is_audited_and_costs_few_queries(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    coordinator.post(URL + "open/", _form(version=str(sent.version)))
    browser = signed_in(world.people["delegate_police"])
    before = AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count()
    with max_page_queries():
        assert browser.get(URL).status_code == 200
    assert AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count() == before + 1


def test_the_case_page_offers_the_step_and_then_shows_the_review(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    from rapidreviews.models import PanelResponse, PanelResponseKind, RapidReview

    PanelResponse.objects.create(
        review=RapidReview.objects.get(case=sent),
        received_on=date(2026, 3, 18),
        kind=PanelResponseKind.AGREES,
        said="Agreed.",
        recorded_by=world.people["coordinator"],
    )
    browser = signed_in(world.people["coordinator"])
    text = browser.get(f"/cases/{sent.reference}/").content.decode()
    assert "Open the local review" in text and URL + "open/" in text
    browser.post(URL + "open/", _form(version=str(sent.version)))
    text = browser.get(f"/cases/{sent.reference}/").content.decode()
    assert "Local review under way" in text
    assert "The partners have commissioned a local child safeguarding practice review (LCSPR)." in text
    assert f'href="{URL}"' in text
