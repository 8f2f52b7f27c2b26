"""Who is acting, from where: set per request by the middleware, read by the audit ledger.

A page that only reads (GET or HEAD) also carries a memo: what several parts of one page ask
(the bank holidays, a case's clocks, the partnership's clock settings) is read from the database
once for the request and handed to each part after that (`remembered`). A request that writes has
no memo, so nothing it changed is ever answered from before the change; nor has work outside a
request (jobs, commands, services called from tests).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestInfo:
    request_id: str  # always the service's own
    ip_address: str | None
    user_agent: str
    client_request_id: str = ""  # a client's X-Request-ID of a strict shape, kept apart from ours
    memo: dict[Any, Any] | None = field(default=None, compare=False, repr=False)


_current: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)


def set_current(info: RequestInfo | None) -> object:
    return _current.set(info)


def reset_current(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def current() -> RequestInfo | None:
    return _current.get()


def request_memo() -> dict[Any, Any] | None:
    """This read-only request's memo, or None (a request that writes, or no request at all)."""
    info = _current.get()
    return info.memo if info is not None else None


def remembered[T](key: Any, make: Callable[[], T]) -> T:
    """`make()`, worked out once for this read-only request under `key`; every time otherwise."""
    memo = request_memo()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]  # type: ignore[no-any-return]
