import json
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.roles import Role
from conftest import SignIn, kept_for_the_module
from partnerships.demo import PEOPLE
from partnerships.models import Agency, Partnership


def demo_users() -> list[dict]:
    out = StringIO()
    call_command("demo_users", "--json", stdout=out)
    return json.loads(out.getvalue())


def seed_demo() -> None:
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The whole demo, seeded once for this module's tests (conftest.kept_for_the_module)."""
    yield from kept_for_the_module(django_db_blocker, seed_demo)


@pytest.fixture
def seeded(demo: None, db: Any) -> None:
    """The demo as `seed_demo` left it, whatever an earlier test of the module did to it."""


def test_demo_users_prints_every_persona_with_what_is_needed_to_sign_in(seeded: None) -> None:
    rows = demo_users()
    assert {row["username"].split("@")[0] for row in rows} == {key for key, *_ in PEOPLE}
    assert {Role(row["role"]) for row in rows} == set(Role)
    for row in rows:
        assert set(row) >= {"username", "password", "role", "agency", "partnership", "totp_secret"}
        user = User.objects.get(username=row["username"])
        assert user.check_password(row["password"])
        assert row["partnership"] == "Northshire Safeguarding Children Partnership"
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        import base64

        assert base64.b32decode(row["totp_secret"] + "=" * (-len(row["totp_secret"]) % 8)) == device.bin_key
    agencies = {row["username"].split("@")[0]: row["agency"] for row in rows}
    assert agencies["lead.police"] == "Northshire Police"
    assert agencies["coordinator"] is None


def test_a_printed_totp_secret_gives_codes_the_service_accepts(seeded: None) -> None:
    import base64

    row = next(r for r in demo_users() if r["username"].startswith("coordinator@"))
    key = base64.b32decode(row["totp_secret"] + "=" * (-len(row["totp_secret"]) % 8))
    device = TOTPDevice.objects.get(user__username=row["username"])
    assert device.verify_token(f"{totp(key):06d}")


def test_seed_demo_makes_about_twelve_agencies_and_a_person_for_every_role(seeded: None) -> None:
    partnership = Partnership.objects.get()
    assert Agency.objects.filter(partnership=partnership).count() >= 12
    assert {Role(r) for r in Membership.objects.values_list("role", flat=True)} == set(Role)


def test_seed_demo_if_empty_does_nothing_the_second_time(seeded: None) -> None:
    counts = (Partnership.objects.count(), User.objects.count(), Agency.objects.count())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "skipped" in out.getvalue()
    assert (Partnership.objects.count(), User.objects.count(), Agency.objects.count()) == counts


def test_seed_demo_without_if_empty_refuses_a_database_with_data(seeded: None) -> None:
    with pytest.raises(CommandError, match="already holds partnerships"):
        call_command("seed_demo", stdout=StringIO())


