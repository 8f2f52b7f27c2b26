"""Appointing the reviewer, and what a commissioned reviewer may read: this case's local review, and
of the rapid review nothing until the partners share its summaries with the review."""

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Invitation, Membership
from accounts.roles import Role
from accounts.services import invitation_accept
from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess, CaseState
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from documents.models import Document
from documents.services import document_store
from localreviews.models import DecidedWhen, LocalReview, LocalReviewEvent, LocalReviewStatus, Reviewer, ReviewKind
from rapidreviews.models import AgencySummary, ChronologyEntry, RapidReview, SummaryStatus
from rapidreviews.services.document import TOPIC
from rapidreviews.services.requests import information_request_send
from rapidreviews.services.review import rapid_review_start
from rapidreviews.services.summaries import chronology_entry_save

REF = "NSCP-2026-001"
URL = f"/local-reviews/{REF}/"
REVIEWERS = URL + "reviewers/"
APPOINT = REVIEWERS + "appoint/"
SHARE = REVIEWERS + "share-rapid-review/"
NEW_PASSWORD = "an invented passphrase for 2026"


def _form(version: int = 1, **changes: str) -> dict[str, str]:
    return {
        "version": str(version),
        "name": "Imogen Vardy-Lisle",
        "email": "imogen.vardy@example.test",
        "employment": "independent",
        "organisation": "Vardy Review Consulting",
        "agreement_starts_0": "16",
        "agreement_starts_1": "3",
        "agreement_starts_2": "2026",
        "agreement_ends_0": "30",
        "agreement_ends_1": "9",
        "agreement_ends_2": "2026",
        "appointed_on_0": "16",
        "appointed_on_1": "3",
        "appointed_on_2": "2026",
        "independent_declared": "on",
        "independence_statement": "I have never worked for any Northshire agency.",
        "conflicts": "",
        **changes,
    }


@pytest.fixture
def commissioned(world: World, sent: Case) -> LocalReview:
    """The Northshire case's LCSPR, just commissioned (decided 2 March 2026)."""
    Case.objects.filter(pk=sent.pk).update(state="local_review")
    return LocalReview.objects.create(
        case=sent,
        kind=ReviewKind.LCSPR,
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Criteria (a) and (c) met.",
        opened_by=world.people["coordinator"],
    )


@pytest.fixture
def drafted(world: World) -> LocalReview:
    """The Northshire case with a rapid review whose hospital summary was sent (with an entry) and
    whose school summary is still a draft (its entry written through the service, so audited),
    a rapid review document, and then an LCSPR commissioned."""
    case = world.cases["north"]
    Case.objects.filter(pk=case.pk).update(state=CaseState.NOTIFIED)
    case.refresh_from_db()
    coordinator = world.people["coordinator"]
    review = rapid_review_start(case=case, actor=coordinator)
    for agency, lead in (("hospital", "lead_hospital"), ("school", "lead_school")):
        information_request_send(
            review=review, actor=coordinator, agency=world.agencies[agency], lead=world.people[lead]
        )
    hospital = AgencySummary.objects.get(request__review=review, request__agency=world.agencies["hospital"])
    school = AgencySummary.objects.get(request__review=review, request__agency=world.agencies["school"])
    ChronologyEntry.objects.create(
        agency_summary=hospital, date=date(2025, 11, 3), what_happened="Seen in the emergency department", source="ED"
    )
    AgencySummary.objects.filter(pk=hospital.pk).update(status=SummaryStatus.SUBMITTED)
    chronology_entry_save(
        agency_summary=school,
        actor=world.people["lead_school"],
        entry=None,
        expected_version=0,
        on=date(2025, 12, 1),
        at=None,
        what_happened="Draft: absent from school for a week",
        source="Register",
        significance="",
    )
    document_store(
        case=case,
        actor=coordinator,
        title="Rapid review document (PDF), version 1",
        name="rapid-review.pdf",
        data=b"%PDF-1.7 invented",
        content_type="application/pdf",
        topic=TOPIC,
    )
    RapidReview.objects.filter(pk=review.pk).update(decision="lcspr")
    Case.objects.filter(pk=case.pk).update(state="local_review")
    return LocalReview.objects.create(
        case=case,
        kind=ReviewKind.LCSPR,
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about school attendance.",
        opened_by=coordinator,
    )


def _appoint(world: World, browser: Any, review: LocalReview, **changes: str) -> Any:
    review.refresh_from_db()
    return browser.post(APPOINT, _form(version=review.version, **changes))


