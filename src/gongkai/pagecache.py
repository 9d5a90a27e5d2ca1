"""Public pages for anonymous visitors, served from the shared cache (ADR 0110).

A view opts in with :func:`anonymous_page` and names the *tags* of what it shows
(``doc:12``, ``col:zcwj``, ``catalog``, ``site`` …), computed from the URL alone. Each tag has a
version in the shared cache (Redis in production, the file cache of the embedded server); a
stored page remembers the versions it was rendered under and is served only while every one
of them is still current. A change bumps the versions of its tags after its transaction
commits (:func:`bump`), so the next request anywhere renders the page afresh: nothing is kept
in process memory that two servers could disagree on.

Versions are read *before* the view renders: a change that commits while a page renders
leaves that page under the old versions, never under the new ones.

Never cached or shared: any request carrying a session, a message cookie or an
``Authorization`` header; a response that sets a cookie, used the CSRF token, touched the
session or is not a plain 200; any view that did not opt in (personal pages, forms, the
back office). A stored page carries an ETag and a Last-Modified date; a conditional GET that
matches them receives 304. ``Cache-Control`` tells browsers to revalidate and a reverse proxy
how long it may keep the page (``GONGKAI_PAGE_PROXY_SECONDS``; 0: revalidate every time).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified

from gongkai import clock

log = logging.getLogger("gongkai.access")

TAG_PREFIX = "pc:tag:"
PAGE_PREFIX = "pc:page:"
# headers that belong to one response, not to the page
_SKIP_HEADERS = {"set-cookie", "date", "cache-control", "etag", "last-modified", "expires", "vary"}

TagsFn = Callable[..., Iterable[str]]


def enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_PAGE_CACHE", True))


# versions -------------------------------------------------------------------------------------


def bump(*tags: str) -> None:
    """Make every page showing one of ``tags`` stale. Inside a transaction: now and again
    after the commit, since a page rendered between the two (before the change was visible)
    may have been stored under the first new versions."""
    wanted = sorted({t for t in tags if t})
    if not wanted:
        return

    def apply() -> None:
        try:
            cache.set_many({TAG_PREFIX + t: uuid.uuid4().hex for t in wanted}, timeout=None)
        except Exception:  # the cache is down: pages are not served from it either
            log.warning("page cache: could not bump %s", wanted, exc_info=True)

    if transaction.get_connection().in_atomic_block:
        apply()
    transaction.on_commit(apply)


def versions(tags: Iterable[str]) -> dict[str, str]:
    """The current version of every tag; a tag never seen (or evicted) gets a fresh one, so
    a page stored under a lost version can never match again."""
    names = sorted(set(tags))
    found = cache.get_many([TAG_PREFIX + t for t in names])
    out: dict[str, str] = {}
    for name in names:
        value = found.get(TAG_PREFIX + name)
        if value is None:
            value = uuid.uuid4().hex
            if not cache.add(TAG_PREFIX + name, value, timeout=None):
                value = cache.get(TAG_PREFIX + name) or value
        out[name] = value
    return out


def _current(stored: dict[str, str]) -> bool:
    found = cache.get_many([TAG_PREFIX + t for t in stored])
    return all(found.get(TAG_PREFIX + t) == v for t, v in stored.items())


def fragment(
    name: str, tags: Iterable[str], compute: Callable[[], Any], timeout: int = 3600
) -> Any:
    """A piece of a page shared by every visitor (signed in or not), kept under the versions
    of ``tags``: the home page's sections are rendered from these without a query. Kept
    also when whole pages are not (signed-in visitors, ``GONGKAI_PAGE_CACHE=false``)."""
    try:
        current = versions(["site", *tags])
        key = (
            "pc:frag:"
            + hashlib.sha256(
                (name + "|" + "|".join(f"{k}={v}" for k, v in sorted(current.items()))).encode()
            ).hexdigest()
        )
        found = cache.get(key)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return found[0]
    value = compute()
    try:
        cache.set(key, (value,), timeout=timeout)
    except Exception:
        log.warning("page cache: could not store a fragment", exc_info=True)
    return value


# requests -------------------------------------------------------------------------------------


def personal(request: Any) -> bool:
    """A request that may see something of its own: never served from or stored in the
    shared cache."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def _page_key(request: Any) -> str:
    raw = "|".join(
        (request.scheme, request.get_host(), request.path, request.META.get("QUERY_STRING", ""))
    )
    return PAGE_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _cache_control() -> str:
    seconds = int(getattr(settings, "GONGKAI_PAGE_PROXY_SECONDS", 0))
    if seconds > 0:
        return f"public, max-age=0, s-maxage={seconds}, must-revalidate"
    return "public, max-age=0, must-revalidate"


