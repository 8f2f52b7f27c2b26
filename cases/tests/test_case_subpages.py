"""The case page is a short summary (stage, next step, the deadline that matters) with sub-pages for
the rest: deadlines, referral, documents, messages and history. Each sub-page records that it was
seen, stays within 15 queries whatever the case holds, and keeps need-to-know as the case page did."""

import html
from datetime import date
from typing import Any

import pytest

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseState
from cases.stage_registry import Panel, Stage, registered
from cases.tests.queries import at_most_queries
from conftest import SignIn, World
from documents.services import document_store
from notifications.services import message_send
from referrals.services.sin import SinAnswers, sin_record
from referrals.services.triage import TriageAnswers, triage_record
from referrals.tests.helpers import make_case

pytestmark = pytest.mark.django_db

SUB_PAGES = ["deadlines", "referral", "documents", "messages", "history"]


def busy_case(world: World, settings: Any, tmp_path: Any, size: int) -> Case:
    """A notified case in its rapid review, with `size` documents, messages and recorded steps."""
    from django.utils import timezone

    from rapidreviews.services.requests import information_request_send
    from rapidreviews.services.review import rapid_review_start

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    coordinator = world.people["coordinator"]
    today = timezone.localdate()
    case = make_case(world, incident=today, aware=today, dob=date(2019, 4, 2), children=2)
    triage_record(
        case=case,
        actor=coordinator,
        expected_version=case.version,
        answers=TriageAnswers(today, "A", "B", "C", "yes", "yes", "notify", "", False),
    )
    case.refresh_from_db()
    sin_record(
        case=case,
        actor=world.people["notifier"],
        expected_version=case.version,
        answers=SinAnswers(
            submitted_at=timezone.now(),
            panel_reference="SIN-1",
            submitted_by="N",
            children=case.referral.children_list(),
        ),
    )
    case.refresh_from_db()
    review = rapid_review_start(case=case, actor=coordinator)
    for agency, lead in (("hospital", "lead_hospital"), ("school", "lead_school"), ("police", "lead_police")):
        information_request_send(
            review=review, actor=coordinator, agency=world.agencies[agency], lead=world.people[lead]
        )
    for n in range(size):
        document_store(
            case=case, actor=coordinator, title=f"Note {n}", name=f"note-{n}.txt", data=b"x", content_type="text/plain"
        )
        message_send(recipients=[coordinator], subject=f"Reminder {n}", body="Due soon", case=case, actor=coordinator)
    case.refresh_from_db()
    return case


@pytest.fixture
def case(world: World, settings: Any, tmp_path: Any) -> Case:
    return busy_case(world, settings, tmp_path, 3)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_case_page_is_a_short_summary_with_sub_navigation(world: World, signed_in: SignIn, case: Case) -> None:
    body = text(signed_in(world.people["coordinator"]).get(f"/cases/{case.reference}/"))
    assert "moj-sub-navigation" in body
    for slug in SUB_PAGES:
        assert f'href="/cases/{case.reference}/{slug}/"' in body
    assert "Next step" in body and "Go to the rapid review" in body
    assert "Deadline" in body and "Agency summaries" in body  # the one that matters: the soonest open one
    # The rest is on its own sub-page.
    assert "Read the full referral" not in body
    assert "Messages sent" not in body
    assert "What has happened" not in body
    assert "Information requests sent</th>" not in body


@pytest.mark.parametrize(
    ("slug", "shows"),
    [
        ("deadlines", "Agency summaries"),
        ("referral", "Read the full referral"),
        ("documents", "Note 0"),
        ("messages", "Reminder 0"),
        ("history", "What has happened"),
    ],
)
def test_each_sub_page_shows_its_part_and_records_that_it_was_seen(
    world: World, signed_in: SignIn, case: Case, slug: str, shows: str
) -> None:
    response = signed_in(world.people["coordinator"]).get(f"/cases/{case.reference}/{slug}/")
    assert response.status_code == 200
    body = text(response)
    assert shows in body
    assert 'aria-current="page"' in body
    assert AuditEvent.objects.filter(case=case, verb=Verb.VIEW, details__page=f"cases:{slug}").exists()


@pytest.mark.parametrize("size", [2, 30])
@pytest.mark.parametrize("slug", ["", *SUB_PAGES])
def test_the_case_page_and_each_sub_page_stay_within_15_queries_whatever_the_case_holds(
    world: World, signed_in: SignIn, settings: Any, tmp_path: Any, slug: str, size: int
) -> None:
    case = busy_case(world, settings, tmp_path, size)
    client = signed_in(world.people["coordinator"])
    url = f"/cases/{case.reference}/{slug}/" if slug else f"/cases/{case.reference}/"
    with at_most_queries(15):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("key", ["lead_hospital", "delegate_la", "scrutineer"])
def test_the_case_page_stays_within_15_queries_for_the_partners_and_the_agencies_too(
    world: World, signed_in: SignIn, case: Case, key: str
) -> None:
    client = signed_in(world.people[key])
    with at_most_queries(15):
        assert client.get(f"/cases/{case.reference}/").status_code == 200


def test_the_referrer_sees_only_the_stage_and_outcome_and_no_sub_page(
    world: World, signed_in: SignIn, case: Case
) -> None:
    client = signed_in(world.people["practitioner"])
    overview = text(client.get(f"/cases/{case.reference}/"))
    assert "your referral" in overview and "moj-sub-navigation" not in overview
    for slug in SUB_PAGES:
        assert client.get(f"/cases/{case.reference}/{slug}/").status_code == 403


def test_messages_are_for_the_coordinator_alone_and_others_are_not_offered_the_tab(
    world: World, signed_in: SignIn, case: Case
) -> None:
    for key in ("delegate_la", "lead_hospital", "scrutineer"):
        client = signed_in(world.people[key])
        body = text(client.get(f"/cases/{case.reference}/"))
        assert f'href="/cases/{case.reference}/deadlines/"' in body
        assert f'href="/cases/{case.reference}/messages/"' not in body
        assert client.get(f"/cases/{case.reference}/messages/").status_code == 403
        assert client.get(f"/cases/{case.reference}/deadlines/").status_code == 200


def test_another_partnerships_coordinator_finds_no_sub_page(world: World, signed_in: SignIn, case: Case) -> None:
    client = signed_in(world.people["south_coordinator"])
    for slug in SUB_PAGES:
        assert client.get(f"/cases/{case.reference}/{slug}/").status_code == 404


def test_a_panel_an_app_registers_appears_on_the_sub_page_it_names(world: World, signed_in: SignIn, case: Case) -> None:
    def provider(request: Any, case: Case) -> dict[str, Any]:
        return {
            "template": "clocks/_admin_home_panel.html",
            "partnership_admin": True,
        }  # any template: its words are what is looked for

    with registered(Stage(name="a_test_stage", panels=(Panel(provider, order=99, tab="referral"),))):
        client = signed_in(world.people["coordinator"])
        assert "Office closure days" in text(client.get(f"/cases/{case.reference}/referral/"))
        assert "Office closure days" not in text(client.get(f"/cases/{case.reference}/"))


def test_a_case_still_being_referred_has_its_summary_for_the_partners(world: World, signed_in: SignIn) -> None:
    case = make_case(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    assert case.state == CaseState.REFERRED
    body = text(signed_in(world.people["delegate_icb"]).get(f"/cases/{case.reference}/"))
    assert "Record the partners' decision" in body
