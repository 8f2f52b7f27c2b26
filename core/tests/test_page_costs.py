"""The pages everyone opens most cost the same whatever the partnership holds: the case page, the
rapid review workspace and every persona's home page stay within the budget of 15 queries, and
read exactly as many queries with 30 more cases (each with its review, its agencies' summaries,
clocks, a decision and messages) as without them."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.busy_world import add_cases, reviewed_case
from core.tests.queries import PAGE_QUERY_BUDGET, data_queries

pytestmark = pytest.mark.django_db

PERSONAS = [
    "practitioner",
    "lead_hospital",
    "lead_school",
    "coordinator",
    "notifier",
    "delegate_la",
    "delegate_icb",
    "delegate_police",
    "scrutineer",
    "chair",
    "reviewer",
    "admin",
    "south_coordinator",
]


def queries_for(client: Any, url: str) -> list[str]:
    client.get(url)  # the first visit may record what a later one does not (the session's first touch)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return data_queries(captured.captured_queries)


def costs(world: Any, signed_in: Any, pages: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    return {(key, url): queries_for(signed_in(world.people[key]), url) for key, url in pages}


def assert_within_budget_and_flat(small: dict[Any, list[str]], large: dict[Any, list[str]]) -> None:
    for page, queries in large.items():
        listing = "\n".join(f"{n}. {sql[:200]}" for n, sql in enumerate(queries, 1))
        assert len(queries) <= PAGE_QUERY_BUDGET, f"{page}: {len(queries)} queries\n{listing}"
        assert len(queries) == len(small[page]), f"{page}: {len(small[page])} queries, then {len(queries)}\n{listing}"


def test_every_home_page_stays_within_15_queries_however_many_cases_there_are(world: Any, signed_in: Any) -> None:
    reviewed_case(world, 0)
    reviewed_case(world, 1)
    pages = [(key, "/") for key in PERSONAS]
    small = costs(world, signed_in, pages)
    add_cases(world, 30)
    assert_within_budget_and_flat(small, costs(world, signed_in, pages))


def review_pages(world: Any, key: str) -> list[tuple[str, str]]:
    reference = reviewed_case(world, 1).case.reference
    pages = [(key, f"/cases/{reference}/")]
    if key != "lead_hospital":  # a lead works on their own agency's summary, not the review itself
        pages.append((key, f"/rapid-reviews/{reference}/"))
    return pages


@pytest.mark.parametrize("key", ["coordinator", "delegate_la", "scrutineer", "lead_hospital"])
def test_the_case_page_and_the_rapid_review_workspace_cost_the_same_however_many_cases_there_are(
    world: Any, signed_in: Any, key: str
) -> None:
    pages = review_pages(world, key)
    small = costs(world, signed_in, pages)
    add_cases(world, 30)
    large = costs(world, signed_in, pages)
    assert {page: len(q) for page, q in large.items()} == {page: len(q) for page, q in small.items()}


@pytest.mark.parametrize(
    "key", ["coordinator", "delegate_la", "delegate_icb", "delegate_police", "scrutineer", "chair", "lead_hospital"]
)
def test_the_case_page_and_the_rapid_review_workspace_stay_within_15_queries_once_decided(
    world: Any, signed_in: Any, key: str
) -> None:
    for page, queries in costs(world, signed_in, review_pages(world, key)).items():
        assert len(queries) <= PAGE_QUERY_BUDGET, f"{page}: {len(queries)} queries"


def test_a_long_home_list_shows_the_first_ten_with_how_many_and_a_link_to_them_all(world: Any, signed_in: Any) -> None:
    add_cases(world, 24)  # every other one decided: 12 waiting for the partners' sign-off, 24 summaries to write
    for key, what in (("delegate_la", "Sign off "), ("lead_school", "Summary for ")):
        body = signed_in(world.people[key]).get("/").content.decode()
        assert body.count(what) == 10
        assert "/cases/?state=rapid_review" in body and "Showing 10 of" in body
