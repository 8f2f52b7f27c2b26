"""Each app answers "may this person see or do this" about its own records in its own policies.py,
and its pages ask it: no view or panel of the platform's apps decides by role itself."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from clocks.policies import ClockChecker, DueChecker, partnership_kept_by, require_bank_holiday_keeper
from conftest import World
from documents.policies import DocumentChecker, get_document_for_user
from notifications.models import Message
from notifications.policies import get_message_for_user, may_read_case_messages

pytestmark = pytest.mark.django_db

# The apps whose records are not only the case's; the rapid review's own door is ReviewChecker
# (rapidreviews/tests/test_policies.py).
APPS_WITH_A_DOOR = ("cases", "clocks", "documents", "notifications", "referrals", "rapidreviews")
# Their pages, which ask the door and never decide by role themselves.
PAGES_ASK_THE_DOOR = ("cases", "clocks", "documents", "notifications", "referrals")
# What deciding by role looks like: a role, the roles read, or a set of them.
BY_ROLE = {"Role", "roles_of", "case_roles", "is_service_admin", "ACTION_ROLES"}


def _pages(app: str) -> list[Path]:
    root = Path(settings.BASE_DIR) / app
    return sorted((*root.glob("views.py"), *root.glob("views/*.py"), *root.glob("*panels.py")))


def _decisions_by_role(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in BY_ROLE or name.endswith("_ROLES"):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} {name}")
    return found


def test_each_app_with_records_of_its_own_has_a_door() -> None:
    missing = [app for app in APPS_WITH_A_DOOR if not (Path(settings.BASE_DIR) / app / "policies.py").exists()]
    assert missing == []


def test_no_page_of_the_platform_decides_by_role_itself() -> None:
    pages = [page for app in PAGES_ASK_THE_DOOR for page in _pages(app)]
    assert len(pages) >= 5  # the walk found the pages
    assert [found for page in pages for found in _decisions_by_role(page)] == []


def test_whats_due_shows_a_lead_their_own_and_the_partnership_wide_roles_every_deadline(world: World) -> None:
    lead, coordinator, chair = (DueChecker(world.people[k]) for k in ("lead_hospital", "coordinator", "chair"))
    assert (lead.own_only, lead.acts_on_due, lead.is_coordinator) == (True, True, False)
    assert (coordinator.own_only, coordinator.acts_on_due, coordinator.is_coordinator) == (False, True, True)
    assert (chair.own_only, chair.acts_on_due) == (False, False)  # watches, does not act
    admin = DueChecker(world.people["admin"])
    assert (admin.has_deadlines, admin.keeps_partnership_calendar, admin.keeps_service_calendar) == (False, True, False)


def test_only_the_coordinator_changes_a_cases_deadlines(world: World) -> None:
    case = world.cases["north"]
    assert ClockChecker(world.people["coordinator"], case).can_manage
    assert not ClockChecker(world.people["lead_hospital"], case).can_manage


def test_the_calendars_are_kept_by_their_own_keepers(world: World) -> None:
    assert partnership_kept_by(world.people["coordinator"]) == world.north
    assert partnership_kept_by(world.people["admin"]) == world.north
    assert partnership_kept_by(world.people["south_coordinator"]) == world.south
    with pytest.raises(PermissionDenied):
        partnership_kept_by(world.people["lead_hospital"])
    for someone in ("admin", "coordinator"):  # a partnership's administrator is not the service's
        with pytest.raises(PermissionDenied):
            require_bank_holiday_keeper(world.people[someone])
    service_admin = world.people["coordinator"]
    service_admin.is_staff = True
    require_bank_holiday_keeper(service_admin)


def test_a_document_is_reached_through_its_case_and_its_topic(world: World) -> None:
    from documents.services import document_store

    case = world.cases["north"]
    plain = document_store(
        case=case, actor=None, title="Notes", name="notes.txt", data=b"notes", content_type="text/plain"
    )
    unread = document_store(
        case=case,
        actor=None,
        title="Nobody's",
        name="x.txt",
        data=b"x",
        content_type="text/plain",
        topic="no_stage_reads_this",
    )
    coordinator = world.people["coordinator"]
    assert get_document_for_user(coordinator, case.reference, plain.pk) == (case, plain)
    with pytest.raises(Http404):  # a topic nobody registered is read by nobody
        get_document_for_user(coordinator, case.reference, unread.pk)
    with pytest.raises(Http404):  # another partnership's case does not exist for them
        get_document_for_user(world.people["south_coordinator"], case.reference, plain.pk)
    with pytest.raises(PermissionDenied):  # the referrer sees the case, not its record
        get_document_for_user(world.people["practitioner"], case.reference, plain.pk)
    assert list(DocumentChecker(coordinator, case).visible()) == [plain]
    assert DocumentChecker(coordinator, case).can_upload
    assert not DocumentChecker(world.people["chair"], case).can_upload


def test_a_message_is_its_recipients_and_a_cases_list_of_messages_its_coordinators(world: World) -> None:
    case = world.cases["north"]
    message = Message.objects.create(
        recipient=world.people["lead_hospital"],
        to_email=world.people["lead_hospital"].email,
        subject="Hello",
        body="Hello",
        case=case,
    )
    assert get_message_for_user(world.people["lead_hospital"], message.pk) == message
    for someone in ("lead_school", "coordinator"):
        with pytest.raises(Http404):
            get_message_for_user(world.people[someone], message.pk)
    assert may_read_case_messages(world.people["coordinator"], case)
    assert not may_read_case_messages(world.people["chair"], case)
