"""Reading is audited by the door, not by memory.

The door (`cases.policies.get_case_for_user`) notes each case it opens on the current request
(`note_opened`), and `audit_record` notes each event it writes for a case (`note_recorded`). After
the view, `audit.middleware.ReadAuditMiddleware` writes one `Verb.VIEW` event for each case opened
whose data went out with a 2xx answer and left no trace yet:

- GET and HEAD: unless the view wrote a read event (VIEW, DOWNLOAD, EXPORT) for that case itself,
  so a download or an export is not counted twice;
- POST: unless the request wrote any event for that case (the change it made is its trace); a
  form sent back with its errors writes nothing, and shows the page, so it is a read.

A refusal (403, 404), a redirect or an error shows nothing, so it records nothing. Outside a
request (commands, jobs, tests calling services) nothing is noted.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from audit.models import Verb

READ_VERBS = frozenset({Verb.VIEW, Verb.DOWNLOAD, Verb.EXPORT})
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class RequestReads:
    opened: dict[int, Any] = field(default_factory=dict)  # case pk -> case, in the order opened
    read: set[int] = field(default_factory=set)  # case pks with a read event written
    written: set[int] = field(default_factory=set)  # case pks with any event written

    def untraced(self, method: str) -> list[Any]:
        """The cases opened on this request that the ledger does not show yet."""
        traced = self.read if method in READ_METHODS else self.written
        return [case for pk, case in self.opened.items() if pk not in traced]


_reads: ContextVar[RequestReads | None] = ContextVar("request_reads", default=None)


def start() -> tuple[RequestReads, object]:
    reads = RequestReads()
    return reads, _reads.set(reads)


def finish(token: object) -> None:
    _reads.reset(token)  # type: ignore[arg-type]


def note_opened(case: Model) -> None:
    """The door opened this case for the person making the current request."""
    reads = _reads.get()
    if reads is not None:
        reads.opened.setdefault(case.pk, case)


def note_recorded(verb: Verb, case_id: int | None) -> None:
    """An event about this case was written on the current request."""
    reads = _reads.get()
    if reads is None or case_id is None:
        return
    reads.written.add(case_id)
    if verb in READ_VERBS:
        reads.read.add(case_id)
