from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

from audit import reads
from audit.models import Verb
from audit.services import audit_record
from core.busy import busy_response, is_database_busy


class ReadAuditMiddleware:
    """Writes one VIEW event for each case the door opened on a request answered 2xx that left no
    trace of it in the ledger (see audit.reads), with the page's URL name and path.

    The event is written before the response leaves: if it cannot be written, the person gets the
    "service is busy" page (a locked database) or the error page, never an unaudited page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        noted, token = reads.start()
        try:
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and noted.opened:
                method = request.method or ""
                match = request.resolver_match
                details = {"page": match.view_name if match else "", "path": request.path, "method": method}
                try:
                    for case in noted.untraced(method):
                        audit_record(actor=request.user, verb=Verb.VIEW, target=case, case=case, details=details)
                except OperationalError as error:
                    if not is_database_busy(error):
                        raise
                    return busy_response(request, error)  # the busy page, not the unrecorded one
        finally:
            reads.finish(token)
        return response
