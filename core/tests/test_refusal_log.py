"""A refused request is logged as one line (path, reason, request id), not a traceback."""

import logging
from typing import Any

from conftest import SignIn, World


def test_a_403_writes_one_line_to_the_log_with_its_reason_and_no_traceback(
    world: World, signed_in: SignIn, caplog: Any
) -> None:
    reference = world.cases["north"].reference
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = signed_in(world.people["practitioner"]).get(f"/cases/{reference}/seen-by/")
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    record = refusals[0]
    assert record.exc_info is None and not record.exc_text, "no traceback"
    line = logging.Formatter().format(record)
    assert "\n" not in line
    assert f"Forbidden (Permission denied): /cases/{reference}/seen-by/" in line
    assert "You cannot do that on this case" in line
    assert "[request " in line


def test_server_errors_keep_their_traceback() -> None:
    from core.log_filters import OneLineRefusals

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x/", None, sys.exc_info()
        )
    record.status_code = 500
    assert OneLineRefusals().filter(record) and record.exc_info is not None
