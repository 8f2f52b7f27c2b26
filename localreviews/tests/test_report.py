"""The report: written by section by the reviewer or the coordinator (saved and autosaved with the
draft's version check), kept as numbered versions (or uploaded as Word), any two compared section
by section, and its findings and recommendations addressed to agencies or the partnership."""

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument

from accounts.models import User
from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from documents.models import Document
from localreviews.models import DecidedWhen, LocalReview, ReviewKind
from localreviews.report_models import ReportDraft, ReportItem, ReportSection, ReportVersion
from localreviews.report_services import (
    REPORT_TOPIC,
    ItemContent,
    ReportClash,
    ReportError,
    compare,
    docx_sections,
    item_add,
    item_move,
    section_save,
    version_keep,
    version_upload,
)
from localreviews.selectors import task_list
from localreviews.services import local_review_open

URL = "/local-reviews/NSCP-2026-001/report/"


def _open(world: World, case: Case) -> LocalReview:
    return local_review_open(
        case=case,
        actor=world.people["coordinator"],
        kind=ReviewKind.LCSPR,
        alternative_type="",
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about discharge planning.",
        expected_version=case.version,
        started_on=date(2026, 2, 16),
    )


def _reviewer(world: World, case: Case) -> User:
    reviewer = world.people["reviewer"]
    CaseAccess.objects.create(case=case, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    return reviewer


def _save(world: World, review: LocalReview, section: ReportSection, text: str, actor: User | None = None) -> int:
    draft = ReportDraft.objects.filter(review=review).first()
    saved = section_save(
        review=review,
        actor=actor or world.people["coordinator"],
        section=section,
        text=text,
        expected_version=draft.version if draft else 0,
        autosave=False,
    )
    return saved.version


def _docx(*paragraphs: tuple[str, str]) -> bytes:
    """A Word document of (style, text) paragraphs."""
    document = WordDocument()
    for style, text in paragraphs:
        if style.startswith("Heading"):
            document.add_heading(text, level=int(style[-1]))
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Writing by section


def test_a_section_is_written_and_a_stale_save_keeps_the_text_beside_what_is_saved(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    reviewer = _reviewer(world, sent)
    coordinator = signed_in(world.people["coordinator"])
    page = coordinator.get(URL + "sections/decisions/")
    assert page.status_code == 200
    assert 'data-autosave-url="/local-reviews/NSCP-2026-001/report/sections/decisions/autosave/"' in page.text
    response = coordinator.post(URL + "sections/decisions/", {"version": "0", "text": "The midwife saw the baby."})
    assert response.status_code == 302
    draft = ReportDraft.objects.get(review=review)
    assert draft.sections == {"decisions": "The midwife saw the baby."}
    assert draft.version == 1
    # The reviewer's page was opened before that save: nothing is saved, both texts are shown, and
    # autosave is off so only their own Save replaces what is saved.
    stale = signed_in(reviewer).post(URL + "sections/decisions/", {"version": "0", "text": "The GP was not told."})
    assert stale.status_code == 200
    assert "What is saved now" in stale.text
    assert "The midwife saw the baby." in stale.text
    assert "The GP was not told." in stale.text
    assert "data-autosave-url" not in stale.text
    assert 'name="version" value="1"' in stale.text
    assert ReportDraft.objects.get(review=review).sections == {"decisions": "The midwife saw the baby."}
    # Saved again from that page, it replaces it.
    again = signed_in(reviewer).post(URL + "sections/decisions/", {"version": "1", "text": "The GP was not told."})
    assert again.status_code == 302
    assert ReportDraft.objects.get(review=review).sections == {"decisions": "The GP was not told."}
    assert ReportDraft.objects.get(review=review).updated_by == reviewer


def test_autosave_answers_the_new_version_and_refuses_a_stale_one(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    coordinator = signed_in(world.people["coordinator"])
    url = URL + "sections/overview/autosave/"
    first = coordinator.post(url, {"version": "0", "text": "Ava lived with her mother."})
    assert first.status_code == 200
    assert json.loads(first.content) == {"saved": True, "version": 1}
    assert json.loads(coordinator.post(url, {"version": "1", "text": "Ava, 7 weeks."}).content)["version"] == 2
    stale = coordinator.post(url, {"version": "1", "text": "Lost?"})
    assert stale.status_code == 409
    assert json.loads(stale.content)["reason"] == "conflict"
    assert ReportDraft.objects.get(review=review).sections == {"overview": "Ava, 7 weeks."}
    # Autosaves are audited, marked so the timeline leaves them out.
    autosaves = AuditEvent.objects.filter(case=sent, verb=Verb.UPDATE, details__autosave=True)
    assert autosaves.count() == 2
    assert coordinator.post(url, {"text": "No version"}).status_code == 400
    assert coordinator.post(URL + "sections/epilogue/autosave/", {"version": "2", "text": "x"}).status_code == 404


def test_bad_input_on_a_section_comes_back_with_an_error_summary(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    _open(world, sent)
    coordinator = signed_in(world.people["coordinator"])
    page = coordinator.post(URL + "sections/findings/", {"version": "0", "text": "x" * 100_001})
    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "must be 100,000 characters or fewer" in page.text
    assert not ReportDraft.objects.exists()


def test_the_report_page_says_where_each_section_stands(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    _save(world, review, ReportSection.INTRODUCTION, "This review was commissioned in March.")
    version_keep(review=review, actor=world.people["coordinator"], note="", expected_version=1)
    _save(world, review, ReportSection.FAMILY, "The mother met the reviewer.")
    page = signed_in(world.people["coordinator"]).get(URL)
    assert page.status_code == 200
    assert "As kept in Draft 1" in page.text
    assert "Changed since Draft 1" in page.text
    assert "Not started" in page.text
    assert "The mother met the reviewer." in page.text


# Versions


def test_kept_versions_are_numbered_and_a_stale_keep_is_refused(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent)
    coordinator = world.people["coordinator"]
    with pytest.raises(ReportError, match="Write at least one section"):
        version_keep(review=review, actor=coordinator, note="", expected_version=0)
    v = _save(world, review, ReportSection.INTRODUCTION, "First words.")
    first = version_keep(review=review, actor=coordinator, note="For the Case Review Group", expected_version=v)
    v = _save(world, review, ReportSection.INTRODUCTION, "Second words.")
    with pytest.raises(ReportClash):
        version_keep(review=review, actor=coordinator, note="", expected_version=v - 1)
    second = version_keep(review=review, actor=coordinator, note="", expected_version=v)
    assert (first.number, second.number) == (1, 2)
    assert first.sections == {"introduction": "First words."}
    assert second.sections == {"introduction": "Second words."}
    assert first.note == "For the Case Review Group"
    assert AuditEvent.objects.filter(case=sent, verb=Verb.CREATE, details__number=2).exists()
    assert _report_line(review).status == "In progress (2 versions kept)"


def test_the_task_line_starts_not_started(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent)
    line = _report_line(review)
    assert (line.text, line.status, line.url) == ("Write the report", "Not started", URL)
    _save(world, review, ReportSection.INTRODUCTION, "Begun.")
    assert _report_line(review).status == "In progress (no version kept yet)"


def test_a_word_draft_is_split_by_its_section_headings(world: World, sent: Case, today: None) -> None:
    data = _docx(
        ("Heading 1", "Child A: a local child safeguarding practice review"),
        ("Normal", "A foreword by the independent chair."),
        ("Heading 1", "1. Introduction and process"),
        ("Normal", "The review was commissioned on 2 March 2026."),
        ("Heading 2", "Family involvement"),
        ("Normal", "The mother met the reviewer twice."),
        ("Heading 1", "RECOMMENDATIONS"),
        ("Normal", "The hospital shares discharge plans."),
        ("Normal", "Why the professionals' decisions were taken"),  # not a heading: stays text
    )
    extracted = docx_sections(data)
    assert extracted.matched == [ReportSection.INTRODUCTION, ReportSection.FAMILY, ReportSection.RECOMMENDATIONS]
    assert extracted.sections["introduction"] == (
        "Child A: a local child safeguarding practice review\n\nA foreword by the independent chair.\n\n"
        "The review was commissioned on 2 March 2026."
    )
    assert extracted.sections["family"] == "The mother met the reviewer twice."
    assert extracted.sections["recommendations"].endswith("Why the professionals' decisions were taken")


def test_an_uploaded_word_draft_is_the_next_version_kept_on_the_case(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    reviewer = _reviewer(world, sent)
    browser = signed_in(reviewer)
    data = _docx(("Normal", "All of it in one go."), ("Heading 1", "Not a section"), ("Normal", "More."))
    response = browser.post(
        URL + "upload/",
        {"file": SimpleUploadedFile("draft.docx", data), "note": "From my own template"},
    )
    assert response.status_code == 302
    kept = ReportVersion.objects.get(review=review)
    assert (kept.number, kept.source, kept.note) == (1, ReportVersion.Source.UPLOADED, "From my own template")
    assert kept.sections == {"introduction": "All of it in one go.\n\nNot a section\n\nMore."}
    assert kept.document is not None and kept.document.topic == REPORT_TOPIC
    assert kept.document.kind == Document.Kind.UPLOAD
    page = browser.get(response["Location"])
    assert "No heading named a section of the report" in page.text
    # The Word document is read by those who read the review, and nobody else.
    download = f"/documents/{sent.reference}/{kept.document.pk}/download/"
    assert signed_in(world.people["scrutineer"]).get(URL + "versions/1/").status_code == 200
    lead = signed_in(world.people["lead_hospital"])
    assert not lead.get(f"/cases/{sent.reference}/").text.count(kept.document.title)
    assert lead.get(download).status_code == 404


def test_an_upload_that_is_not_a_word_document_is_refused_with_an_error(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    coordinator = world.people["coordinator"]
    page = signed_in(coordinator).post(URL + "upload/", {"file": SimpleUploadedFile("draft.txt", b"Plain words")})
    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "Word document (DOCX)" in page.text
    assert signed_in(coordinator).post(URL + "upload/", {}).text.count("Select a Word document") >= 1
    with pytest.raises(ReportError, match="name does not match"):
        version_upload(
            review=review, actor=coordinator, upload=SimpleUploadedFile("draft.pdf", _docx(("Normal", "x"))), note=""
        )
    assert not ReportVersion.objects.exists()


# Comparing


def test_two_versions_compare_section_by_section_escaped_and_marked(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    coordinator = world.people["coordinator"]
    _save(world, review, ReportSection.INTRODUCTION, "The review began in March.")
    v = _save(world, review, ReportSection.FINDINGS, "Discharge <b>plans</b> were unclear.")
    first = version_keep(review=review, actor=coordinator, note="", expected_version=v)
    v = _save(world, review, ReportSection.FINDINGS, "Discharge <b>plans</b> were not shared.")
    second = version_keep(review=review, actor=coordinator, note="", expected_version=v)
    diffs = {d.section: d for d in compare(first, second)}
    assert not diffs[ReportSection.INTRODUCTION].changed
    findings = str(diffs[ReportSection.FINDINGS].html)
    assert "&lt;b&gt;plans&lt;/b&gt;" in findings and "<b>" not in findings
    assert '<span class="govuk-visually-hidden">[Removed: </span>unclear.' in findings
    assert '<span class="govuk-visually-hidden">[Added: </span>not shared.' in findings
    assert findings.index("<del") < findings.index("<ins")
    page = signed_in(world.people["delegate_la"]).get(URL + "compare/?earlier=1&later=2")
    assert page.status_code == 200
    assert "Draft 1 and Draft 2 compared" in page.text
    assert page.text.count("No change.") == len(ReportSection) - 1
    bad = signed_in(world.people["delegate_la"]).get(URL + "compare/?earlier=1&later=1")
    assert "There is a problem" in bad.text and "Select two different versions" in bad.text
    assert "Select a version from the list" in signed_in(coordinator).get(URL + "compare/?earlier=1&later=9").text


# Findings and recommendations


def test_items_are_addressed_numbered_and_reordered(world: World, sent: Case, signed_in: SignIn, today: None) -> None:
    review = _open(world, sent)
    coordinator = world.people["coordinator"]
    hospital, la = world.agencies["hospital"], world.agencies["la"]
    browser = signed_in(coordinator)
    response = browser.post(
        URL + "items/",
        {"version": "0", "kind": "recommendation", "text": "Share discharge plans.", "agencies": [str(hospital.pk)]},
    )
    assert response.status_code == 302
    second = item_add(
        review=review,
        actor=coordinator,
        content=ItemContent(ReportItem.Kind.RECOMMENDATION, "Review the learning.", True, [la.pk]),
    )
    first = ReportItem.objects.get(text="Share discharge plans.")
    assert [a.pk for a in first.agencies.all()] == [hospital.pk]
    assert (first.position, second.position, second.to_partnership) == (1, 2, True)
    item_move(item=second, actor=coordinator, up=True, expected_version=second.version)
    assert list(ReportItem.objects.filter(review=review).values_list("text", flat=True)) == [
        "Review the learning.",
        "Share discharge plans.",
    ]
    page = browser.get(URL + "items/")
    assert "Addressed to: the safeguarding partnership; " in page.text
    # Addressed to nobody, or to another partnership's agency: refused.
    nobody = browser.post(URL + "items/", {"version": "0", "kind": "finding", "text": "A finding."})
    assert "There is a problem" in nobody.text and "Select who it is addressed to" in nobody.text
    other = browser.post(
        URL + "items/",
        {"version": "0", "kind": "finding", "text": "A finding.", "agencies": [str(world.agencies["south_police"].pk)]},
    )
    assert "Select agencies from the list" in other.text
    with pytest.raises(ReportError, match="agencies of this partnership"):
        item_add(
            review=review,
            actor=coordinator,
            content=ItemContent(ReportItem.Kind.FINDING, "x", False, [world.agencies["south_police"].pk]),
        )
    assert ReportItem.objects.count() == 2
    summaries = [str(e.details.get("summary", "")) for e in AuditEvent.objects.filter(case=sent)]
    assert [s for s in summaries if s.startswith("Local review report: recommendation")] == [
        "Local review report: recommendation 1 added",
        "Local review report: recommendation 2 added",
        "Local review report: recommendation moved up",
    ]


def test_a_stale_item_change_keeps_the_text_beside_what_is_saved(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    item = item_add(
        review=review,
        actor=world.people["coordinator"],
        content=ItemContent(ReportItem.Kind.FINDING, "Plans were unclear.", True, []),
    )
    browser = signed_in(world.people["coordinator"])
    url = f"{URL}items/{item.pk}/"
    assert (
        browser.post(url, {"version": "1", "text": "Plans were not shared.", "to_partnership": "on"}).status_code == 302
    )
    stale = browser.post(url, {"version": "1", "text": "My older change.", "to_partnership": "on"})
    assert stale.status_code == 200
    assert "What is saved now" in stale.text and "Plans were not shared." in stale.text
    assert "My older change." in stale.text
    assert ReportItem.objects.get(pk=item.pk).text == "Plans were not shared."


# Who


def test_who_reads_and_who_writes_the_report(world: World, sent: Case, signed_in: SignIn, today: None) -> None:
    review = _open(world, sent)
    _save(world, review, ReportSection.INTRODUCTION, "Begun.")
    # A partner reads it but may not write it.
    delegate = signed_in(world.people["delegate_la"])
    assert delegate.get(URL).status_code == 200
    assert delegate.get(URL + "items/").status_code == 200
    assert delegate.get(URL + "sections/introduction/").status_code == 403
    assert delegate.post(URL + "sections/introduction/autosave/", {"version": "1", "text": "x"}).status_code == 403
    assert delegate.post(URL + "keep/", {"version": "1"}).status_code == 403
    assert delegate.post(URL + "items/", {"version": "0"}).status_code == 403
    # An agency's lead, another partnership, a reviewer not commissioned here: not there at all.
    for persona in ("lead_hospital", "south_coordinator", "reviewer"):
        browser = signed_in(world.people[persona])
        assert browser.get(URL).status_code == 404
        assert browser.get(URL + "sections/introduction/").status_code == 404
    # The commissioned reviewer writes; on another case they find nothing.
    browser = signed_in(_reviewer(world, sent))
    assert browser.get(URL + "sections/introduction/").status_code == 200
    other = Case.objects.create(
        reference="NSCP-2026-002", partnership=world.north, title="Child B", state="local_review"
    )
    assert browser.get(f"/local-reviews/{other.reference}/report/").status_code == 404
    with pytest.raises(ReportError, match="Only the reviewer and the review coordinator"):
        section_save(
            review=review,
            actor=world.people["delegate_la"],
            section=ReportSection.INTRODUCTION,
            text="x",
            expected_version=1,
            autosave=False,
        )


def test_the_pages_are_audited_reads_within_the_query_budget(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    coordinator = world.people["coordinator"]
    v = _save(world, review, ReportSection.INTRODUCTION, "Begun.")
    version_keep(review=review, actor=coordinator, note="", expected_version=v)
    v = _save(world, review, ReportSection.INTRODUCTION, "Begun again.")
    version_keep(review=review, actor=coordinator, note="", expected_version=v)
    for text in ("One.", "Two."):
        item_add(
            review=review,
            actor=coordinator,
            content=ItemContent(ReportItem.Kind.FINDING, text, True, [world.agencies["hospital"].pk]),
        )
    browser = signed_in(coordinator)
    browser.get(URL)  # the session's first page after signing in writes the session
    before = AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count()
    item = ReportItem.objects.first()
    assert item is not None
    pages = [
        URL,
        URL + "sections/introduction/",
        URL + "upload/",
        URL + "versions/2/",
        URL + "compare/?earlier=1&later=2",
        URL + "items/",
        f"{URL}items/{item.pk}/",
        "/local-reviews/NSCP-2026-001/",
    ]
    for page in pages:
        with max_page_queries():
            assert browser.get(page).status_code == 200, page
    assert AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count() == before + len(pages)


def _report_line(review: Any) -> Any:
    """The task list's line for writing the report, wherever it stands in the list."""
    return next(line for line in task_list(review) if line.text == "Write the report")
