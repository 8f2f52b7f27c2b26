"""The partners' monitoring of the local review (regulation 14): written requests to the reviewer,
each kept with its answer; progress checkpoints at the partnership's interval; delays, the 6 months
paused with them, and the notice of the reasons to the Panel and the Secretary of State."""

import io
import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.core import mail
from docx import Document as DocxDocument

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess
from clocks.models import Clock, ClockSettings, ClockStatus
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from documents.services import document_open
from documents.tests.pdf_checks import check_tagged
from localreviews.clock_rules import SIX_MONTHS, WRITTEN_REQUEST
from localreviews.models import DecidedWhen, Employment, LocalReview, Notice, NoticeKind, Reviewer, ReviewKind
from localreviews.monitoring_models import Checkpoint, Delay, DelayStatus, RequestStatus, WrittenRequest
from localreviews.monitoring_services import checkpoint_dates
from localreviews.services import local_review_open

URL = "/local-reviews/NSCP-2026-001/"
MONITORING = URL + "monitoring/"
ASK = MONITORING + "ask/"
DELAY_NOTICE = URL + "notices/delay/"


@pytest.fixture
def opened(world: World, sent: Case, today: None) -> LocalReview:
    """The LCSPR decided on 2 March 2026, with its reviewer commissioned for this case."""
    review = local_review_open(
        case=sent,
        actor=world.people["coordinator"],
        kind=ReviewKind.LCSPR,
        alternative_type="",
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about discharge planning.",
        expected_version=sent.version,
    )
    reviewer = world.people["reviewer"]
    Reviewer.objects.create(
        review=review,
        name="Robin Ashdown",
        email=reviewer.email,
        employment=Employment.INDEPENDENT,
        organisation="Ashdown Reviews Ltd",
        agreement_starts=date(2026, 3, 16),
        agreement_ends=date(2026, 9, 1),
        independent_declared=True,
        independence_statement="No part in the services to the family.",
        user=reviewer,
        appointed_on=date(2026, 3, 16),
        appointed_by=world.people["coordinator"],
    )
    CaseAccess.objects.create(case=sent, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    return review


def _token(text: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', text)
    assert found
    return found.group(1)


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _ask(browser: Any, what: str = "draft", text: str = "The draft report as it stands, to check its progress.") -> Any:
    page = browser.get(ASK).content.decode()
    return browser.post(
        ASK, {"token": _token(page), "what": what, "text": text, **_date("asked_on", date(2026, 3, 20))}
    )


def test_a_written_request_is_logged_emailed_and_answered_by_the_reviewer(
    world: World, opened: LocalReview, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    delegate = signed_in(world.people["delegate_police"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(delegate).status_code == 302
    request = WrittenRequest.objects.get()
    assert request.asked_by == world.people["delegate_police"] and request.status == RequestStatus.OPEN
    # 10 working days from Friday 20 March 2026 (Good Friday 3 April and Easter Monday 6 April not counted).
    assert request.due_on == date(2026, 4, 7)
    clock = Clock.objects.get(case=opened.case, rule=WRITTEN_REQUEST)
    assert clock.start_date == date(2026, 3, 20) and clock.due_date == date(2026, 4, 7)
    assert clock.owner == world.people["reviewer"]
    # The reviewer is emailed the request, with where to answer it.
    assert [m.to for m in mail.outbox] == [[world.people["reviewer"].email]]
    assert "The draft report as it stands" in mail.outbox[0].body
    assert f"/local-reviews/NSCP-2026-001/monitoring/requests/{request.pk}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(verb=Verb.CREATE, target_type="localreviews.writtenrequest").exists()

    reviewer = signed_in(world.people["reviewer"])
    page = reviewer.get(MONITORING + f"requests/{request.pk}/")
    assert page.status_code == 200 and 'name="answer"' in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = reviewer.post(
            MONITORING + f"requests/{request.pk}/",
            {
                "version": str(request.version),
                "answer": "Draft 2 is in the service.",
                **_date("answered_on", date(2026, 3, 20)),
            },
        )
    assert answered.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.answered_by == world.people["reviewer"]
    assert request.answer == "Draft 2 is in the service." and request.answered_on == date(2026, 3, 20)
    clock.refresh_from_db()
    assert clock.status == ClockStatus.MET and clock.met_on == date(2026, 3, 20)
    # The asker is told; the step is in the review's history.
    assert [m.to for m in mail.outbox] == [[world.people["delegate_police"].email]]
    assert AuditEvent.objects.filter(verb=Verb.TRANSITION, details__step="written_request_answer").exists()
    shown = delegate.get(MONITORING + f"requests/{request.pk}/").content.decode()
    assert "Draft 2 is in the service." in shown and 'name="answer"' not in shown


def test_the_clock_follows_the_oldest_unanswered_request(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    from localreviews.monitoring_models import RequestWhat
    from localreviews.monitoring_services import written_request_answer, written_request_ask

    coordinator = world.people["coordinator"]
    first, _ = written_request_ask(
        review=opened,
        actor=coordinator,
        what=RequestWhat.INFORMATION,
        text="The chronology.",
        asked_on=date(2026, 3, 16),
    )
    written_request_ask(
        review=opened, actor=coordinator, what=RequestWhat.DRAFT, text="The draft.", asked_on=date(2026, 3, 19)
    )
    assert Clock.objects.get(case=opened.case, rule=WRITTEN_REQUEST, status=ClockStatus.OPEN).start_date == date(
        2026, 3, 16
    )
    written_request_answer(
        request=first,
        actor=world.people["reviewer"],
        answer="Attached.",
        answered_on=date(2026, 3, 20),
        expected_version=1,
    )
    clocks = list(Clock.objects.filter(case=opened.case, rule=WRITTEN_REQUEST).order_by("id"))
    assert [(c.start_date, c.status) for c in clocks] == [
        (date(2026, 3, 16), ClockStatus.MET),
        (date(2026, 3, 19), ClockStatus.OPEN),
    ]


def test_only_the_reviewer_answers_and_only_monitors_ask(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    _ask(signed_in(world.people["coordinator"]))
    request = WrittenRequest.objects.get()
    answer = {"version": "1", "answer": "Not mine to give.", **_date("answered_on", date(2026, 3, 20))}
    for persona in ("coordinator", "delegate_la", "scrutineer"):
        browser = signed_in(world.people[persona])
        assert browser.post(MONITORING + f"requests/{request.pk}/", answer).status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    # The reviewer and the scrutineer read the review but do not ask in writing.
    assert signed_in(world.people["reviewer"]).get(ASK).status_code == 403
    assert signed_in(world.people["scrutineer"]).get(ASK).status_code == 403
    # Another partnership's coordinator, and a lead with no part in the review, are told it is not there.
    assert signed_in(world.people["south_coordinator"]).get(MONITORING).status_code == 404
    assert signed_in(world.people["lead_hospital"]).get(MONITORING + f"requests/{request.pk}/").status_code == 404
    # A request of this review only; a date that is no checkpoint.
    assert signed_in(world.people["coordinator"]).get(MONITORING + "requests/999999/").status_code == 404
    assert signed_in(world.people["coordinator"]).get(MONITORING + "checkpoints/2026-03-31/").status_code == 404
    assert signed_in(world.people["coordinator"]).get(MONITORING + "checkpoints/not-a-date/").status_code == 404


def test_a_request_without_words_is_refused_with_the_error_summary(
    world: World, opened: LocalReview, signed_in: SignIn
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.get(ASK).content.decode()
    answer = browser.post(ASK, {"token": _token(page), "what": "", "text": "  ", "asked_on_0": "31", "asked_on_1": "2"})
    text = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in text
    assert "Select what you are asking the reviewer for" in text and "Enter your request" in text
    assert not WrittenRequest.objects.exists()


def test_checkpoints_fall_due_at_the_partnerships_interval_until_the_six_months() -> None:
    dates = checkpoint_dates(date(2026, 3, 2), 4, date(2026, 9, 2))
    assert dates[0] == date(2026, 3, 30) and dates[-1] == date(2026, 8, 17) and len(dates) == 6
    assert checkpoint_dates(date(2026, 3, 2), 8, date(2026, 9, 2)) == [
        date(2026, 4, 27),
        date(2026, 6, 22),
        date(2026, 8, 17),
    ]


def test_a_checkpoint_is_recorded_and_overdue_ones_show(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    ClockSettings.objects.create(partnership=opened.case.partnership, lr_checkpoint_weeks=1)
    browser = signed_in(world.people["delegate_la"])
    page = browser.get(MONITORING).content.decode()
    # Every week from 2 March: on Friday 20 March, those of 9 and 16 March are overdue.
    assert "2 checkpoints overdue" in page
    assert "checkpoints/2026-03-09/" in page and "checkpoints/2026-03-16/" in page
    assert "2 overdue" in browser.get(URL).content.decode()
    answer = browser.post(
        MONITORING + "checkpoints/2026-03-09/",
        {"rag": "amber", "notes": "Chronology late from the hospital.", **_date("held_on", date(2026, 3, 10))},
    )
    assert answer.status_code == 302
    assert "1 checkpoint overdue" in browser.get(MONITORING).content.decode()
    assert "1 overdue" in browser.get(URL).content.decode()
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.due_on == date(2026, 3, 9) and checkpoint.held_on == date(2026, 3, 10)
    assert checkpoint.rag == "amber" and checkpoint.recorded_by == world.people["delegate_la"]
    assert AuditEvent.objects.filter(verb=Verb.CREATE, target_type="localreviews.checkpoint").exists()
    # Recorded once; the scrutineer reads them but does not record one.
    again = browser.post(
        MONITORING + "checkpoints/2026-03-09/", {"rag": "green", **_date("held_on", date(2026, 3, 10))}
    )
    assert again.status_code == 200 and Checkpoint.objects.count() == 1
    assert signed_in(world.people["scrutineer"]).get(MONITORING + "checkpoints/2026-03-16/").status_code == 403


def test_a_delay_pauses_the_six_months_and_its_reasons_go_to_the_panel_and_secretary_of_state(
    world: World, opened: LocalReview, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    browser = signed_in(world.people["coordinator"])
    # No delay yet: nothing to tell.
    assert "Record the delay and its reasons" in unescape(browser.get(DELAY_NOTICE).content.decode())
    answer = browser.post(
        MONITORING + "delays/new/",
        {
            "reason": "prosecution",
            "text": "The trial of the father is listed for September 2026.",
            **_date("starts_on", date(2026, 3, 18)),
            **_date("expected_until", date(2026, 10, 1)),
            "pause": "on",
        },
    )
    assert answer.status_code == 302
    delay = Delay.objects.get()
    assert delay.paused_clock and delay.status == DelayStatus.HOLDING
    clock = Clock.objects.get(case=opened.case, rule=SIX_MONTHS)
    assert clock.status == ClockStatus.PAUSED and clock.paused_on == date(2026, 3, 18)
    assert "Delayed" in browser.get(URL).content.decode()

    text = browser.get(DELAY_NOTICE).content.decode()
    assert 'name="panel"' in text and 'name="dfe"' in text and 'name="ofsted"' not in text
    letter = re.search(r'<textarea[^>]*name="letter"[^>]*>(.*?)</textarea>', text, re.S)
    assert letter
    words = unescape(letter.group(1)).lstrip("\n")
    assert "Prosecution or trial, since 18 March 2026, expected to end by 1 October 2026" in words
    assert "the Secretary of State" in words
    with django_capture_on_commit_callbacks(execute=True):
        sent = browser.post(
            DELAY_NOTICE,
            {
                "token": _token(text),
                "panel": "panel@example.org",
                "dfe": "dfe@example.org",
                "ofsted": "ofsted@example.org",  # not asked: not sent to
                "letter": words,
                **_date("sent_on", date(2026, 3, 20)),
            },
        )
    assert sent.status_code == 302
    notice = Notice.objects.get(kind=NoticeKind.DELAY)
    assert [r["body"] for r in notice.recipients] == ["panel", "dfe"]
    assert sorted(m.to[0] for m in mail.outbox) == ["dfe@example.org", "panel@example.org"]
    assert notice.letter_docx is not None and notice.letter_pdf is not None
    assert notice.letter_docx.original_name == "NSCP-2026-001-delay-notice-2026-03-20.docx"
    with document_open(notice.letter_docx) as file:
        paragraphs = [p.text for p in DocxDocument(io.BytesIO(file.read())).paragraphs]
    assert any(p.startswith("Review delayed: Local child safeguarding practice review") for p in paragraphs)
    assert any("The trial of the father" in p for p in paragraphs)
    with document_open(notice.letter_pdf) as file:
        pdf = check_tagged(file.read())
    assert str(pdf.docinfo.Title).startswith("Review delayed:")
    event = AuditEvent.objects.get(verb=Verb.SEND, target_type="localreviews.notice")
    assert "sent to the Panel and the Secretary of State (DfE) on 20 March 2026" in event.details["summary"]
    assert f"/documents/NSCP-2026-001/{notice.letter_pdf.pk}/download/" in browser.get(DELAY_NOTICE).content.decode()

    # The trial ends: the 6 months count again, moved on by the working days paused.
    ended = browser.post(
        MONITORING + f"delays/{delay.pk}/end/", {"version": "1", **_date("ended_on", date(2026, 3, 20))}
    )
    assert ended.status_code == 302
    delay.refresh_from_db()
    clock.refresh_from_db()
    assert delay.status == DelayStatus.ENDED and delay.ended_on == date(2026, 3, 20)
    assert clock.status == ClockStatus.OPEN and clock.paused_days == 2
    assert clock.due_date == date(2026, 9, 4)


def test_the_monitoring_pages_cost_few_queries(world: World, opened: LocalReview, signed_in: SignIn) -> None:
    _ask(signed_in(world.people["coordinator"]))
    request = WrittenRequest.objects.get()
    Delay.objects.create(
        review=opened,
        reason="inquest",
        text="The coroner's inquest.",
        starts_on=date(2026, 3, 10),
        recorded_by=world.people["coordinator"],
    )
    # The LCSPR told the national bodies it was being held, as it does before any delay.
    Notice.objects.create(
        review=opened,
        kind=NoticeKind.COMMISSIONED,
        sent_on=date(2026, 3, 16),
        recipients=[{"body": "panel", "email": "panel@example.org"}, {"body": "dfe", "email": "dfe@example.org"}],
        letter="Dear colleagues",
        sent_by=world.people["coordinator"],
    )
    for persona, url in (
        ("coordinator", MONITORING),
        ("reviewer", MONITORING + f"requests/{request.pk}/"),
        ("delegate_icb", MONITORING + "checkpoints/2026-03-30/"),
        ("coordinator", ASK),
        ("coordinator", MONITORING + "delays/new/"),
        ("coordinator", DELAY_NOTICE),
        ("coordinator", URL),
    ):
        browser = signed_in(world.people[persona])
        with max_page_queries():
            assert browser.get(url).status_code == 200, url
