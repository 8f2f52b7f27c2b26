"""Who is acting, from where: set per request by the middleware, read by the audit ledger."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)


def set_current(info: RequestInfo | None) -> object:
    return _current.set(info)


def reset_current(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def current() -> RequestInfo | None:
    return _current.get()
