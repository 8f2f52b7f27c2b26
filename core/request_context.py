"""Who is acting, from where: set per request by the middleware, read by the audit ledger."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str  # always the service's own
    ip_address: str | None
    user_agent: str
    client_request_id: str = ""  # a client's X-Request-ID of a strict shape, kept apart from ours


_current: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)


def set_current(info: RequestInfo | None) -> object:
    return _current.set(info)


def reset_current(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def current() -> RequestInfo | None:
    return _current.get()
