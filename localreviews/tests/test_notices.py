"""The notices to the national bodies: the letter drafted from the record, sent to each body by
email and kept on the case as DOCX and tagged PDF, once per form."""

import io
import re
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from docx import Document as DocxDocument
from pikepdf import Array, Dictionary

from audit.models import AuditEvent, Verb
from cases.models import Case
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from documents.models import Document
from documents.services import document_open
from documents.tests.pdf_checks import check_tagged
from localreviews.models import DecidedWhen, Employment, LocalReview, NationalBody, Notice, Reviewer, ReviewKind
from localreviews.services import local_review_open
from notifications.models import Message

URL = "/local-reviews/NSCP-2026-001/"
FIRST = URL + "notices/commissioned/"
SECOND = URL + "notices/reviewer/"
ADDRESSES = {"panel": "panel@example.org", "ofsted": "ofsted@example.org", "dfe": "dfe@example.org"}


@pytest.fixture
def opened(world: World, sent: Case, today: None) -> LocalReview:
    """The LCSPR opened from the rapid review's decision of 2 March 2026."""
    return local_review_open(
        case=sent,
        actor=world.people["coordinator"],
        kind=ReviewKind.LCSPR,
        alternative_type="",
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about discharge planning.",
        expected_version=sent.version,
    )


def _reviewer(review: LocalReview, world: World, name: str = "Robin Ashdown", email: str = "robin@example.org") -> None:
    Reviewer.objects.create(
        review=review,
        name=name,
        email=email,
        employment=Employment.INDEPENDENT,
        organisation="Ashdown Reviews Ltd",
        agreement_starts=date(2026, 3, 16),
        agreement_ends=date(2026, 9, 1),
        independent_declared=True,
        independence_statement="No part in the services to the family.",
        appointed_on=date(2026, 3, 16),
        appointed_by=world.people["coordinator"],
    )


def _form(page_text: str, **changes: str) -> dict[str, str]:
    """The page's own form as a person would send it: its token and letter, with the addresses."""
    token = re.search(r'name="token" value="([^"]+)"', page_text)
    letter = re.search(r'<textarea[^>]*name="letter"[^>]*>(.*?)</textarea>', page_text, re.S)
    assert token and letter
    from html import unescape

    return {
        "token": token.group(1),
        **ADDRESSES,
        "letter": unescape(letter.group(1)).lstrip("\n"),
        "sent_on_0": "20",
        "sent_on_1": "3",
        "sent_on_2": "2026",
        **changes,
    }


