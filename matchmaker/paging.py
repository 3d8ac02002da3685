"""The one way a list page is paged: the page asked for, the number of pages, a request past the last page
sent to the last one, and the links of the shared pager (``templates/_pager.html``).

A page number comes from the query string as typed: ``page=0``, ``page=-3``, ``page=x`` and ``page=²`` are
page 1, never an error; a page past the last redirects to the last (the other query arguments kept), so an
old link or a shrunk list never shows "Page 9 of 2" over an empty table.
"""
from __future__ import annotations

from flask import redirect, request, url_for

from .security import small_int

#: no list is paged past this (a 10-digit ``page`` would only make a huge OFFSET)
MAX_PAGE = 100_000


def page_arg(raw: str | None = None) -> int:
    """The page asked for (the request's ``page`` when ``raw`` is not given): 1..MAX_PAGE, 1 for garbage."""
    if raw is None:
        raw = request.args.get("page", "1")
    return clamp_page(small_int(raw, 1) or 1, MAX_PAGE)


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill, ``per_page`` a page; an empty list still has its one page."""
    return max((max(total, 0) + per_page - 1) // per_page, 1)


def clamp_page(page: int, pages: int) -> int:
    """``page`` within 1..``pages``."""
    return min(max(page, 1), max(pages, 1))


def offset(page: int, per_page: int) -> int:
    return (max(page, 1) - 1) * per_page


def to_last_page(page: int, pages: int):
    """A redirect to the last page, the request's other query arguments kept, when ``page`` is past it;
    else None (the caller shows the page)."""
    pages = max(pages, 1)
    if page <= pages:
        return None
    args = request.args.to_dict(flat=False)
    args["page"] = [str(pages)]
    return redirect(url_for(request.endpoint, **{**args, **(request.view_args or {})}))


def page_url(endpoint: str, page: int, args=None) -> str:
    """The link to ``page`` of the list at ``endpoint``, with its other arguments (a dict or the request's
    ``MultiDict``); empty or None values are left out, so a link never carries ``status=&q=``."""
    if args is None:
        rest = {}
    elif hasattr(args, "to_dict"):
        rest = args.to_dict(flat=False)
    else:
        rest = dict(args)
    rest.pop("page", None)
    clean = {}
    for key, value in rest.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        values = [v for v in values if v is not None and v != ""]
        if values:
            clean[key] = values if len(values) > 1 else values[0]
    return url_for(endpoint, page=page, **clean)
