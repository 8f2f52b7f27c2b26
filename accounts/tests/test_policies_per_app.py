"""Each app answers "may this person see or do this" about its own records in its own policies.py,
and its pages ask it: no view or panel of the platform's apps decides by role itself."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.stage_registry import stages
from clocks.policies import ClockChecker, DueChecker, partnership_kept_by, require_bank_holiday_keeper
from conftest import World
from documents.policies import DocumentChecker, get_document_for_user
from localreviews.policies import LocalReviewChecker, methodologies_kept_by, reviews_anywhere
from nationalreviews.policies import NationalReviewChecker
from notifications.models import Message
from notifications.policies import get_message_for_user, may_read_case_messages
from portal.policies import HomeChecker, Idle

pytestmark = pytest.mark.django_db

# The apps whose records are not only the case's (the rapid review's own door is ReviewChecker,
# rapidreviews/tests/test_policies.py), and the composition's (the home page and navigation).
APPS_WITH_A_DOOR = (
    "cases",
    "clocks",
    "documents",
    "notifications",
    "referrals",
    "rapidreviews",
    "localreviews",
    "nationalreviews",
    "portal",
)
# Their pages, which ask the door and never decide by role themselves.
PAGES_ASK_THE_DOOR = APPS_WITH_A_DOOR


def _with_every_stage(apps: tuple[str, ...]) -> list[str]:
    """The apps named, and every registered stage's: a new stage is checked without being listed."""
    return sorted({*apps, *(stage.name for stage in stages())})


# The composition's pages: the home page's sections and the navigation, by person.
COMPOSED_PAGES = ("portal/home.py", "portal/navigation.py")


# What deciding by role looks like: a role, the roles read, or a named set of them. Every name
# accounts/roles.py defines counts (a set not named "_ROLES", as PARTNER_DELEGATES, too).
def _named_in_roles_module() -> set[str]:
    names = set()
    for node in ast.parse((Path(settings.BASE_DIR) / "accounts" / "roles.py").read_text()).body:
        if isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


BY_ROLE = {"roles_of", "case_roles", "ACTION_ROLES"} | _named_in_roles_module()


def _pages(app: str) -> list[Path]:
    """An app's views and panels, however it splits them (views/, views_*.py, *_views.py,
    panels_*.py), and the home page and navigation the composition builds."""
    root = Path(settings.BASE_DIR) / app
    patterns = ("views.py", "views/*.py", "views_*.py", "*_views.py", "*panels.py", "panels_*.py")
    found = {path for pattern in patterns for path in root.glob(pattern)}
    found |= {Path(settings.BASE_DIR) / page for page in COMPOSED_PAGES if page.startswith(f"{app}/")}
    return sorted(found)


def _decisions_by_role(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in BY_ROLE or name.endswith("_ROLES"):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} {name}")
    return found


def test_each_app_with_records_of_its_own_has_a_door() -> None:
    missing = [
        app
        for app in _with_every_stage(APPS_WITH_A_DOOR)
        if not (Path(settings.BASE_DIR) / app / "policies.py").exists()
    ]
    assert missing == []


def test_no_page_of_the_platform_decides_by_role_itself() -> None:
    pages = [page for app in _with_every_stage(PAGES_ASK_THE_DOOR) for page in _pages(app)]
    assert len(pages) >= 30  # the walk found the pages
    walked = {str(page.relative_to(settings.BASE_DIR)) for page in pages}
    assert {*COMPOSED_PAGES, "localreviews/terms_views.py", "localreviews/panels_reviewer.py"} <= walked
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


def test_the_home_page_and_navigation_offer_each_person_their_own_work(world: World) -> None:
    def offered(key: str) -> tuple[bool, bool, bool, bool]:
        who = HomeChecker(world.people[key])
        return who.has_case_list, who.refers, who.invites, who.is_admin_only

    assert offered("coordinator") == (True, True, True, False)
    assert offered("practitioner") == (True, True, False, False)
    assert offered("delegate_la") == (True, False, False, False)
    assert offered("admin") == (False, False, True, True)
    assert HomeChecker(world.people["delegate_icb"]).idle_reasons(case_count=1) == [Idle.PARTNER]
    reviewer = HomeChecker(world.people["reviewer"])
    assert reviewer.idle_reasons(case_count=0) == [Idle.REVIEWER_WITHOUT_A_CASE]
    assert reviewer.idle_reasons(case_count=1) == [Idle.REVIEWER_WITH_A_CASE]
    assert HomeChecker(world.people["admin"]).idle_reasons(case_count=0) == []


def test_a_local_reviews_terms_and_methodologies_are_their_keepers(world: World) -> None:
    case = world.cases["north"]
    generates = {key: LocalReviewChecker(world.people[key], case).may_generate_terms for key in world.people}
    assert {key for key, yes in generates.items() if yes} == {
        "coordinator",
        "delegate_la",
        "delegate_icb",
        "delegate_police",
    }
    assert methodologies_kept_by(world.people["admin"]) == world.north
    assert methodologies_kept_by(world.people["south_coordinator"]) == world.south
    with pytest.raises(PermissionDenied):
        methodologies_kept_by(world.people["delegate_la"])
    assert reviews_anywhere(world.people["reviewer"])
    assert not reviews_anywhere(world.people["coordinator"])


def test_a_cases_national_reviews_are_read_with_its_record_and_kept_by_its_coordinator(world: World) -> None:
    case = world.cases["north"]
    coordinator, chair, referrer = (
        NationalReviewChecker(world.people[k], case) for k in ("coordinator", "chair", "practitioner")
    )
    assert (coordinator.can_view, coordinator.can_edit) == (True, True)
    assert (chair.can_view, chair.can_edit) == (True, False)
    assert (referrer.can_view, referrer.can_edit) == (False, False)  # the referrer sees the case, not its record
