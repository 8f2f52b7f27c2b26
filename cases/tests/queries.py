"""Counting a page's SQL queries the way the service runs them.

Each test runs inside a transaction, so every `transaction.atomic()` a request opens (the audit
event of a case page, the session saved at the end) becomes a SAVEPOINT and a RELEASE SAVEPOINT
statement that a request outside a test does not send (there it is one BEGIN, one COMMIT). The
budget of 15 queries a page is checked on the statements that read or write data: every SELECT,
INSERT, UPDATE and DELETE, including the session, the signed-in person and the audit ledger's.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def at_most_queries(budget: int) -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as captured:
        yield captured
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    assert len(statements) <= budget, f"{len(statements)} queries, more than {budget}:\n" + "\n".join(
        f"{n}. {sql[:300]}" for n, sql in enumerate(statements, 1)
    )
