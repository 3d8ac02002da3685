"""From request parameters to index queries, with every parameter checked and named on error.

The same parsing serves the JSON API and the search pages, so a page and an API
call with the same parameters return the same makers.
"""
from __future__ import annotations

import re
from datetime import date

from werkzeug.datastructures import MultiDict

from indexing import MAX_RESULT_WINDOW, AllOf, AnyOf, GeoDistance, Query, Range

from .. import taxonomy as tx
from ..catalog import N_
from .documents import CERT_VALID_FIELDS
from ..errors import DomainError

MAX_TEXT = 500
# an unknown code (a process, a sort...): the page offers the choices, so the message names none of them
CHOOSE_FROM_LIST = N_("choose a value from the list")
MAKER_FACETS = ("processes", "state", "certificates", "size_band", "service_tier")
MAKER_SORTS = {"score": "score", "capacity": "-available_capacity", "lead_time": "order_lead_days",
               "name": "name_sort", "size": "headcount"}
MAKER_PARAMS = {"q", "process", "product_line", "certificate", "min_quality", "state", "country", "near",
                "radius_km", "association", "quantity", "monthly_volume", "lead_time_days", "service_tier",
                "size_band", "sort", "page", "per_page", "lang", "requirement", "as_typed"}
REQUIREMENT_PARAMS = {"q", "process", "product_line", "min_quantity", "max_quantity", "fits_me", "sort",
                      "page", "per_page", "lang", "as_typed"}
TRUE = {"1", "true", "on"}
# C0 controls and DEL, but tab and line breaks (white space between words): the index's database cannot
# store a NUL, and none of them is anything a buyer means to find
UNSEARCHABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _int(args: MultiDict, name: str, lo: int = 0, hi: int = 10_000_000) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise DomainError("invalid_parameter", "must be a whole number", field=name, status=400) from None
    if not lo <= value <= hi:
        raise DomainError("invalid_parameter", "must be between {lo} and {hi}", field=name, status=400,
                          params={"lo": lo, "hi": hi})
    return value


def _codes(args: MultiDict, name: str, vocab: tx.Vocabulary) -> tuple[str, ...]:
    values = tuple(v for raw in args.getlist(name) for v in raw.split(",") if v)
    for value in values:
        if value not in vocab:
            raise DomainError("invalid_parameter", CHOOSE_FROM_LIST, field=name, status=400)
    return values


def _page(args: MultiDict) -> tuple[int, int]:
    page = _int(args, "page", 1, 10_000) or 1
    per_page = _int(args, "per_page", 1, 100) or 20
    if page * per_page > MAX_RESULT_WINDOW:  # refused here in the reader's language, not by the engine in English
        raise DomainError("invalid_parameter", "only the first {limit} results can be shown; narrow the search",
                          field="page", status=400, params={"limit": MAX_RESULT_WINDOW})
    return page, per_page


def _check_known(args: MultiDict, allowed: set[str]) -> None:
    for name in args:
        if name not in allowed:
            raise DomainError("invalid_parameter", "unknown parameter", field=name, status=400)


def _check_searchable(args: MultiDict) -> None:
    """A control character in any value (``q=%00``) is refused naming its field (the request-wide NUL guard
    leaves these views' query values to this check)."""
    for name, value in args.items(multi=True):
        if UNSEARCHABLE.search(value):
            raise DomainError("invalid_parameter", "contains a character that cannot be searched", field=name,
                              status=400)


