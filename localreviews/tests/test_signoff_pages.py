"""The final report's pages: sign-off, sending ahead of publication and the publication decision,
with their errors, who may see and do what, the query budget, and the case facts."""

import json
import re
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from localreviews.models import LocalReview, LocalReviewStatus
from localreviews.signoff_models import PublicationDecision, SentAhead
from localreviews.tests.test_signoff import DFE, PANEL, _approve, _forward, _open, _version

URL = "/local-reviews/NSCP-2026-001/"


@pytest.fixture
def thursday() -> object:
    with time_machine.travel("2026-04-02 10:00 +01:00", tick=False):
        yield


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_the_final_report_is_put_forward_approved_sent_ahead_and_decided_on_the_pages(
    world: World, sent: Case, signed_in: SignIn, thursday: None
) -> None:
    review = _open(world, sent)
    version = _version(world, review)
    coordinator = signed_in(world.people["coordinator"])
    text = coordinator.get(URL).content.decode()
    assert "Agree the final report with the three safeguarding partners" in text
    assert f'href="{URL}final-report/"' in text
    text = coordinator.get(URL + "final-report/").content.decode()
    assert "Draft 1, kept 2 April 2026" in text
    # Nothing chosen: the error summary, nothing recorded.
    page = coordinator.post(URL + "final-report/put-forward/", {"version": str(review.version), "report_version": ""})
    assert "Select the version that is the final report" in page.content.decode()
    answer = coordinator.post(
        URL + "final-report/put-forward/", {"version": str(review.version), "report_version": str(version.pk)}
    )
    assert answer.status_code == 302
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.REPORT_AWAITING_APPROVAL

    # The chair comments (comments required); the partners approve.
    chair = signed_in(world.people["chair"])
    page = chair.post(URL + "final-report/", {"comments": ""})
    assert "Enter your comments" in page.content.decode()
    assert chair.post(URL + "final-report/", {"comments": "A clear report."}).status_code == 302
    for persona in ("delegate_la", "delegate_icb", "delegate_police"):
        partner = signed_in(world.people[persona])
        page = partner.post(URL + "final-report/", {"decision": "changes", "comments": ""})
        assert "Enter the changes you are asking for" in page.content.decode()
        assert partner.post(URL + "final-report/", {"decision": "approved"}).status_code == 302
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.REPORT_APPROVED
    coordinator = signed_in(world.people["coordinator"])  # the one browser, signed in as each in turn
    assert "A clear report." in coordinator.get(URL + "final-report/").content.decode()

    # Sending ahead: bad input comes back with its errors and what was typed.
    sent_page = coordinator.get(URL + "send-ahead/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', sent_page)
    assert token is not None
    form = {
        "version": str(review.version),
        "token": token.group(1),
        "what": "improvements",
        "improvements": "",
        "panel": PANEL,
        "dfe": "not an address",
        "letter": "Dear colleagues, kept as typed.",
        **_date("sent_on", date(2026, 4, 2)),
    }
    sent_page = coordinator.post(URL + "send-ahead/", form).content.decode()
    assert "Enter the information about improvements" in sent_page
    assert "Enter the email address of the Secretary of State in the correct format" in sent_page
    assert "govuk-error-summary" in sent_page and "Dear colleagues, kept as typed." in sent_page
    answer = coordinator.post(URL + "send-ahead/", {**form, "what": "report", "dfe": DFE})
    assert answer.status_code == 302 and answer["Location"] == URL + "publication/"
    record = SentAhead.objects.get()
    assert record.earliest_publication == date(2026, 4, 15)
    text = coordinator.get(URL + "publication/").content.decode()
    assert "Wednesday 15 April 2026" in text
    text = coordinator.get(URL).content.decode()
    assert "Sent: publish from 15 April 2026" in text

    # The publication decision: a planned date before the earliest is refused, on its field.
    decision = {
        "version": str(LocalReview.objects.get().version),
        "decision": "publish",
        **_date("decided_on", date(2026, 4, 2)),
    }
    sent_page = coordinator.post(
        URL + "publication/", {**decision, **_date("planned_on", date(2026, 4, 14))}
    ).content.decode()
    assert "The planned publication date must be on or after 15 April 2026" in sent_page
    assert 'href="#planned_on' in page or "planned_on" in sent_page
    assert not PublicationDecision.objects.exists()
    sent_page = coordinator.post(URL + "publication/", {**decision, "decision": "delay"}).content.decode()
    assert "Enter the reasons for the delay" in sent_page
    answer = coordinator.post(URL + "publication/", {**decision, **_date("planned_on", date(2026, 4, 15))})
    assert answer.status_code == 302
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.PUBLICATION_PLANNED
    assert PublicationDecision.objects.get().planned_on == date(2026, 4, 15)


def test_a_delay_recorded_on_the_page_sends_its_drafted_letter(
    world: World, sent: Case, signed_in: SignIn, thursday: None
) -> None:
    review = _open(world, sent)
    _forward(world, review)
    _approve(world, review, "delegate_la", "delegate_icb", "delegate_police")
    coordinator = signed_in(world.people["coordinator"])
    answer = coordinator.post(
        URL + "publication/",
        {
            "version": str(review.version),
            "decision": "delay",
            "reasons": "The father's trial is listed for June 2026.",
            "panel": PANEL,
            "dfe": DFE,
            "letter": "",
            **_date("decided_on", date(2026, 4, 2)),
        },
    )
    assert answer.status_code == 302
    record = PublicationDecision.objects.get()
    assert "The father's trial is listed for June 2026." in record.letter
    assert record.letter_docx is not None and record.letter_pdf is not None
    assert "Delay publication" in coordinator.get(URL + "publication/").content.decode()
    download = coordinator.get(f"/documents/{sent.reference}/{record.letter_pdf_id}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_who_may_see_and_do_what(world: World, sent: Case, signed_in: SignIn, thursday: None) -> None:
    review = _open(world, sent)
    _forward(world, review)
    # Readers of the review read the sign-off; only the coordinator sends ahead and decides.
    assert signed_in(world.people["scrutineer"]).get(URL + "final-report/").status_code == 200
    for path in ("send-ahead/", "publication/", "final-report/put-forward/"):
        assert signed_in(world.people["delegate_la"]).get(URL + path).status_code == 403
    # The coordinator neither approves nor comments.
    assert (
        signed_in(world.people["coordinator"]).post(URL + "final-report/", {"decision": "approved"}).status_code == 403
    )
    # Not there for those with no part in the review, another partnership, or a reviewer of another case.
    for persona in ("lead_hospital", "south_coordinator", "reviewer"):
        for path in ("final-report/", "send-ahead/", "publication/"):
            assert signed_in(world.people[persona]).get(URL + path).status_code == 404
    reviewer = world.people["reviewer"]
    CaseAccess.objects.create(case=sent, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    browser = signed_in(reviewer)
    assert browser.get(URL + "final-report/").status_code == 200
    assert browser.post(URL + "final-report/", {"decision": "approved"}).status_code == 403
    other = Case.objects.create(
        reference="NSCP-2026-002", partnership=world.north, title="Child B", state="local_review"
    )
    assert browser.get(f"/local-reviews/{other.reference}/final-report/").status_code == 404


def test_the_pages_are_audited_reads_within_the_query_budget(
    world: World, sent: Case, signed_in: SignIn, thursday: None
) -> None:
    review = _open(world, sent)
    _forward(world, review)
    _approve(world, review, "delegate_la")
    partner = signed_in(world.people["delegate_icb"])
    partner.get(URL + "final-report/")
    before = AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count()
    with max_page_queries():
        assert partner.get(URL + "final-report/").status_code == 200
    assert AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count() == before + 1
    _approve(world, review, "delegate_icb", "delegate_police")
    coordinator = signed_in(world.people["coordinator"])
    coordinator.get(URL)
    before = AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count()
    for path in ("", "final-report/", "send-ahead/", "publication/"):
        with max_page_queries():
            assert coordinator.get(URL + path).status_code == 200
    assert AuditEvent.objects.filter(case=sent, verb=Verb.VIEW).count() == before + 4


def test_list_cases_gives_the_earliest_publication_date_once_sent_ahead(
    world: World, sent: Case, signed_in: SignIn, thursday: None
) -> None:
    from localreviews.signoff_services import send_ahead
    from localreviews.tests.test_signoff import _sending

    review = _open(world, sent)
    _forward(world, review)
    _approve(world, review, "delegate_la", "delegate_icb", "delegate_police")

    def facts() -> dict[str, object]:
        out = StringIO()
        call_command("list_cases", "--json", stdout=out)
        rows = json.loads(out.getvalue())
        return next(r for r in rows if r["reference"] == sent.reference)

    row = facts()
    assert row["lcspr_state"] == "report_approved" and "earliest_publication_date" not in row
    send_ahead(review=review, actor=world.people["coordinator"], sending=_sending(), expected_version=review.version)
    assert facts()["earliest_publication_date"] == "2026-04-15"
