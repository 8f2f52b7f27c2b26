"""Log filters.

A refused request (403) is the service working as it should: someone followed an old link, or
tried a page their role does not open. Django logs it with the whole traceback of the
PermissionDenied, a screenful per refusal that buries real errors. `OneLineRefusals` keeps one line:
the path, the reason the door gave, and the request's id (which finds the rest in the audit
ledger)."""

import logging

from core import request_context


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            exc = record.exc_info[1]
            reason = str(exc) if exc is not None and str(exc) else "no reason given"
            info = request_context.current()
            record.msg = f"{record.getMessage()} ({reason})" + (f" [request {info.request_id}]" if info else "")
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
