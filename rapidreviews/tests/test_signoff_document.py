import io
import json
from datetime import date, time, timedelta
from typing import Any

import pikepdf
import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document as Docx

from accounts.roles import Role
from conftest import SignIn, World
from documents.models import Document
from documents.tests.pdf_checks import check_tagged, outline
from rapidreviews.models import ChronologyEntry, RapidReview, RapidReviewDecision, SignOffDecision
from rapidreviews.services.review import rapid_review_update
from rapidreviews.services.signoff import SignOffError, sign_off_record
from rapidreviews.services.signoff_state import sign_off_state
from rapidreviews.tests.helpers import NOT_ALL_IN, all_three_approve, hold_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world: World, asked: RapidReview) -> RapidReview:
    hold_meeting(world, asked)
    rapid_review_update(
        review=asked,
        actor=world.people["coordinator"],
        expected_version=asked.version,
        fields={
            "decision": RapidReviewDecision.NO_LCSPR,
            "decision_rationale": "Learning is captured here & acted on",
            "themes": ["neglect"],
        },
    )
    return asked


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }


def test_the_three_partners_sign_off_and_every_step_is_kept(world: World, decided: RapidReview) -> None:
    sign_off_record(
        review=decided, actor=world.people["delegate_la"], role=Role.DELEGATE_LA, decision=SignOffDecision.APPROVED
    )
    sign_off_record(
        review=decided,
        actor=world.people["delegate_icb"],
        role=Role.DELEGATE_ICB,
        decision=SignOffDecision.CHANGES,
        comments="Say more about the GP",
    )
    sign_off_record(
        review=decided,
        actor=world.people["scrutineer"],
        role=Role.SCRUTINEER,
        decision=SignOffDecision.COMMENT,
        comments="Sound",
    )
    assert not sign_off_state(decided).complete
    sign_off_record(
        review=decided, actor=world.people["delegate_icb"], role=Role.DELEGATE_ICB, decision=SignOffDecision.APPROVED
    )
    sign_off_record(
        review=decided,
        actor=world.people["delegate_police"],
        role=Role.DELEGATE_POLICE,
        decision=SignOffDecision.APPROVED,
    )
    state = sign_off_state(decided)
    assert state.complete and len(state.steps) == 5


def test_asking_for_changes_needs_comments_and_the_scrutineer_cannot_approve(
    world: World, decided: RapidReview
) -> None:
    with pytest.raises(SignOffError):
        sign_off_record(
            review=decided, actor=world.people["delegate_la"], role=Role.DELEGATE_LA, decision=SignOffDecision.CHANGES
        )
    with pytest.raises(SignOffError):
        sign_off_record(
            review=decided, actor=world.people["scrutineer"], role=Role.SCRUTINEER, decision=SignOffDecision.APPROVED
        )
    with pytest.raises(SignOffError):
        sign_off_record(
            review=decided, actor=world.people["coordinator"], role=Role.DELEGATE_LA, decision=SignOffDecision.APPROVED
        )


def test_a_delegate_signs_off_through_the_page(world: World, signed_in: SignIn, decided: RapidReview) -> None:
    client = signed_in(world.people["delegate_police"])
    home = client.get("/").content.decode()
    assert "Rapid reviews awaiting your sign-off" in home
    assert f"Sign off {decided.case.reference}: {decided.case.title}" in home
    response = client.post(f"/rapid-reviews/{decided.case.reference}/sign-off/", {"decision": "approved"})
    assert response.status_code == 302
    assert decided.sign_offs.get().actor == world.people["delegate_police"]


def test_changing_the_decision_asks_the_partners_again(world: World, decided: RapidReview) -> None:
    sign_off_record(
        review=decided, actor=world.people["delegate_la"], role=Role.DELEGATE_LA, decision=SignOffDecision.APPROVED
    )
    decided.refresh_from_db()
    rapid_review_update(
        review=decided,
        actor=world.people["coordinator"],
        expected_version=decided.version,
        fields={"decision": RapidReviewDecision.LCSPR},
    )
    assert sign_off_state(decided).approved_count == 0


