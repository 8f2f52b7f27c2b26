"""The terms of reference: drafted by the coordinator or the reviewer, approved by the three
partners for an LCSPR, agreed by the coordinator for an alternative review, and kept as DOCX and
tagged PDF."""

import io
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from docx import Document as WordDocument

from accounts.models import User
from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from documents.models import Document
from documents.tests.pdf_checks import check_tagged
from localreviews.models import DecidedWhen, LocalReview, LocalReviewEvent, ReviewKind
from localreviews.services import local_review_open
from localreviews.terms_documents import TOPIC
from localreviews.terms_models import Methodology, TermsDecision, TermsOfReference, TermsStatus
from localreviews.terms_services import (
    Parallel,
    TermsContent,
    TermsError,
    methodologies_for,
    terms_approval_record,
    terms_save,
    terms_step,
)

URL = "/local-reviews/NSCP-2026-001/terms/"


def _open(world: World, case: Case, kind: ReviewKind = ReviewKind.LCSPR) -> LocalReview:
    return local_review_open(
        case=case,
        actor=world.people["coordinator"],
        kind=kind,
        alternative_type="Multi-agency learning review" if kind == ReviewKind.ALTERNATIVE else "",
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about discharge planning.",
        expected_version=case.version,
        started_on=date(2026, 2, 16),
    )


def _content(world: World, **changes: object) -> TermsContent:
    silp = next(m for m in methodologies_for(world.north) if m.name.startswith("Significant Incident"))
    fields: dict[str, object] = {
        "period_start": date(2025, 3, 1),
        "period_end": date(2026, 3, 2),
        "agency_ids": [world.agencies["hospital"].pk, world.agencies["la"].pk],
        "lines": ["How was the baby's discharge planned?", "Who knew of the father's history?"],
        "methodology_id": silp.pk,
        "methodology_notes": "",
        "family_engagement": "The reviewer offers to meet the mother in April.",
        "timetable": "Learning event in May; first draft in June.",
        "governance": "The Case Review Group oversees the review monthly.",
        "parallel": [
            Parallel("criminal_investigation", "under_way", None, date(2026, 12, 1), "Police lead: DS Okafor")
        ],
        **changes,
    }
    return TermsContent(**fields)  # type: ignore[arg-type]


def _draft(world: World, review: LocalReview, actor: User | None = None, **changes: object) -> TermsOfReference:
    return terms_save(
        review=review,
        actor=actor or world.people["coordinator"],
        content=_content(world, **changes),
        expected_version=0,
    )


def _approve(world: World, terms: TermsOfReference, *personas: str) -> None:
    for persona in personas:
        terms_approval_record(terms=terms, actor=world.people[persona], decision=TermsDecision.APPROVED)


def _form(**changes: str) -> dict[str, str]:
    return {
        "version": "0",
        "period_start_0": "1",
        "period_start_1": "3",
        "period_start_2": "2025",
        "period_end_0": "2",
        "period_end_1": "3",
        "period_end_2": "2026",
        "family_engagement": "Offer to meet the mother.",
        "timetable": "",
        "governance": "",
        "line_1": "How was the discharge planned?",
        "line_2": "",
        "line_3": "",
        "pp1_kind": "",
        "pp1_status": "",
        "pp1_notes": "",
        **changes,
    }


# Approval by the three partners (an LCSPR)


def test_the_three_partners_approve_an_lcsprs_terms(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent)
    terms = _draft(world, review)
    assert (terms.status, terms.version) == (TermsStatus.DRAFT, 1)
    assert terms.lines[0] == "How was the baby's discharge planned?"
    terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    assert terms.status == TermsStatus.AWAITING_APPROVAL
    _approve(world, terms, "delegate_la", "delegate_icb")
    terms.refresh_from_db()
    assert terms.status == TermsStatus.AWAITING_APPROVAL
    _approve(world, terms, "delegate_police")
    terms.refresh_from_db()
    assert terms.status == TermsStatus.APPROVED and terms.approved_at is not None
    steps = list(LocalReviewEvent.objects.filter(review=review).values_list("step", flat=True))
    assert steps == ["terms_send", "terms_approved"]
    summaries = [e.details["summary"] for e in AuditEvent.objects.filter(case=sent).order_by("id")]
    assert "Local review: approve the terms of reference" in summaries
    assert "Terms of reference: Partner delegate (police), approved" in summaries


