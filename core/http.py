"""Which HTTP methods each view serves: declared on the view, enforced in one place.

Every view says what it serves with `@serves("GET")`, `@serves("GET", "POST")` or `@serves("POST")`.
`core.middleware.HttpMethodsMiddleware` answers any other method with 405 Method Not Allowed and an
`Allow` header, before the view runs. HEAD comes with GET: it is a GET without the body, and is
audited like one. No view serves OPTIONS, TRACE, PUT, PATCH, DELETE or WebDAV's methods (PROPFIND
and the like): a request with one of them is refused whatever the view.

A view that declares nothing still serves at most GET, HEAD and POST, and the URL walk
(`core/tests/test_url_access.py`) fails until it declares, so a new view cannot forget.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

SERVED = frozenset({"GET", "HEAD", "POST"})
DECLARABLE = frozenset({"GET", "POST"})


def serves[V: Callable[..., Any]](*methods: str) -> Callable[[V], V]:
    """Declares the methods a view serves (GET and/or POST); HEAD is served wherever GET is."""
    unknown = set(methods) - DECLARABLE
    if not methods or unknown:
        raise ImproperlyConfigured(f"A view serves GET and/or POST, not {sorted(unknown) or 'nothing'}")
    allowed = frozenset(methods) | ({"HEAD"} if "GET" in methods else set())

    def declare(view: V) -> V:
        view.http_methods = allowed  # type: ignore[attr-defined]
        return view

    return declare


def declared_methods(view: Callable[..., Any]) -> frozenset[str] | None:
    """The methods a view serves: as declared with `serves`, or as a class-based view defines
    them (Django's own views, such as password reset), never beyond GET, HEAD and POST. None
    when a function view declares nothing."""
    declared: frozenset[str] | None = getattr(view, "http_methods", None)
    if declared is not None:
        return declared
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return None
    names = {name.upper() for name in view_class.http_method_names if hasattr(view_class, name)}
    if "GET" in names:
        names.add("HEAD")
    return frozenset(names) & SERVED


def allowed_methods(view: Callable[..., Any]) -> frozenset[str]:
    return declared_methods(view) or SERVED


def allow_header(methods: frozenset[str]) -> str:
    return ", ".join(sorted(methods))