# --- Appointing -----------------------------------------------------------------------------------


def test_a_new_address_is_appointed_and_invited_and_the_review_moves_on(
    world: World,
    commissioned: LocalReview,
    signed_in: SignIn,
    today: None,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    browser = signed_in(world.people["coordinator"])
    assert browser.get(APPOINT).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = _appoint(world, browser, commissioned)
    assert answer.status_code == 302 and answer["Location"] == REVIEWERS
    reviewer = Reviewer.objects.get(review=commissioned)
    assert reviewer.user is None and reviewer.email == "imogen.vardy@example.test"
    invitation = Invitation.objects.get(email="imogen.vardy@example.test")
    assert invitation.role == Role.REVIEWER and reviewer.invitation == invitation
    [mail] = [m for m in mailoutbox if "imogen.vardy@example.test" in m.to]
    assert f"You are invited to review case {REF}" == mail.subject
    assert f"appointed you as reviewer for the local review of case {REF} (Child A)" in mail.body
    assert "3. The review is then on your home page. You can read this case's local review only." in mail.body
    # The first appointment took the review's step, with its history row and audit event.
    commissioned.refresh_from_db()
    assert commissioned.status == LocalReviewStatus.REVIEWER_APPOINTED
    assert LocalReviewEvent.objects.filter(review=commissioned, step="appoint_reviewer").count() == 1
    assert AuditEvent.objects.filter(target_type="localreviews.reviewer", verb=Verb.CREATE).count() == 1
    page = browser.get(REVIEWERS).content.decode()
    assert "Imogen Vardy-Lisle" in page and "Invited by email" in page
    assert "Appoint a second reviewer" in page
    text = browser.get(URL).content.decode()
    assert f'href="{REVIEWERS}"' in text


def test_accepting_the_invitation_links_the_account_and_gives_this_case(
    world: World,
    commissioned: LocalReview,
    signed_in: SignIn,
    today: None,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _appoint(world, signed_in(world.people["coordinator"]), commissioned)
    [token] = re.findall(r"/sign-in/invitation/([^/\s]+)/", mailoutbox[-1].body)
    user = invitation_accept(token=token, password=NEW_PASSWORD)
    reviewer = Reviewer.objects.get(review=commissioned)
    assert reviewer.user == user
    assert CaseAccess.objects.filter(
        case=commissioned.case, user=user, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER
    ).exists()
    assert AuditEvent.objects.filter(target_type="localreviews.reviewer", verb=Verb.UPDATE).exists()
    assert AuditEvent.objects.filter(target_type="cases.caseaccess", verb=Verb.CREATE).exists()
    # Their home page lists the review, and the review is theirs to read.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    browser = signed_in(user)
    home = browser.get("/").content.decode()
    assert "Your local reviews" in home and f'href="{URL}"' in home
    assert browser.get(URL).status_code == 200


def test_an_existing_account_is_given_the_role_and_the_case_at_once(
    world: World, commissioned: LocalReview, signed_in: SignIn, today: None
) -> None:
    # The notifier holds no reviewer role: the appointment gives it, and the case.
    notifier = world.people["notifier"]
    _appoint(world, signed_in(world.people["coordinator"]), commissioned, email="NOTIFIER@example.test ")
    reviewer = Reviewer.objects.get(review=commissioned)
    assert reviewer.user == notifier and reviewer.invitation is None
    assert Membership.objects.filter(user=notifier, role=Role.REVIEWER, active=True).exists()
    assert CaseAccess.objects.filter(user=notifier, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER).exists()
    assert not Invitation.objects.filter(email="notifier@example.test").exists()
    # The reviewer persona already holds the role: given the case only.
    _appoint(world, signed_in(world.people["coordinator"]), commissioned, email="reviewer@example.test")
    assert Membership.objects.filter(user=world.people["reviewer"], role=Role.REVIEWER).count() == 1
    assert CaseAccess.objects.filter(user=world.people["reviewer"], case=commissioned.case).exists()


def test_bad_input_comes_back_with_its_errors_and_the_text(
    world: World, commissioned: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = _appoint(
        world,
        browser,
        commissioned,
        name="",
        agreement_ends_0="1",
        agreement_ends_1="3",
        independent_declared="",
        independence_statement="Kept words",
        email="not an address",
    )
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "Enter the reviewer&#x27;s full name" in text
    assert "The end of the agreement must be after its start" in text
    assert "Confirm the reviewer has declared they are independent of the agencies" in text
    assert "Enter an email address in the correct format" in text
    assert "Kept words" in text
    assert not Reviewer.objects.exists()
    # An employed reviewer needs no tick: their statement says how they are independent.
    answer = _appoint(world, browser, commissioned, employment="employed", independent_declared="")
    assert answer.status_code == 302
    # Before the partners' decision: refused.
    page = _appoint(world, browser, commissioned, email="second@example.test", appointed_on_0="1")
    assert "must be on or after the partners&#x27; decision" in page.content.decode()


def test_the_same_address_twice_and_a_third_reviewer_are_refused(
    world: World, commissioned: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    assert _appoint(world, browser, commissioned).status_code == 302
    page = _appoint(world, browser, commissioned, email="Imogen.Vardy@example.test")
    assert "This reviewer has already been appointed to the review" in page.content.decode()
    assert _appoint(world, browser, commissioned, email="second@example.test").status_code == 302
    page = _appoint(world, browser, commissioned, email="third@example.test")
    text = page.content.decode()
    assert "govuk-error-summary" in text and "A review has at most two reviewers" in text
    assert Reviewer.objects.filter(review=commissioned).count() == 2
    assert "no more can be appointed" in browser.get(APPOINT).content.decode()
    # The step was taken once, by the first.
    assert LocalReviewEvent.objects.filter(review=commissioned).count() == 1


def test_a_stale_form_keeps_the_text_and_appoints_nobody(
    world: World, commissioned: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.post(APPOINT, _form(version=commissioned.version + 3, conflicts="My own words"))
    text = page.content.decode()
    assert "Someone else changed the local review" in text and "My own words" in text
    assert not Reviewer.objects.exists() and not Invitation.objects.exists()


def test_only_the_coordinator_appoints_and_shares(
    world: World, commissioned: LocalReview, signed_in: SignIn, today: None
) -> None:
    delegate = signed_in(world.people["delegate_la"])
    assert delegate.get(REVIEWERS).status_code == 200
    assert delegate.get(APPOINT).status_code == 403
    assert delegate.post(APPOINT, _form()).status_code == 403
    assert delegate.post(SHARE).status_code == 403
    assert signed_in(world.people["lead_hospital"]).get(REVIEWERS).status_code == 404
    assert signed_in(world.people["south_coordinator"]).get(APPOINT).status_code == 404
    assert not Reviewer.objects.exists()


def test_the_pages_keep_to_the_query_budget(
    world: World, commissioned: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    _appoint(world, browser, commissioned)
    _appoint(world, browser, commissioned, email="reviewer@example.test")
    for url in (REVIEWERS, APPOINT, URL):
        with max_page_queries():
            assert browser.get(url).status_code == 200, url
    reviewer = signed_in(world.people["reviewer"])
    for url in (REVIEWERS, URL, "/"):
        with max_page_queries():
            assert reviewer.get(url).status_code == 200, url


# --- What the commissioned reviewer reads ---------------------------------------------------------


def _rapid_review_urls(world: World) -> list[str]:
    hospital, school = world.agencies["hospital"].pk, world.agencies["school"].pk
    return [
        reverse("rapidreviews:workspace", args=[REF]),
        reverse("rapidreviews:summary", args=[REF, hospital]),
        reverse("rapidreviews:summary", args=[REF, school]),
        reverse("rapidreviews:meeting", args=[REF]),
        reverse("rapidreviews:papers", args=[REF]),
        reverse("rapidreviews:document", args=[REF]),
        reverse("rapidreviews:requests", args=[REF]),
    ]


def test_a_commissioned_reviewer_reads_this_review_and_no_other_case(
    world: World, drafted: LocalReview, signed_in: SignIn, today: None
) -> None:
    _appoint(world, signed_in(world.people["coordinator"]), drafted, email="reviewer@example.test")
    browser = signed_in(world.people["reviewer"])
    assert browser.get(URL).status_code == 200
    assert browser.get(REVIEWERS).status_code == 200
    assert browser.get(f"/cases/{REF}/").status_code == 200
    # Another case of the same partnership, with its own local review: not there for them.
    other = Case.objects.create(
        reference="NSCP-2026-002", partnership=world.north, title="Child B", state="local_review"
    )
    LocalReview.objects.create(
        case=other,
        kind=ReviewKind.LCSPR,
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        opened_by=world.people["coordinator"],
    )
    for url in (
        f"/local-reviews/{other.reference}/",
        f"/local-reviews/{other.reference}/reviewers/",
        "/cases/NSCP-2026-002/",
    ):
        assert browser.get(url).status_code == 404, url
    # Another partnership's case.
    south = world.cases["south"]
    assert browser.get(f"/local-reviews/{south.reference}/").status_code == 404
    assert browser.get(f"/cases/{south.reference}/").status_code == 404


def test_a_reviewer_of_another_case_is_no_reviewer_here(
    world: World, drafted: LocalReview, signed_in: SignIn, today: None
) -> None:
    """Commissioned for another case and also the hospital's lead (so seeing this case): the review
    of this case is not theirs to read."""
    lead = world.people["lead_hospital"]
    Membership.objects.create(user=lead, partnership=world.north, role=Role.REVIEWER)
    other = Case.objects.create(
        reference="NSCP-2026-002", partnership=world.north, title="Child B", state="local_review"
    )
    CaseAccess.objects.create(case=other, user=lead, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    browser = signed_in(lead)
    assert browser.get(f"/cases/{REF}/").status_code == 200
    assert browser.get(URL).status_code == 404
    assert browser.get(REVIEWERS).status_code == 404


def test_the_reviewer_reads_nothing_of_the_rapid_review_until_it_is_shared(
    world: World, drafted: LocalReview, signed_in: SignIn, today: None
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    _appoint(world, coordinator, drafted, email="reviewer@example.test")
    browser = signed_in(world.people["reviewer"])
    for url in _rapid_review_urls(world):
        assert browser.get(url).status_code in (403, 404), url
    chronology = browser.get(reverse("rapidreviews:chronology", args=[REF])).content.decode()
    assert "Seen in the emergency department" not in chronology
    assert "absent from school" not in chronology
    # The case page, its history, documents and deadlines show none of it.
    case_page = browser.get(f"/cases/{REF}/").content.decode()
    assert "absent from school" not in case_page
    history = browser.get(f"/cases/{REF}/history/").content.decode()
    assert "Chronology entry" not in history and "absent from school" not in history
    # ... which the school's own lead does see (the history shows drafting to its agency).
    own = signed_in(world.people["lead_school"]).get(f"/cases/{REF}/history/").content.decode()
    assert "Chronology entry" in own
    documents = browser.get(f"/cases/{REF}/documents/").content.decode()
    assert "Rapid review document" not in documents
    document = Document.objects.get(topic=TOPIC)
    assert browser.get(reverse("documents:download", args=[REF, document.pk])).status_code == 404
    assert browser.get(f"/cases/{REF}/deadlines/").status_code == 200


def test_once_shared_the_reviewer_reads_the_sent_summaries_and_the_chronology_never_a_draft(
    world: World, drafted: LocalReview, signed_in: SignIn, today: None
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    _appoint(world, coordinator, drafted, email="reviewer@example.test")
    page = coordinator.get(REVIEWERS).content.decode()
    assert "Share the rapid review's summaries and merged chronology with the reviewer" in page
    assert coordinator.post(SHARE).status_code == 302
    rapid_review = RapidReview.objects.get(case=drafted.case)
    assert rapid_review.shared_with_local_review_by == world.people["coordinator"]
    assert rapid_review.shared_with_local_review_at is not None
    assert AuditEvent.objects.filter(
        target_type="rapidreviews.rapidreview", details__summary__startswith="Shared the rapid review"
    ).exists()
    # Sharing twice is refused, and says so.
    again = coordinator.post(SHARE, follow=True).content.decode()
    assert "already been shared" in again

    browser = signed_in(world.people["reviewer"])
    hospital, school = world.agencies["hospital"].pk, world.agencies["school"].pk
    assert browser.get(reverse("rapidreviews:summary", args=[REF, hospital])).status_code == 200
    assert browser.get(reverse("rapidreviews:summary", args=[REF, school])).status_code == 404
    chronology = browser.get(reverse("rapidreviews:chronology", args=[REF])).content.decode()
    assert "Seen in the emergency department" in chronology
    assert "absent from school" not in chronology
    # Still not the workspace, the meeting, its papers or the review document.
    for url in _rapid_review_urls(world):
        if url.endswith(f"/returns/{hospital}/"):
            continue
        assert browser.get(url).status_code in (403, 404), url
    document = Document.objects.get(topic=TOPIC)
    assert browser.get(reverse("documents:download", args=[REF, document.pk])).status_code == 404
    history = browser.get(f"/cases/{REF}/history/").content.decode()
    assert "absent from school" not in history
    assert signed_in(world.people["south_coordinator"]).get(REVIEWERS).status_code == 404