def _production(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 64,
        "AUDIT_HMAC_KEY": "y" * 64,
        "ALLOWED_HOSTS": "reviews.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_demo_users_refuses_to_run_under_production_settings(tmp_path: Path) -> None:
    result = _production(tmp_path, "demo_users", "--json")
    assert result.returncode != 0
    assert "refuses to run under production settings" in result.stderr
    assert result.stdout.strip() == ""


def test_seed_demo_refuses_to_run_under_production_settings(tmp_path: Path) -> None:
    result = _production(tmp_path, "seed_demo", "--if-empty")
    assert result.returncode != 0
    assert "never seeded under production settings" in result.stderr


def test_every_demo_case_in_a_rapid_review_has_the_review_records_its_clocks_imply(
    seeded: None, signed_in: SignIn
) -> None:
    from django.urls import reverse

    from cases.models import Case, CaseState
    from clocks.models import Clock, ClockRule, ClockStatus
    from rapidreviews.models import RapidReview, SummaryStatus
    from rapidreviews.services.signoff_state import sign_off_state

    coordinator = User.objects.get(username__startswith="coordinator@")
    client = signed_in(coordinator)
    cases = Case.objects.filter(state__in=[CaseState.RAPID_REVIEW, CaseState.RAPID_REVIEW_SUBMITTED])
    assert cases.count() >= 14
    referred = [case for case in cases if hasattr(case, "referral")]
    assert len(referred) == len(cases)  # each with the referral, with a child, notified to the Panel
    for case in cases:
        review = RapidReview.objects.filter(case=case).first()
        assert review is not None, case.reference
        requests = list(review.requests.select_related("agency_summary"))
        assert len(requests) == 3, case.reference
        met = {c.rule: c for c in Clock.objects.filter(case=case, status__in=[ClockStatus.MET, ClockStatus.LATE])}
        if ClockRule.RR_REQUESTS_OUT in met:
            sent = min(r.sent_at for r in requests)
            met_on = met[ClockRule.RR_REQUESTS_OUT].met_on
            assert met_on is not None and timezone.localdate(sent) <= met_on, case.reference
        if ClockRule.RR_RETURNS in met:  # every summary came in (one may have been sent back since)
            assert all(r.agency_summary.submitted_at for r in requests), case.reference
        else:
            assert any(r.agency_summary.status != SummaryStatus.ACCEPTED for r in requests), case.reference
        if case.state == CaseState.RAPID_REVIEW_SUBMITTED:
            assert review.submitted_at is not None and review.decision, case.reference
            assert sign_off_state(review).complete, case.reference
            assert case.documents.filter(title__startswith="Rapid review").exists(), case.reference
            assert Clock.objects.filter(case=case, rule=ClockRule.PANEL_RESPONSE).exists(), case.reference
            if ClockRule.RR_SUBMISSION in met:
                assert timezone.localdate(review.submitted_at) == met[ClockRule.RR_SUBMISSION].met_on
        if hasattr(case, "referral"):
            assert case.referral.children_list(), case.reference
            assert case.notifications.filter(to_panel=True).exists(), case.reference
        html = client.get(reverse("rapidreviews:workspace", args=[case.reference])).content.decode()
        assert f"{case.reference}: {case.title}" in html
    statuses = set(Clock.objects.filter(case__in=referred).values_list("status", flat=True))
    assert statuses >= {ClockStatus.PAUSED, ClockStatus.EXTENDED, ClockStatus.CANCELLED, ClockStatus.LATE}


def test_the_demo_holds_local_reviews_at_each_point(seeded: None) -> None:
    """Issue 15, part 12: just commissioned, reviewer appointed, drafting, an accuracy round, sent
    ahead of publication, delayed by a trial; each as `list_cases --json` reports it."""
    from clocks.models import Clock, ClockStatus
    from localreviews.clock_rules import SIX_MONTHS
    from localreviews.models import LocalReview

    out = StringIO()
    call_command("list_cases", "--json", stdout=out)
    rows = {r["title"]: r for r in json.loads(out.getvalue())}
    assert rows["Child AG"]["lcspr_state"] == "commissioned"
    assert rows["Child AH"]["lcspr_state"] == "reviewer_appointed"
    assert all(rows[t]["stage"] == "Local review" for t in ("Child AG", "Child AH", "Child AK", "Child AL"))
    reviews = {r.case.title: r for r in LocalReview.objects.select_related("case")}
    assert reviews["Child AH"].notices.count() == 2
    assert reviews["Child AI"].report_versions.count() == 2
    assert reviews["Child AJ"].accuracy_rounds.filter(status="open").count() == 1
    assert rows["Child AK"]["lcspr_state"] == "sent_ahead" and rows["Child AK"]["earliest_publication_date"]
    assert reviews["Child AL"].delays.count() == 1
    assert Clock.objects.get(case=reviews["Child AL"].case, rule=SIX_MONTHS).status == ClockStatus.PAUSED