def test_the_document_is_generated_as_docx_and_pdf_and_each_version_is_kept(
    world: World, signed_in: SignIn, decided: RapidReview, media: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{decided.case.reference}/document/generate/"
    client.post(url, {"format": "docx"})
    again = client.post(url, {"format": "docx"}, follow=True).content.decode()
    assert "No changes since" in again, "the same document again is the same version"
    assert Document.objects.filter(case=decided.case, title__startswith="Rapid review document").count() == 1
    decided.refresh_from_db()
    rapid_review_update(
        review=decided, actor=world.people["coordinator"], expected_version=decided.version, fields={"learning": "New"}
    )
    client.post(url, {"format": "docx"})
    response = client.post(url, {"format": "pdf"}, follow=True)
    assert "The PDF is ready: it is the newest version below." in response.content.decode()
    docs = Document.objects.filter(case=decided.case, title__startswith="Rapid review document")
    assert docs.count() == 3
    assert all(len(d.sha256) == 64 for d in docs)
    assert docs.filter(title__contains="version 2").exists()
    page = client.get(f"/rapid-reviews/{decided.case.reference}/document/").content.decode()
    first = docs.first()
    assert first is not None
    assert first.sha256 in page


def test_the_docx_has_the_headings_the_letter_and_escaped_text(world: World, decided: RapidReview) -> None:
    from rapidreviews.services.document import document_bytes

    data = document_bytes(review=decided, fmt="docx")
    text = "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)
    assert "Dear Panel," in text
    assert "11. Decision and rationale" in text and "12. Sign-off by the three safeguarding partners" in text
    assert "Learning is captured here & acted on" in text
    assert "{{" not in text and "{%" not in text


def test_the_pdf_is_pdf_ua_with_a_language_and_a_title(world: World, decided: RapidReview) -> None:
    from rapidreviews.services.document import document_bytes

    data = document_bytes(review=decided, fmt="pdf")
    assert data.startswith(b"%PDF-")
    pdf = check_tagged(data)  # PDF/UA identification, language, one structure tree over both parts
    assert str(pdf.docinfo.Title) == "Rapid review, NSCP-2026-001"
    bookmarks = outline(pdf)
    assert (1, "12. Sign-off by the three safeguarding partners") in [(d, t) for d, t, _ in bookmarks]
    depth, title, page = bookmarks[-1]
    assert (depth, title) == (0, "Annex: merged chronology"), "the annex part follows the document"
    assert pdf.pages[page - 1].obj.MediaBox[2] > pdf.pages[page - 1].obj.MediaBox[3], "in landscape"
    assert page > 1 and pdf.pages[page - 2].obj.MediaBox[2] < pdf.pages[page - 2].obj.MediaBox[3]


def test_the_commands_list_cases_and_write_the_document(
    world: World, decided: RapidReview, tmp_path: Any, media: None
) -> None:
    out = io.StringIO()
    call_command("list_cases", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    row = next(r for r in rows if r["reference"] == decided.case.reference)
    assert row["state"] == "rapid_review" and row["partnership"] == "north"
    target = tmp_path / "rr.docx"
    call_command(
        "rapid_review_document",
        decided.case.reference,
        "--format",
        "docx",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    assert target.read_bytes()[:2] == b"PK"


def test_the_document_carries_only_submitted_returns_chronology(world: World, decided: RapidReview) -> None:
    from rapidreviews.rendering.document import document_context
    from rapidreviews.services.summaries import chronology_entry_save

    agency_summary = decided.requests.get(agency=world.agencies["school"]).agency_summary
    chronology_entry_save(
        agency_summary=agency_summary,
        actor=world.people["lead_school"],
        entry=None,
        expected_version=0,
        on=date(2025, 1, 1),
        at=None,
        what_happened="Draft only",
        source="x",
        significance="",
    )
    assert ChronologyEntry.objects.count() == 1
    assert document_context(decided)["chronology"] == []


def test_the_document_says_draft_until_all_three_partners_sign_off(world: World, decided: RapidReview) -> None:
    from rapidreviews.services.document import document_bytes

    def letter() -> str:
        text = "\n".join(p.text for p in Docx(io.BytesIO(document_bytes(review=decided, fmt="docx"))).paragraphs)
        return text[: text.index("Rapid review: ")]

    def headers() -> list[str]:
        docx = Docx(io.BytesIO(document_bytes(review=decided, fmt="docx")))
        return [section.header.paragraphs[0].text for section in docx.sections]

    def pdf_pages_marked() -> list[bool]:
        """Each page's drawn text is glyph ids, so the head's marker is found by its red colour."""
        pdf = pikepdf.open(io.BytesIO(document_bytes(review=decided, fmt="pdf")))
        return [b"0.831373 0.207843 0.109804 rg" in page.Contents.read_bytes() for page in pdf.pages]

    marker = "DRAFT: not yet signed off by the three safeguarding partners"
    assert headers() == [marker, marker], "every page of the letter, the document and the annex"
    assert all(pdf_pages_marked())
    before = letter()
    assert before.startswith("DRAFT: not yet signed off by the three safeguarding partners")
    assert f"The rapid review meeting was held on {timezone.localdate():%-d %B %Y}." in before
    assert "The safeguarding partners (not yet signed off)" in before and "Not yet signed" not in before
    for role, person in (
        (Role.DELEGATE_LA, "delegate_la"),
        (Role.DELEGATE_ICB, "delegate_icb"),
        (Role.DELEGATE_POLICE, "delegate_police"),
    ):
        sign_off_record(review=decided, actor=world.people[person], role=role, decision=SignOffDecision.APPROVED)
    after = letter()
    assert "DRAFT" not in after and "(not yet signed off)" not in after
    assert headers() == ["", ""]
    assert not any(pdf_pages_marked())
    assert world.people["delegate_police"].display_name in after


def test_the_document_page_says_which_summaries_are_in_the_document(
    world: World, signed_in: SignIn, decided: RapidReview
) -> None:
    from rapidreviews.models import AgencySummary, SummaryStatus

    AgencySummary.objects.filter(request__review=decided, request__agency=world.agencies["hospital"]).update(
        status=SummaryStatus.ACCEPTED
    )
    body = signed_in(world.people["coordinator"]).get(f"/rapid-reviews/{decided.case.reference}/document/")
    text = body.content.decode()
    assert f"<li>{world.agencies['hospital']} (accepted)</li>" in text
    assert f"Not included, because not yet submitted: {world.agencies['school']} (not started)." in text


def test_the_document_is_read_as_the_summaries_in_it_are(
    world: World, signed_in: SignIn, decided: RapidReview, media: None
) -> None:
    """It holds every agency's submitted summary: before the coordinator shares the summaries an
    agency lead may not download it, nor see it listed; the partners may; after sharing, a meeting
    member may."""
    from rapidreviews.services.document import document_generate
    from rapidreviews.services.meeting import meeting_schedule
    from rapidreviews.services.requests import summaries_share

    document = document_generate(review=decided, actor=world.people["coordinator"], fmt="docx")
    ref, url = decided.case.reference, f"/documents/{decided.case.reference}/{document.pk}/download/"
    lead = signed_in(world.people["lead_school"])
    assert lead.get(url).status_code == 404
    assert url not in lead.get(f"/cases/{ref}/documents/").content.decode(), "not listed under Documents"
    assert signed_in(world.people["notifier"]).get(url).status_code == 404
    assert signed_in(world.people["delegate_icb"]).get(url).status_code == 200
    meeting_schedule(
        review=decided,
        actor=world.people["coordinator"],
        date=date(2026, 3, 2),
        start_time=time(10, 0),
        duration_minutes=60,
        place="Room 1",
        online_link="",
        members=[world.people["lead_school"]],
    )
    summaries_share(review=decided, actor=world.people["coordinator"])
    assert lead.get(url).status_code == 200
    assert url in lead.get(f"/cases/{ref}/documents/").content.decode()


def test_an_unchanged_record_gives_the_same_word_document_byte_for_byte(world: World, decided: RapidReview) -> None:
    """A .docx is a zip whose entries carry the time they were written: without a fixed time, the
    same record a second later was a new version with a new fingerprint."""
    import time_machine
    from django.utils import timezone

    from rapidreviews.services.document import document_bytes

    noon = timezone.localtime().replace(hour=12, minute=0, second=0)
    with time_machine.travel(noon):
        first = document_bytes(review=decided, fmt="docx")
    with time_machine.travel(noon + timedelta(seconds=5)):
        assert document_bytes(review=decided, fmt="docx") == first


def test_while_the_pdf_is_being_made_the_page_says_so_and_its_script_can_ask(
    world: World, signed_in: SignIn, decided: RapidReview, monkeypatch: Any, media: None
) -> None:
    """The worker makes the PDF; the page says it is on its way (no reload under the person) and
    the status answer tells the page's script when it is ready, with the new version's address."""
    from types import SimpleNamespace

    from django.tasks import TaskResultStatus

    from rapidreviews.services.document import document_generate

    coordinator = world.people["coordinator"]
    state: dict[str, Any] = {"status": TaskResultStatus.RUNNING, "is_finished": False, "return_value": None}
    worker = SimpleNamespace(
        enqueue=lambda *args: SimpleNamespace(id="job-1"),
        get_result=lambda result_id: SimpleNamespace(args=[decided.pk, coordinator.pk, "pdf"], **state),
    )
    monkeypatch.setattr("rapidreviews.views.document.document_generate_job", worker)
    client = signed_in(coordinator)
    ref = decided.case.reference
    response = client.post(f"/rapid-reviews/{ref}/document/generate/", {"format": "pdf"})
    assert response["Location"] == f"/rapid-reviews/{ref}/document/?pdf=job-1"
    page = client.get(response["Location"]).content.decode()
    assert "The PDF is being generated" in page
    assert f'data-poll-url="/rapid-reviews/{ref}/document/status/?pdf=job-1"' in page
    assert client.get(f"/rapid-reviews/{ref}/document/status/?pdf=job-1").json() == {"status": "running"}
    made = document_generate(review=decided, actor=coordinator, fmt="pdf")
    state.update(status=TaskResultStatus.SUCCESSFUL, is_finished=True, return_value=made.pk)
    answer = client.get(f"/rapid-reviews/{ref}/document/status/?pdf=job-1").json()
    assert answer == {"status": "ready", "url": f"/documents/{ref}/{made.pk}/download/", "title": made.title}
    assert f"download {made.title}" in client.get(f"/rapid-reviews/{ref}/document/?pdf=job-1").content.decode()
    other = signed_in(world.people["delegate_la"])
    assert other.get(f"/rapid-reviews/{ref}/document/status/?pdf=job-1").json() == {"status": ""}, "not theirs"


def test_each_version_says_whether_it_was_a_draft_signed_off_or_sent(
    world: World, signed_in: SignIn, decided: RapidReview, media: None
) -> None:
    import html

    from rapidreviews.services.document import document_generate
    from rapidreviews.services.submission import submission_record

    document_generate(review=decided, actor=world.people["coordinator"], fmt="docx")
    all_three_approve(world, decided)
    document_generate(review=decided, actor=world.people["coordinator"], fmt="docx")
    submission_record(review=decided, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    page = html.unescape(
        signed_in(world.people["coordinator"])
        .get(f"/rapid-reviews/{decided.case.reference}/document/")
        .content.decode()
    )
    rows = page.split("<tbody")[1].split("</tr>")
    # Sent without some agencies' summaries: the version kept as sent (3) names them and says why.
    assert "version 3" in rows[0] and "Signed off" in rows[0] and "Sent to the Panel" in rows[0]
    assert "version 2" in rows[1] and "Signed off" in rows[1] and "Sent to the Panel" not in rows[1]
    assert "version 1" in rows[2] and "Draft" in rows[2] and "Sent to the Panel" not in rows[2]