def test_the_first_notice_is_drafted_sent_to_each_body_and_kept_as_docx_and_pdf(
    world: World, opened: LocalReview, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.get(FIRST)
    text = page.content.decode()
    assert page.status_code == 200
    # The letter drafted from the record: the pseudonym, the kind, the decision, the 6 months, the contact.
    assert "Child A" in text and "local child safeguarding practice review (LCSPR)" in text
    assert "2 March 2026 (at the rapid review)" in text and "published by 2 September 2026" in text
    assert "The methodology has not been decided yet" in text
    assert "coordinator@example.test" in text
    # No address known yet: the form asks.
    assert re.search(r'<input[^>]*name="panel"(?![^>]*value=)', text)

    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(FIRST, _form(text))
    assert answer.status_code == 302 and answer["Location"] == URL
    notice = Notice.objects.get()
    assert notice.kind == "commissioned" and notice.sent_on == date(2026, 3, 20)
    assert notice.sent_by == world.people["coordinator"]
    assert [r["email"] for r in notice.recipients] == list(ADDRESSES.values())
    assert notice.bodies == [b.label for b in NationalBody]

    # Each body is emailed the letter, and the message is on the case.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(ADDRESSES.values())
    assert all("Child A" in m.body and "Dear colleagues" in m.body for m in mail.outbox)
    assert Message.objects.filter(case=opened.case).count() == 3

    # The letter as a Word document...
    assert notice.letter_docx is not None and notice.letter_pdf is not None
    assert notice.letter_docx.topic == notice.letter_pdf.topic == "local_review_notice"
    with document_open(notice.letter_docx) as file:
        paragraphs = [p.text for p in DocxDocument(io.BytesIO(file.read())).paragraphs]
    assert paragraphs[0] == "Northshire SCP" and paragraphs[1] == "20 March 2026"
    assert "Child Safeguarding Practice Review Panel (panel@example.org)" in paragraphs[2]
    assert any(p.startswith("Review being held: Local child safeguarding practice review") for p in paragraphs)
    assert any(
        "holding a local child safeguarding practice review (LCSPR) in the case of Child A" in p for p in paragraphs
    )
    # ...and as a tagged PDF (PDF/UA: marked, en-GB, one structure tree), titled with the pseudonym.
    with document_open(notice.letter_pdf) as file:
        pdf = check_tagged(file.read())
    assert str(pdf.docinfo.Title).startswith("Review being held: Local child safeguarding practice review")
    assert "Child A" in str(pdf.docinfo.Title)
    document = (
        pdf.Root.StructTreeRoot.K[0] if isinstance(pdf.Root.StructTreeRoot.K, Array) else pdf.Root.StructTreeRoot.K
    )
    paragraph_tags = [e for e in document.K if isinstance(e, Dictionary) and str(e.get("/S")) == "/P"]
    assert len(paragraph_tags) >= 6  # the partnership, the date, and the letter's paragraphs

    # The review page lists the notice with its letters; the task is done.
    review_page = browser.get(URL).content.decode()
    assert "Notice that a local review is being held: sent 20 March 2026" in review_page
    assert f"/documents/{opened.case.reference}/{notice.letter_pdf.pk}/download/" in review_page
    assert f"/documents/{opened.case.reference}/{notice.letter_docx.pk}/download/" in review_page
    assert re.search(r"Tell the Panel, Ofsted and DfE that the review is being held</a>.*?Sent", review_page, re.S)


def test_the_notice_is_a_step_in_the_cases_history(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(FIRST, _form(browser.get(FIRST).content.decode()))
    event = AuditEvent.objects.get(verb=Verb.SEND, target_type="localreviews.notice")
    assert event.details["summary"] == (
        "Notice that a local review is being held: sent to the Panel, Ofsted and DfE on 20 March 2026"
    )
    history = browser.get(f"/cases/{opened.case.reference}/history/").content.decode()
    assert "Notice that a local review is being held: sent to the Panel, Ofsted and DfE on 20 March 2026" in history


def test_the_same_form_sent_twice_sends_once(
    world: World, opened: LocalReview, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    browser = signed_in(world.people["coordinator"])
    form = _form(browser.get(FIRST).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(FIRST, form).status_code == 302
        again = browser.post(FIRST, form, follow=True)
    assert "This notice was sent already: it has not been sent twice" in again.content.decode()
    assert Notice.objects.count() == 1
    assert len(mail.outbox) == 3
    assert Document.objects.filter(topic="local_review_notice").count() == 2


def test_the_next_notice_offers_the_addresses_used_last(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(FIRST, _form(browser.get(FIRST).content.decode()))
    _reviewer(opened, world)
    text = browser.get(SECOND).content.decode()
    assert re.search(r'<input[^>]*name="ofsted"[^>]*value="ofsted@example.org"', text)
    # The second letter refers to the first and names the reviewer and their organisation.
    assert "We wrote on 20 March 2026" in text
    assert "Robin Ashdown, Ashdown Reviews Ltd (independent)" in text


@override_settings(
    NATIONAL_BODY_EMAILS={"panel": "cspr@example.org", "ofsted": "ofsted-in@example.org", "dfe": "dfe-in@example.org"}
)
def test_without_an_earlier_notice_the_setting_fills_the_addresses(
    world: World, opened: LocalReview, signed_in: SignIn
) -> None:
    text = signed_in(world.people["coordinator"]).get(FIRST).content.decode()
    assert re.search(r'<input[^>]*name="panel"[^>]*value="cspr@example.org"', text)
    assert re.search(r'<input[^>]*name="dfe"[^>]*value="dfe-in@example.org"', text)


def test_the_reviewers_notice_waits_for_a_reviewer_then_names_two(
    world: World, opened: LocalReview, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    browser = signed_in(world.people["coordinator"])
    text = browser.get(SECOND).content.decode()
    assert "Record the reviewer&#x27;s appointment before telling the national bodies their name" in text
    assert 'name="letter"' not in text
    assert browser.post(SECOND, {**ADDRESSES}).status_code == 200
    assert not Notice.objects.exists()
    _reviewer(opened, world)
    _reviewer(opened, world, name="Sam Okafor", email="sam@example.org")
    text = browser.get(SECOND).content.decode()
    assert "the review&#x27;s reviewers:" in text and "Sam Okafor" in text
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(SECOND, _form(text)).status_code == 302
    notice = Notice.objects.get(kind="reviewer")
    assert "Robin Ashdown" in notice.letter and "Sam Okafor" in notice.letter
    assert notice.letter_docx is not None
    with document_open(notice.letter_docx) as file:
        body = "\n".join(p.text for p in DocxDocument(io.BytesIO(file.read())).paragraphs)
    assert (
        "- Robin Ashdown, Ashdown Reviews Ltd (independent), appointed from 16 March 2026 to 1 September 2026" in body
    )
    assert mail.outbox[0].subject.startswith("Reviewer appointed: ")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"panel": ""}, "Enter the email address of the Child Safeguarding Practice Review Panel"),
        (
            {"dfe": "dfe at example.org"},
            "Enter the email address of the Department for Education in the correct format",
        ),
        ({"sent_on_0": "21"}, "must be today or in the past"),
        ({"sent_on_0": "1", "sent_on_1": "3"}, "must be on or after the partners&#x27; decision (2 March 2026)"),
        ({"letter": "  "}, "Enter the letter"),
    ],
)
def test_bad_input_comes_back_with_its_errors_and_sends_nothing(
    world: World, opened: LocalReview, signed_in: SignIn, changes: dict[str, str], message: str
) -> None:
    browser = signed_in(world.people["coordinator"])
    form = _form(browser.get(FIRST).content.decode(), **changes)
    page = browser.post(FIRST, form)
    text = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in text and message in text
    assert not Notice.objects.exists() and not mail.outbox
    if changes.get("letter") is None:
        assert "Dear colleagues" in text  # the letter is kept as typed


def test_who_may_send_and_who_may_not(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    # The partners read the review but do not send its notices; the agency's lead and another
    # partnership are not told of it; nor a reviewer not commissioned for it.
    assert signed_in(world.people["delegate_la"]).get(FIRST).status_code == 403
    assert signed_in(world.people["delegate_la"]).post(FIRST, {**ADDRESSES}).status_code == 403
    assert signed_in(world.people["lead_hospital"]).get(FIRST).status_code == 404
    assert signed_in(world.people["south_coordinator"]).get(FIRST).status_code == 404
    assert signed_in(world.people["reviewer"]).get(FIRST).status_code == 404
    assert signed_in(world.people["coordinator"]).get(URL + "notices/other/").status_code == 404
    assert not Notice.objects.exists()


def test_the_letters_are_read_by_those_who_read_the_review(
    world: World, opened: LocalReview, signed_in: SignIn
) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(FIRST, _form(browser.get(FIRST).content.decode()))
    notice = Notice.objects.get()
    assert notice.letter_pdf is not None
    download = f"/documents/{opened.case.reference}/{notice.letter_pdf.pk}/download/"
    assert signed_in(world.people["delegate_police"]).get(download).status_code == 200
    assert signed_in(world.people["lead_hospital"]).get(download).status_code == 404


def test_an_alternative_review_may_still_send_a_notice(
    world: World, sent: Case, today: None, signed_in: SignIn
) -> None:
    local_review_open(
        case=sent,
        actor=world.people["coordinator"],
        kind=ReviewKind.ALTERNATIVE,
        alternative_type="Thematic review",
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Lighter plan.",
        expected_version=sent.version,
    )
    browser = signed_in(world.people["coordinator"])
    review_page = browser.get(URL).content.decode()
    assert re.search(
        r"Tell the Panel, Ofsted and DfE that the review is being held</a>.*?Not needed", review_page, re.S
    )
    text = browser.get(FIRST).content.decode()
    assert "needs no notice to the national bodies. You may still send one." in text
    assert "alternative learning review (Thematic review) in the case of Child A" in text
    assert browser.post(FIRST, _form(text)).status_code == 302
    assert Notice.objects.count() == 1


def test_the_pages_cost_few_queries(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(FIRST, _form(browser.get(FIRST).content.decode()))
    _reviewer(opened, world)
    for url in (FIRST, SECOND, URL):
        with max_page_queries():
            assert browser.get(url).status_code == 200