def maker_query(args: MultiDict, today: date | None = None) -> Query:
    """Hard filters from docs/domain.md's requirement attributes; text is plain words, never syntax."""
    _check_known(args, MAKER_PARAMS)
    _check_searchable(args)
    today = today or date.today()
    filters: list = []
    if processes := _codes(args, "process", tx.PROCESS_STAGES):
        filters.append(AllOf("processes", processes))
    if lines := _codes(args, "product_line", tx.PRODUCT_LINES):
        filters.append(AnyOf("product_lines", lines))
    for cert in _codes(args, "certificate", tx.CERTIFICATES):
        filters.append(Range(CERT_VALID_FIELDS[cert], gte=today.isoformat()))
    if quality := _codes(args, "min_quality", tx.QUALITY_TIERS):
        filters.append(Range("quality_rank", gte=tx.QUALITY_TIERS.rank(quality[0])))
    if tiers := _codes(args, "service_tier", tx.SERVICE_TIERS):
        filters.append(AnyOf("service_tier", tiers))
    if bands := _codes(args, "size_band", tx.SIZE_BAND_LABELS):
        filters.append(AnyOf("size_band", bands))
    if states := tuple(s[:100] for s in args.getlist("state") if s):
        filters.append(AnyOf("state", states))
    if country := args.get("country", "").strip().upper():
        if len(country) != 2 or not country.isalpha():
            raise DomainError("invalid_parameter", "must be a two-letter ISO code", field="country",
                              status=400)
        filters.append(AnyOf("country", (country,)))
    if assoc := _int(args, "association", 1, 10**9):
        filters.append(AnyOf("associations", (str(assoc),)))
    if (quantity := _int(args, "quantity", 1)) is not None:
        filters.append(Range("min_order_qty", lte=quantity))
    if (volume := _int(args, "monthly_volume", 1)) is not None:
        filters.append(Range("available_capacity", gte=volume))
    if (lead := _int(args, "lead_time_days", 1, 365)) is not None:
        filters.append(Range("order_lead_days", lte=lead))
    filters.extend(_near(args))
    sort = args.get("sort", "score")
    if sort not in MAKER_SORTS:
        raise DomainError("invalid_parameter", CHOOSE_FROM_LIST, field="sort", status=400)
    page, per_page = _page(args)
    return Query(text=args.get("q", "")[:MAX_TEXT], filters=tuple(filters), facets=MAKER_FACETS,
                 sort=MAKER_SORTS[sort], page=page, per_page=per_page, autocorrect=_autocorrect(args))


def _autocorrect(args: MultiDict) -> bool:
    """Text that matches nothing is searched as its did-you-mean correction, unless ``as_typed=1``
    (the page's "search instead for ..." link)."""
    return args.get("as_typed") not in TRUE


def _near(args: MultiDict) -> list:
    near, radius = args.get("near", "").strip(), args.get("radius_km", "").strip()
    if not near and not radius:
        return []
    if not near:
        raise DomainError("invalid_parameter", "give near=lat,lon with radius_km", field="near", status=400)
    try:
        lat, lon = (float(x) for x in near.split(","))
    except ValueError:
        raise DomainError("invalid_parameter", "must be lat,lon in degrees", field="near", status=400) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError("invalid_parameter", "latitude or longitude out of range", field="near",
                          status=400)
    try:
        km = float(radius or "50")
    except ValueError:
        raise DomainError("invalid_parameter", "must be a number", field="radius_km", status=400) from None
    if not 0 < km <= 20_000:
        raise DomainError("invalid_parameter", "must be more than 0 and at most 20000", field="radius_km",
                          status=400)
    return [GeoDistance("location", lat, lon, km)]


def requirement_query(args: MultiDict, maker_fit: dict | None = None) -> Query:
    """Open requirements of cleared buyers; ``fits_me=1`` keeps those the maker could serve."""
    _check_known(args, REQUIREMENT_PARAMS)
    _check_searchable(args)
    filters: list = [AnyOf("status", ("open",)), AnyOf("buyer_cleared", (True,))]
    if processes := _codes(args, "process", tx.PROCESS_STAGES):
        filters.append(AllOf("processes", processes))
    if lines := _codes(args, "product_line", tx.PRODUCT_LINES):
        filters.append(AnyOf("product_line", lines))
    lo, hi = _int(args, "min_quantity", 1), _int(args, "max_quantity", 1)
    if lo is not None or hi is not None:
        filters.append(Range("quantity", gte=lo, lte=hi))
    if args.get("fits_me") in TRUE and maker_fit:
        if maker_fit.get("product_lines"):
            filters.append(AnyOf("product_line", tuple(maker_fit["product_lines"])))
        filters.append(Range("quantity", gte=maker_fit["min_order_qty"]))
        filters.append(Range("lead_time_days", gte=maker_fit["order_lead_days"]))
        filters.append(Range("min_quality_rank", lte=maker_fit["quality_rank"]))
    sort = args.get("sort", "score")
    sorts = {"score": "score", "newest": "-created_at", "quantity": "-quantity"}
    if sort not in sorts:
        raise DomainError("invalid_parameter", CHOOSE_FROM_LIST, field="sort", status=400)
    page, per_page = _page(args)
    return Query(text=args.get("q", "")[:MAX_TEXT], filters=tuple(filters),
                 facets=("product_line", "processes"), sort=sorts[sort], page=page, per_page=per_page,
                 autocorrect=_autocorrect(args))
