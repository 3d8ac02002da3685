"""Search pages: buyers look for makers with filters and facet counts; makers browse open requirements.

The pages take the same query parameters as ``/api/v1/search/*`` and run the same
parsing, so a page and an API call with one set of parameters find the same firms.
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexing import MAX_RESULT_WINDOW

from .. import db, paging
from ..auth import current_actor
from ..i18n import gettext as _
from ..i18n import format_number, locale
from ..makers.records import MakerProfile
from .complete import complete
from .queries import UNSEARCHABLE
from .service import SearchUnavailable, maker_fit, search_makers, search_requirements
from ..access import allow, ASSOCIATION, MAKERS, SIGNED_IN, STAFF
from ..errors import DomainError
from ..security import judges_query_values

bp = Blueprint("search", __name__)



def _number(value):
    return format_number(value) if isinstance(value, int) else value


def _clean(args: MultiDict) -> MultiDict:
    """Drop empty form fields so an untouched input is no filter at all."""
    return MultiDict([(k, v) for k, v in args.items(multi=True) if v.strip() and k != "lang"])


def _window_last(args: MultiDict) -> tuple[int, int] | None:
    """(page asked, last page the engine shows) when ``page`` is a whole number past the search window
    (``MAX_RESULT_WINDOW`` results at this ``per_page``); else None (the query's own parsing judges it)."""
    try:
        page = int(args.get("page", "").strip())
        per_page = int(args.get("per_page", "20").strip())
    except ValueError:
        return None
    if not 1 <= per_page <= 100 or page < 1:
        return None
    last = MAX_RESULT_WINDOW // per_page
    return (page, last) if page > last else None


def _page_one_for_garbage(args: MultiDict) -> MultiDict:
    """``page`` 0, negative or not a number reads as page 1, as on the other paged lists (the API refuses it)."""
    raw = args.get("page")
    if raw is None or (raw.strip().isdigit() and int(raw) >= 1):
        return args
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k != "page"])


def _run(run, template: str, **context):
    args = _page_one_for_garbage(_clean(request.args))
    errors, result, status = {}, None, 200
    past_window = _window_last(args)
    if past_window is not None:
        # a page past the window (an old link, a typed number) goes to the last page it can show, like the
        # other lists' pages past their last; only the API refuses it (422). Run at the window's last page
        # to learn how many pages there are.
        args = MultiDict([(k, v) for k, v in args.items(multi=True) if k != "page"] + [("page", str(past_window[1]))])
    try:
        result = run(args)
    except DomainError as exc:
        # every refused filter beside its own field (the parser lists them all when there are several)
        for f in exc.explicit_fields or [{"field": exc.field, "problem": exc.message_id, "params": exc.params}]:
            problem, params = f["problem"], f.get("params") or {}
            errors[f["field"]] = _(problem, **{k: _number(v) for k, v in params.items()})
        status = 422
    except SearchUnavailable:
        errors["_"] = _("Search is temporarily unavailable; please try again in a moment.")
        status = 503
    if errors:  # a refused control character (q=%00) is not written back into the page's fields
        args = MultiDict([(k, UNSEARCHABLE.sub("", v)) for k, v in args.items(multi=True)])
    if result is not None:  # the pager's "last page": the last one the engine will show (MAX_RESULT_WINDOW)
        result = {**result, "last_page": min(result["pages"], MAX_RESULT_WINDOW // result["per_page"])}
        # a page past the last one (an old link, a shrunk list, past the window) shows the last page, as the
        # other lists do, instead of "no maker matches" above a count of hundreds
        asked = past_window[0] if past_window else result["page"]
        if result["total"] or past_window:
            if (past := paging.to_last_page(asked, result["last_page"])) is not None:
                return past
    return render_template(template, args=args, result=result, errors=errors, spelling=_spelling(args, result),
                           **context), status


def _spelling(args: MultiDict, result: dict | None) -> dict | None:
    """Links around a corrected search, the other filters kept: ``corrected`` (the results are of the
    corrected text) with ``as_typed_url`` to search the text as typed instead, or ``suggestion`` (did you
    mean) with ``suggestion_url``."""
    if result is None or not (result.get("corrected") or result.get("suggestion")):
        return None
    rest = {k: v for k, v in args.to_dict(flat=False).items() if k not in ("q", "page", "as_typed")}
    if result.get("corrected"):
        return {"corrected": result["corrected"], "original": args.get("q", ""),
                "as_typed_url": url_for(request.endpoint, q=args.get("q", ""), as_typed=1, **rest)}
    return {"suggestion": result["suggestion"], "suggestion_url": url_for(request.endpoint, q=result["suggestion"],
                                                                          **rest)}


@bp.get("/search")
@judges_query_values
@allow(SIGNED_IN)
def makers():
    return _run(lambda args: search_makers(db.session(), args, locale()), "search/makers.html")


@bp.get("/requirements/open")
@judges_query_values
@allow(MAKERS | ASSOCIATION | STAFF)
def requirements():
    actor = current_actor()
    profile = db.session().get(MakerProfile, actor.organization_id) if actor.organization_id else None
    fit = maker_fit(profile)
    return _run(lambda args: search_requirements(db.session(), args, fit, locale()), "search/requirements.html",
                has_profile=profile is not None)


@bp.get("/search/complete")
@allow(SIGNED_IN)
def complete_json():
    """The search box's suggestions as JSON for this page session (the API takes bearer tokens only)."""
    try:
        return jsonify(complete(db.session(), current_actor(), request.args.get("q", ""), locale(),
                                request.args.get("scope", "makers")))
    except PermissionError:
        abort(403)
    except DomainError as exc:
        return jsonify({"error": {"field": exc.field, "problem": exc.message}}), 400