def test_a_partner_asking_for_changes_sends_them_back_with_comments(world: World, sent: Case, today: None) -> None:
    terms = _draft(world, _open(world, sent))
    terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    with pytest.raises(TermsError, match="Enter the changes"):
        terms_approval_record(terms=terms, actor=world.people["delegate_icb"], decision=TermsDecision.CHANGES)
    terms_approval_record(
        terms=terms, actor=world.people["delegate_icb"], decision=TermsDecision.CHANGES, comments="Add the GP."
    )
    terms.refresh_from_db()
    assert terms.status == TermsStatus.DRAFT
    event = LocalReviewEvent.objects.get(step="terms_changes_asked")
    assert event.note == "Add the GP."
    with pytest.raises(TermsError, match="not awaiting approval"):
        _approve(world, terms, "delegate_la")


def test_a_change_after_approval_starts_approval_again(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent)
    terms = _draft(world, review)
    terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    _approve(world, terms, "delegate_la", "delegate_icb", "delegate_police")
    terms.refresh_from_db()
    assert terms.status == TermsStatus.APPROVED
    review.refresh_from_db()
    terms = terms_save(
        review=review,
        actor=world.people["coordinator"],
        content=_content(world, timetable="Learning event moved to June."),
        expected_version=terms.version,
    )
    terms.refresh_from_db()
    assert terms.status == TermsStatus.AWAITING_APPROVAL and terms.approved_at is None
    assert terms.timetable == "Learning event moved to June."
    # The earlier approvals were of other words: each partner approves again.
    _approve(world, terms, "delegate_la", "delegate_icb")
    terms.refresh_from_db()
    assert terms.status == TermsStatus.AWAITING_APPROVAL
    _approve(world, terms, "delegate_police")
    terms.refresh_from_db()
    assert terms.status == TermsStatus.APPROVED


def test_a_partner_approves_once_and_others_do_not_approve(world: World, sent: Case, today: None) -> None:
    terms = _draft(world, _open(world, sent))
    terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    _approve(world, terms, "delegate_la")
    with pytest.raises(TermsError, match="You approved these terms"):
        _approve(world, terms, "delegate_la")
    for persona in ("coordinator", "scrutineer", "chair"):
        with pytest.raises(TermsError, match="Only the safeguarding partners"):
            _approve(world, terms, persona)


def test_incomplete_terms_do_not_go_for_approval(world: World, sent: Case, today: None) -> None:
    terms = _draft(world, _open(world, sent), lines=[], governance="", period_start=None, period_end=None)
    with pytest.raises(TermsError, match="need the review period, a key line of enquiry, the governance first"):
        terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    terms.refresh_from_db()
    assert terms.status == TermsStatus.DRAFT


# What the plan says for an alternative review


def test_an_alternative_reviews_terms_are_agreed_by_the_coordinator(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent, ReviewKind.ALTERNATIVE)
    terms = _draft(world, review)
    with pytest.raises(TermsError, match="do not go to the partners"):
        terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    terms_step(terms=terms, actor=world.people["coordinator"], step="terms_agree", expected_version=terms.version)
    assert terms.status == TermsStatus.APPROVED
    # A change after agreeing makes them a draft for the coordinator to agree again.
    review.refresh_from_db()
    terms = terms_save(
        review=review, actor=world.people["coordinator"], content=_content(world), expected_version=terms.version
    )
    terms.refresh_from_db()
    assert terms.status == TermsStatus.DRAFT