def _not_modified(request: Any, etag: str, modified: float) -> bool:
    match = request.META.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return etag in tags or "*" in tags
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return int(modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def _finish(request: Any, response: HttpResponse, etag: str, modified: float) -> HttpResponse:
    if _not_modified(request, etag, modified):
        out = HttpResponseNotModified()
        for name in ("Content-Security-Policy", "Permissions-Policy"):
            if name in response:
                out[name] = response[name]
        response = out
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(modified, usegmt=True)
    response["Cache-Control"] = _cache_control()
    return response


# views ----------------------------------------------------------------------------------------


class _Mark:
    __slots__ = ("timeout", "versions")

    def __init__(self, versions: dict[str, str], timeout: int) -> None:
        self.versions = versions
        self.timeout = timeout


def anonymous_page(
    tags: TagsFn, *, timeout: int | None = None, ready: Callable[[], bool] | None = None
) -> Callable:
    """Let the page cache keep this view's pages for anonymous visitors.

    ``tags(request, **kwargs)`` names what the page shows; ``site`` is always added. ``timeout``
    bounds how long a page is kept even when nothing bumps it (search results);
    ``ready()`` is asked before the page is rendered (False: serve it, do not keep it), so
    what it vouches for holds for the whole rendering."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not enabled() or request.method not in ("GET", "HEAD") or personal(request):
                return view(request, *args, **kwargs)
            try:
                current = versions(["site", *tags(request, *args, **kwargs)])
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
                return view(request, *args, **kwargs)
            keep = ready is None or ready()
            response = view(request, *args, **kwargs)
            if keep:
                limit = timeout or int(getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 86400))
                response._gk_page = _Mark(current, limit)
            return response

        return wrapped

    return decorate


# the middleware -------------------------------------------------------------------------------


class PageCacheMiddleware:
    """Placed right after the static files: a stored page is answered before sessions,
    authentication, CSRF and the URL resolver run."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if not enabled() or request.method not in ("GET", "HEAD") or personal(request):
            response = self.get_response(request)
            return _private(request, response)
        started = time.perf_counter()
        key = _page_key(request)
        try:
            entry = cache.get(key)
        except Exception:
            log.warning("page cache unavailable", exc_info=True)
            entry = None
        if (
            entry is not None
            and entry["day"] == clock.today().isoformat()
            and _current(entry["versions"])
        ):
            return self._hit(request, entry, started)
        response = self.get_response(request)
        mark = getattr(response, "_gk_page", None)
        if mark is None or not _storable(request, response):
            return _private(request, response)
        body = response.content
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        modified = time.time()
        headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIP_HEADERS]
        entry = {
            "versions": mark.versions,
            "day": clock.today().isoformat(),
            "headers": headers,
            "body": body,
            "etag": etag,
            "modified": modified,
        }
        try:
            cache.set(key, entry, timeout=mark.timeout)
        except Exception:
            log.warning("page cache: could not store", exc_info=True)
        if "Vary" in response:
            vary = [v for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
            if vary:
                response["Vary"] = ",".join(vary)
            else:
                del response["Vary"]
        return _finish(request, response, etag, modified)

    def _hit(self, request: Any, entry: dict[str, Any], started: float) -> HttpResponse:
        response = HttpResponse(entry["body"])
        for name, value in entry["headers"]:
            response[name] = value
        response = _finish(request, response, entry["etag"], entry["modified"])
        response["X-Page-Cache"] = "hit"
        if settings.GONGKAI_ACCESS_LOG == "on":
            elapsed = (time.perf_counter() - started) * 1000
            log.info(
                '%s "%s %s" %s %.1fms cached',
                request.META.get("REMOTE_ADDR", "-"),
                request.method,
                request.path,
                response.status_code,
                elapsed,
            )
        return response


def _storable(request: Any, response: Any) -> bool:
    if response.status_code != 200 or response.cookies or response.streaming:
        return False  # streamed responses (a sitemap part of 50,000 documents) stay streamed
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page carries a CSRF token: it belongs to this visitor
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and getattr(user, "is_authenticated", False))


def _private(request: Any, response: Any) -> Any:
    """Anything not kept in the shared cache says so to proxies: signed-in pages, forms and
    personal pages are never stored by a proxy either."""
    if "Cache-Control" in response or getattr(response, "streaming", False):
        return response
    if personal(request) or response.cookies:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response
