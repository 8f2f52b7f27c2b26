"""The rapid review's door: one checker per person and case answers what they may see and do in
the review's own records, and every set of roles it (or anything else) checks is named once."""

import ast
from datetime import date, time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from conftest import World
from rapidreviews.models import RapidReview
from rapidreviews.policies import RapidReviewsChecker, ReviewChecker, may_read_review_document
from rapidreviews.services.meeting import meeting_schedule
from rapidreviews.services.requests import summaries_share
from rapidreviews.tests.helpers import summary_of

pytestmark = pytest.mark.django_db


def _role_sets_outside_roles_module() -> list[str]:
    """Set, tuple and list literals naming two roles or more, in application code."""
    found = []
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        parts = relative.parts
        if parts[0] in {".venv", "var", "node_modules"} or "tests" in parts or "migrations" in parts:
            continue
        if relative == Path("accounts/roles.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Set | ast.Tuple | ast.List):
                roles = [
                    e
                    for e in node.elts
                    if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "Role"
                ]
                if len(roles) >= 2:
                    found.append(f"{relative}:{node.lineno}")
    return found


def test_role_sets_are_named_once_in_the_roles_module() -> None:
    assert _role_sets_outside_roles_module() == []


def test_a_lead_writes_only_their_own_agency_summary_while_it_is_open(world: World, asked: RapidReview) -> None:
    hospital = summary_of(asked, world.agencies["hospital"])
    school = summary_of(asked, world.agencies["school"])
    checker = ReviewChecker(world.people["lead_hospital"], asked.case)
    assert checker.can_edit_summary(hospital)
    assert not checker.can_edit_summary(school)
    assert not ReviewChecker(world.people["coordinator"], asked.case).can_edit_summary(hospital)


def test_shared_summaries_are_read_by_the_overseers_and_the_meeting_not_the_notifier(
    world: World, asked: RapidReview
) -> None:
    people = world.people
    meeting_schedule(
        review=asked,
        actor=people["coordinator"],
        date=date(2026, 3, 2),
        start_time=time(10, 0),
        duration_minutes=60,
        place="Room 1",
        online_link="",
        members=[people["lead_school"]],
    )
    asked.refresh_from_db()
    before = {key: ReviewChecker(people[key], asked.case).sees_shared_summaries(asked) for key in ("scrutineer",)}
    assert before == {"scrutineer": False}, "nothing is shared before the coordinator shares it"
    summaries_share(review=asked, actor=people["coordinator"])
    asked.refresh_from_db()
    sees = {
        key: ReviewChecker(people[key], asked.case).sees_shared_summaries(asked)
        for key in ("coordinator", "delegate_icb", "scrutineer", "chair", "lead_school", "lead_hospital", "notifier")
    }
    assert sees == {
        "coordinator": True,
        "delegate_icb": True,
        "scrutineer": True,
        "chair": True,
        "lead_school": True,  # asked to the meeting
        "lead_hospital": False,
        "notifier": False,
    }
    assert ReviewChecker(people["lead_school"], asked.case).can_view_meeting(asked)
    assert not ReviewChecker(people["lead_hospital"], asked.case).can_view_meeting(asked)
    assert may_read_review_document(people["lead_school"], asked.case)
    assert not may_read_review_document(people["lead_hospital"], asked.case)
    assert not may_read_review_document(people["notifier"], asked.case)


def test_the_checker_reads_the_persons_roles_once(world: World, asked: RapidReview) -> None:
    checker = ReviewChecker(world.people["delegate_la"], asked.case)
    assert checker.is_staff  # reads the roles and the grants
    with CaptureQueriesContext(connection) as queries:
        assert checker.is_staff and not checker.runs_review
        assert checker.lead_agency_ids == set()
        assert checker.sees_shared_summaries(asked) is False
    assert len(queries) == 0


def test_the_partners_sign_off_and_the_scrutineer_and_chair_comment(world: World, asked: RapidReview) -> None:
    def asked_as(key: str) -> tuple[Role | None, Role | None]:
        checker = ReviewChecker(world.people[key], asked.case)
        return checker.signs_off_as, checker.comments_as

    assert asked_as("delegate_icb") == (Role.DELEGATE_ICB, None)
    assert asked_as("chair") == (None, Role.CHAIR)
    assert asked_as("coordinator") == (None, None)
    assert asked_as("lead_hospital") == (None, None)


def test_the_home_page_asks_each_person_for_their_part_in_every_review(world: World) -> None:
    lead, delegate, scrutineer, coordinator = (
        RapidReviewsChecker(world.people[key])
        for key in ("lead_school", "delegate_police", "scrutineer", "coordinator")
    )
    assert (lead.writes_summaries, lead.signs_off_for, lead.comments) == (True, set(), False)
    assert (delegate.writes_summaries, delegate.signs_off_for, delegate.comments) == (
        False,
        {Role.DELEGATE_POLICE},
        False,
    )
    assert (scrutineer.signs_off_for, scrutineer.comments) == (set(), True)
    assert (coordinator.writes_summaries, coordinator.signs_off_for, coordinator.comments) == (False, set(), False)