def test_an_lcsprs_terms_are_not_agreed_by_the_coordinator_alone(world: World, sent: Case, today: None) -> None:
    terms = _draft(world, _open(world, sent))
    with pytest.raises(TermsError, match="three safeguarding partners approve"):
        terms_step(terms=terms, actor=world.people["coordinator"], step="terms_agree", expected_version=terms.version)


def test_the_reviewer_drafts_but_only_the_coordinator_agrees(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent, ReviewKind.ALTERNATIVE)
    reviewer = world.people["reviewer"]
    CaseAccess.objects.create(case=sent, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    terms = _draft(world, review, actor=reviewer)
    assert terms.updated_by == reviewer
    with pytest.raises(PermissionDenied):
        terms_step(terms=terms, actor=reviewer, step="terms_agree", expected_version=terms.version)
    with pytest.raises(TermsError, match="Only the coordinator or the reviewer"):
        _draft(world, review, actor=world.people["delegate_la"])


# Bad input, stale versions


def test_service_refuses_agencies_and_methodologies_of_another_partnership(
    world: World, sent: Case, today: None
) -> None:
    review = _open(world, sent)
    with pytest.raises(TermsError, match="agencies of this partnership"):
        _draft(world, review, agency_ids=[world.agencies["south_police"].pk])
    south = methodologies_for(world.south)[0]
    with pytest.raises(TermsError, match="partnership's list"):
        _draft(world, review, methodology_id=south.pk)
    assert not TermsOfReference.objects.exists()


def test_bad_input_comes_back_with_its_errors_and_the_text(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    _open(world, sent)
    browser = signed_in(world.people["coordinator"])
    page = browser.post(
        URL + "edit/",
        _form(period_end_0="1", period_end_1="1", period_end_2="2025", pp1_status="under_way", line_2="Kept words"),
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in text
    assert "End of the review period must be on or after its start" in text
    assert "Select which process process 1 is" in text
    assert "Kept words" in text
    page = browser.post(URL + "edit/", _form(period_end_0="", period_end_1="", period_end_2="", pp1_kind="inquest"))
    text = page.content.decode()
    assert "Enter the end of the review period" in text and "Select where process 1 stands" in text
    assert not TermsOfReference.objects.exists()


def test_a_stale_page_keeps_the_text_and_saves_nothing(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    terms = _draft(world, review)
    browser = signed_in(world.people["coordinator"])
    # Someone else saved meanwhile: the page was opened at version 1, the terms are at 2.
    terms_save(review=review, actor=world.people["coordinator"], content=_content(world), expected_version=1)
    page = browser.post(URL + "edit/", _form(version="1", timetable="My own timetable"))
    text = page.content.decode()
    assert "Someone else changed the terms of reference" in text and "My own timetable" in text
    terms.refresh_from_db()
    assert terms.timetable == "Learning event in May; first draft in June."
    # A page that was opened before the terms existed does not make them twice.
    page = browser.post(URL + "edit/", _form(version="0", timetable="Mine"))
    assert "Someone else changed the terms of reference" in page.content.decode()


# Pages and access


def test_the_coordinator_drafts_on_the_page_and_the_partners_approve_there(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    _open(world, sent)
    browser = signed_in(world.people["coordinator"])
    review_page = browser.get("/local-reviews/NSCP-2026-001/").content.decode()
    assert "Agree the terms of reference with the three safeguarding partners" in review_page
    assert f'href="{URL}"' in review_page
    page = browser.get(URL + "edit/")
    text = page.content.decode()
    assert "Significant Incident Learning Process (SILP)" in text and "Northshire Hospitals" in text
    assert 'href="/local-reviews/methodologies/"' in text
    silp = Methodology.objects.get(partnership=world.north, name__startswith="Significant")
    answer = browser.post(
        URL + "edit/",
        _form(
            agencies=str(world.agencies["hospital"].pk),
            methodology=str(silp.pk),
            timetable="May learning event.",
            governance="Case Review Group.",
            line_2="Second question",
            pp1_kind="inquest",
            pp1_status="expected",
            pp1_expected_end_0="1",
            pp1_expected_end_1="10",
            pp1_expected_end_2="2026",
        ),
    )
    assert answer.status_code == 302 and answer["Location"] == URL
    terms = TermsOfReference.objects.get()
    assert terms.lines == ["How was the discharge planned?", "Second question"]
    assert terms.parallel_processes.get().expected_end == date(2026, 10, 1)
    text = browser.get(URL).content.decode()
    assert "Send to the partners for approval" in text and "Inquest: expected" in text
    assert browser.post(URL + "send/", {"version": str(terms.version)}).status_code == 302
    terms.refresh_from_db()
    assert terms.status == TermsStatus.AWAITING_APPROVAL
    for persona in ("delegate_la", "delegate_icb", "delegate_police"):
        partner = signed_in(world.people[persona])
        page = partner.post(URL, {"decision": "changes", "comments": ""})
        assert "Enter the changes you are asking for" in page.content.decode()
        assert partner.post(URL, {"decision": "approved"}).status_code == 302
    terms.refresh_from_db()
    assert terms.status == TermsStatus.APPROVED
    text = signed_in(world.people["coordinator"]).get("/local-reviews/NSCP-2026-001/").content.decode()
    assert re.search(r"Agree the terms of reference with the three safeguarding partners.*?Approved", text, re.S)


def test_who_may_read_draft_and_approve_the_terms(world: World, sent: Case, signed_in: SignIn, today: None) -> None:
    review = _open(world, sent)
    terms = _draft(world, review)
    terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    # Readers of the review read the terms; a partner may not draft them.
    assert signed_in(world.people["scrutineer"]).get(URL).status_code == 200
    assert signed_in(world.people["delegate_la"]).get(URL + "edit/").status_code == 403
    assert signed_in(world.people["scrutineer"]).post(URL, {"decision": "approved"}).status_code == 403
    assert signed_in(world.people["chair"]).post(URL + "send/", {"version": "2"}).status_code == 403
    # Not there for those with no part in the review, nor for another partnership or another reviewer.
    for persona in ("lead_hospital", "south_coordinator", "reviewer"):
        assert signed_in(world.people[persona]).get(URL).status_code == 404
        assert signed_in(world.people[persona]).get(URL + "edit/").status_code == 404
    # The reviewer commissioned for this case drafts; on another case they find nothing.
    reviewer = world.people["reviewer"]
    CaseAccess.objects.create(case=sent, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    browser = signed_in(reviewer)
    assert browser.get(URL + "edit/").status_code == 200
    other = Case.objects.create(
        reference="NSCP-2026-002", partnership=world.north, title="Child B", state="local_review"
    )
    assert browser.get(f"/local-reviews/{other.reference}/terms/").status_code == 404
    assert browser.get(f"/local-reviews/{other.reference}/terms/edit/").status_code == 404


def test_the_pages_are_audited_reads_within_the_query_budget(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    terms = _draft(world, review)
    terms_step(terms=terms, actor=world.people["coordinator"], step="terms_send", expected_version=terms.version)
    _approve(world, terms, "delegate_la")
    partner = signed_in(world.people["delegate_icb"])
    partner.get(URL)  # the session's first page after signing in writes the session
    before = AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count()
    with max_page_queries():
        assert partner.get(URL).status_code == 200
    coordinator = signed_in(world.people["coordinator"])
    coordinator.get(URL)
    before += 1
    with max_page_queries():
        assert coordinator.get(URL + "edit/").status_code == 200
    with max_page_queries():
        assert coordinator.get("/local-reviews/NSCP-2026-001/").status_code == 200
    assert AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count() == before + 3


# Documents


def test_the_terms_are_generated_as_docx_and_tagged_pdf(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    review = _open(world, sent)
    _draft(world, review)
    browser = signed_in(world.people["coordinator"])
    assert browser.post(URL.replace("terms/", "terms-documents/"), {"format": "docx"}).status_code == 302
    assert browser.post(URL.replace("terms/", "terms-documents/"), {"format": "pdf"}).status_code == 302
    docx, pdf = (Document.objects.get(topic=TOPIC, content_type__contains=kind) for kind in ("word", "pdf"))
    assert docx.title == "Terms of reference, draft, version 1 (DOCX)"
    data = browser.get(f"/documents/{sent.reference}/{docx.pk}/download/")
    word = WordDocument(io.BytesIO(data.getvalue()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "DRAFT: not yet approved by the three safeguarding partners." in text
    assert "How was the baby's discharge planned?" in text and "Northshire Hospitals" in text
    assert word.core_properties.author == "Northshire SCP"
    from django.core.files.storage import default_storage

    pdf_bytes = default_storage.open(f"documents/{pdf.storage_key}").read()
    tagged = check_tagged(pdf_bytes)
    assert str(tagged.open_metadata().get("dc:title")) == "Terms of reference, NSCP-2026-001"
    # Read by those who read the review only.
    download = f"/documents/{sent.reference}/{pdf.pk}/download/"
    assert signed_in(world.people["delegate_la"]).get(download).status_code == 200
    assert signed_in(world.people["lead_hospital"]).get(download).status_code == 404


# The partnership's list of methodologies


def test_the_list_starts_standard_and_the_partnership_keeps_it(
    world: World, sent: Case, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.get("/local-reviews/methodologies/")
    text = page.content.decode()
    for name in ("SILP", "SCIE Learning Together", "Appreciative inquiry", "Welsh child practice review", "Hybrid"):
        assert name in text
    page = browser.post("/local-reviews/methodologies/", {"name": "  "})
    assert "Enter the name of the methodology" in page.content.decode()
    page = browser.post("/local-reviews/methodologies/", {"name": "appreciative INQUIRY"})
    assert "is already on the list" in page.content.decode()
    assert browser.post("/local-reviews/methodologies/", {"name": "Rapid learning review"}).status_code == 302
    added = Methodology.objects.get(partnership=world.north, name="Rapid learning review")
    # Terms that chose a methodology keep it when it is retired; new terms are not offered it.
    review = _open(world, sent)
    _draft(world, review, methodology_id=added.pk)
    assert browser.post(f"/local-reviews/methodologies/{added.pk}/retire/").status_code == 302
    added.refresh_from_db()
    assert not added.active
    assert "Rapid learning review" in browser.get(URL).content.decode()
    assert "Rapid learning review" in browser.get(URL + "edit/").content.decode()
    TermsOfReference.objects.all().delete()
    assert "Rapid learning review" not in browser.get(URL + "edit/").content.decode()
    # Another partnership's list is its own; a partner delegate keeps no list.
    assert (
        signed_in(world.people["south_coordinator"])
        .post(f"/local-reviews/methodologies/{added.pk}/retire/")
        .status_code
        == 404
    )
    assert signed_in(world.people["delegate_la"]).get("/local-reviews/methodologies/").status_code == 403
    assert AuditEvent.objects.filter(details__summary="Review methodology retired: Rapid learning review").exists()


def test_the_demo_drafts_terms_that_need_only_a_timetable(world: World, sent: Case, today: None) -> None:
    from types import SimpleNamespace

    from localreviews.demo import _terms_drafted
    from localreviews.terms_state import missing_parts

    review = _open(world, sent)
    _terms_drafted(SimpleNamespace(users={"coordinator": world.people["coordinator"]}), review)
    terms = TermsOfReference.objects.get(review=review)
    assert terms.status == TermsStatus.DRAFT
    assert missing_parts(terms) == ["the timetable"]
