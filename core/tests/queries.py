"""Counting a page's SQL queries for the budget of 15 a page: the statements that read or write
data, not the SAVEPOINT / RELEASE lines Django's nested transactions add around each write (the
audit ledger's append is one), which `django_assert_max_num_queries` counts as queries."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGE_QUERY_BUDGET = 15


def data_queries(captured: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@contextmanager
def max_page_queries(budget: int = PAGE_QUERY_BUDGET) -> Iterator[CaptureQueriesContext]:
    """Fails when what runs inside does more than `budget` data queries, listing them."""
    with CaptureQueriesContext(connection) as context:
        yield context
    queries = data_queries(context.captured_queries)
    assert len(queries) <= budget, f"{len(queries)} queries, budget {budget}:\n" + "\n".join(
        f"{n}. {sql[:200]}" for n, sql in enumerate(queries, 1)
    )
