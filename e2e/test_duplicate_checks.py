"""The coordinator checks a referral's possible duplicate from the partners' decision page: the
page passes axe, a missing reason is a GOV.UK error, and "not the same incident" removes the
warning. The chronology's own check page passes axe too."""

import json
import re
from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import Service


def a_flagged_pair(service: Service) -> tuple[str, str]:
    out = service.manage(
        "shell",
        "-c",
        "import json; from referrals.models import Referral; "
        "r = Referral.objects.filter(possible_duplicates__isnull=False, case__state='referred')"
        ".select_related('case').first(); "
        "print(json.dumps([r.case.reference, r.possible_duplicates.first().reference] if r else None))",
    )
    pair = json.loads(out.strip().splitlines()[-1])
    assert pair, "the demo holds a second referral of the same child (referrals/demo.py)"
    return pair[0], pair[1]


def test_a_possible_duplicate_is_dismissed_with_a_reason(
    page: Page, service: Service, sign_in: Any, check_a11y: Any, shot: Any
) -> None:
    case, other = a_flagged_pair(service)
    sign_in(page, "coordinator")
    page.goto(f"/referrals/case/{case}/triage/")
    expect(page.locator("main")).to_contain_text("may already hold a referral about the same child or incident")
    page.get_by_role("link", name=re.compile(f"Say whether {other} is the same incident")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Is {other} about the same incident?")
    check_a11y(page)
    page.get_by_label("No, not the same incident: dismiss the warning").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why it is not the same incident")
    check_a11y(page)
    shot(page, "duplicate-check-error")
    page.get_by_label("Why?").fill("A cousin with the same name: the school confirmed a different date of birth")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(f"/referrals/case/{case}/triage/$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is not the same incident")
    expect(page.locator("main")).not_to_contain_text("may already hold a referral")
    page.goto(f"/cases/{case}/history/")
    expect(page.locator("main")).to_contain_text("A possible duplicate was checked: not the same incident")
