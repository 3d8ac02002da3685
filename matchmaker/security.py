"""Defences every response shares: bounded ids in URLs and the browser security headers.

* ``<int:...>`` in any route accepts only what an id column can hold (``Integer``: 32 bits on
  PostgreSQL, 64 on SQLite), so an id such as ``2**31`` or ``2**64`` is a plain 404 instead of
  a database overflow.
* A NUL character anywhere in the path, query or form is a 400, since PostgreSQL refuses it; a view marked
  :func:`judges_query_values` (the search pages and API) refuses one in a query value itself, beside its field.
* Every response carries a Content-Security-Policy without inline script or style, forbids
  framing, turns off content sniffing and limits the referrer; HSTS is added when the request
  arrived over TLS (directly, or through a proxy trusted by ``MATCHMAKER_TRUSTED_PROXIES``).
"""
from __future__ import annotations

from flask import Flask, Response, abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

INT64_MAX = 2**63 - 1
ID_MAX = 2**31 - 1  # every id column is an Integer, which PostgreSQL stores in 32 bits

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


class IdConverter(IntegerConverter):
    """Werkzeug's ``int`` converter bounded to an id column (``0..2**31-1`` by default)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=ID_MAX if max is None else max,
                         signed=signed)


def id_arg(raw: str) -> int:
    """``type=`` for ``request.args.get``: a positive id a column can hold, else ``ValueError`` (so the default)."""
    value = int(raw)
    if not 1 <= value <= ID_MAX:
        raise ValueError(f"id out of range: {raw}")
    return value


def small_int(raw, default: int | None = None, max: int = ID_MAX) -> int | None:
    """A whole number typed by a user (ASCII digits, ``0..max``), else ``default``.

    ``str.isdigit`` accepts "²" and 5,000-digit strings, which ``int()`` then refuses or a
    database column cannot hold; this never raises.
    """
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    if not raw or len(raw) > 10 or not raw.isascii() or not raw.isdigit():
        return default
    value = int(raw)
    return value if value <= max else default


def local_path(target: str | None, default: str) -> str:
    """``target`` when it is a path of this site (``/search?q=x``), else ``default``: what every ``next=`` and
    ``back`` redirect goes through, so no page is an open redirect.

    Besides ``//host`` and ``scheme://host``, a browser reads ``/\\host`` as ``//host`` (a backslash is a slash
    in an http URL) and drops tabs and line breaks (``/<TAB>/host``); a control character would also break the
    ``Location`` header. Any of those gives ``default``. An empty query string is dropped (``/makers?`` is
    ``/makers``)."""
    from urllib.parse import urlsplit, urlunsplit

    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    if not parts.query and "?" in target:
        return urlunsplit(("", "", parts.path, "", parts.fragment))
    return target


def install_converters(app: Flask) -> None:
    """Call before any blueprint registers its routes."""
    app.url_map.converters["int"] = IdConverter


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(_refuse_nul_characters)
    app.after_request(_security_headers)


def judges_query_values(view):
    """Mark a view that refuses a NUL (or other control character) in a query value itself, naming the
    field, instead of the request-wide 400; the path, the parameter names and a form stay guarded. Put it
    directly under the route decorator (it marks the function the route registers)."""
    view.judges_query_values = True
    return view


def _refuse_nul_characters():
    """A NUL character in the path, the query or a form field is a 400 (PostgreSQL cannot store one)."""
    values = [request.path, *request.args.keys()]
    if not getattr(current_app.view_functions.get(request.endpoint), "judges_query_values", False):
        values += request.args.values()
    small = request.content_length is not None and request.content_length <= (request.max_content_length or 0)
    if request.mimetype == "application/x-www-form-urlencoded" or (request.mimetype == "multipart/form-data"
                                                                   and small):
        # a larger multipart body is an evidence upload: its view raises the size limit before parsing
        values += [*request.form.keys(), *request.form.values()]
    if any("\x00" in v for v in values):
        abort(400, description="the request contains a NUL character")


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
