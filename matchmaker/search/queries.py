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


class _Problems:
    """Every refused parameter of one query, so the page shows each beside its field and the API names them all
    in ``fields``: ``attempt`` runs one check, keeping its refusal (the first for a field) and giving ``default``."""

    def __init__(self):
        self.found: dict[str, DomainError] = {}

    def attempt(self, check, *args, default=None):
        try:
            return check(*args)
        except DomainError as exc:
            self.found.setdefault(exc.field, exc)
            return default

    def raise_any(self) -> None:
        """The one refusal as it is; several as the first (its headline) listing all in ``fields``."""
        if len(self.found) == 1:
            raise next(iter(self.found.values()))
        if self.found:
            first = next(iter(self.found.values()))
            raise DomainError(first.code, first.message_id, field=first.field, status=first.status,
                              params=first.params,
                              fields=[{"field": name, "problem": exc.problem or exc.message_id, "params": exc.params}
                                      for name, exc in self.found.items()])


def _check_known(args: MultiDict, allowed: set[str], problems: _Problems) -> None:
    for name in args:
        if name not in allowed:
            problems.attempt(_refuse, name, N_("unknown parameter"))


def _refuse(name: str, message_id: str) -> None:
    raise DomainError("invalid_parameter", message_id, field=name, status=400)


def _check_searchable(args: MultiDict, problems: _Problems) -> None:
    """A control character in any value (``q=%00``) is refused naming its field (the request-wide NUL guard
    leaves these views' query values to this check)."""
    for name, value in args.items(multi=True):
        if UNSEARCHABLE.search(value):
            problems.attempt(_refuse, name, N_("contains a character that cannot be searched"))


def maker_query(args: MultiDict, today: date | None = None) -> Query:
    """Hard filters from docs/domain.md's requirement attributes; text is plain words, never syntax.
    Every refused parameter is named (see :class:`_Problems`), not only the first."""
    problems = _Problems()
    attempt = problems.attempt
    _check_known(args, MAKER_PARAMS, problems)
    _check_searchable(args, problems)
    today = today or date.today()
    filters: list = []
    if processes := attempt(_codes, args, "process", tx.PROCESS_STAGES, default=()):
        filters.append(AllOf("processes", processes))
    if lines := attempt(_codes, args, "product_line", tx.PRODUCT_LINES, default=()):
        filters.append(AnyOf("product_lines", lines))
    for cert in attempt(_codes, args, "certificate", tx.CERTIFICATES, default=()):
        filters.append(Range(CERT_VALID_FIELDS[cert], gte=today.isoformat()))
    if quality := attempt(_codes, args, "min_quality", tx.QUALITY_TIERS, default=()):
        filters.append(Range("quality_rank", gte=tx.QUALITY_TIERS.rank(quality[0])))
    if tiers := attempt(_codes, args, "service_tier", tx.SERVICE_TIERS, default=()):
        filters.append(AnyOf("service_tier", tiers))
    if bands := attempt(_codes, args, "size_band", tx.SIZE_BAND_LABELS, default=()):
        filters.append(AnyOf("size_band", bands))
    if states := tuple(s[:100] for s in args.getlist("state") if s):
        filters.append(AnyOf("state", states))
    if country := args.get("country", "").strip().upper():
        if len(country) != 2 or not country.isalpha():
            attempt(_refuse, "country", N_("must be a two-letter ISO code"))
        else:
            filters.append(AnyOf("country", (country,)))
    if assoc := attempt(_int, args, "association", 1, 10**9):
        filters.append(AnyOf("associations", (str(assoc),)))
    if (quantity := attempt(_int, args, "quantity", 1)) is not None:
        filters.append(Range("min_order_qty", lte=quantity))
    if (volume := attempt(_int, args, "monthly_volume", 1)) is not None:
        filters.append(Range("available_capacity", gte=volume))
    if (lead := attempt(_int, args, "lead_time_days", 1, 365)) is not None:
        filters.append(Range("order_lead_days", lte=lead))
    filters.extend(_near(args, problems))
    sort = args.get("sort", "score")
    if sort not in MAKER_SORTS:
        attempt(_refuse, "sort", CHOOSE_FROM_LIST)
    page, per_page = attempt(_page, args, default=(1, 20))
    problems.raise_any()
    return Query(text=args.get("q", "")[:MAX_TEXT], filters=tuple(filters), facets=MAKER_FACETS,
                 sort=MAKER_SORTS[sort], page=page, per_page=per_page, autocorrect=_autocorrect(args))


def _autocorrect(args: MultiDict) -> bool:
    """Text that matches nothing is searched as its did-you-mean correction, unless ``as_typed=1``
    (the page's "search instead for ..." link)."""
    return args.get("as_typed") not in TRUE


def _near(args: MultiDict, problems: _Problems) -> list:
    """The distance filter; a bad point and a bad radius are each named."""
    near, radius = args.get("near", "").strip(), args.get("radius_km", "").strip()
    if not near and not radius:
        return []
    point = problems.attempt(_point, near) if near else problems.attempt(_refuse, "near",
                                                                          N_("enter a place (latitude, longitude) to search within a radius"))
    km = problems.attempt(_radius, radius)
    return [] if point is None or km is None else [GeoDistance("location", *point, km)]


def _point(near: str) -> tuple[float, float]:
    try:
        lat, lon = (float(x) for x in near.split(","))
    except ValueError:
        raise DomainError("invalid_parameter", "must be lat,lon in degrees", field="near", status=400) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError("invalid_parameter", "latitude or longitude out of range", field="near",
                          status=400)
    return lat, lon


def _radius(radius: str) -> float:
    try:
        km = float(radius or "50")
    except ValueError:
        raise DomainError("invalid_parameter", "must be a number", field="radius_km", status=400) from None
    if not 0 < km <= 20_000:
        raise DomainError("invalid_parameter", "must be more than 0 and at most 20000", field="radius_km",
                          status=400)
    return km


def requirement_query(args: MultiDict, maker_fit: dict | None = None) -> Query:
    """Open requirements of cleared buyers; ``fits_me=1`` keeps those the maker could serve. Every refused
    parameter is named (see :class:`_Problems`), not only the first."""
    problems = _Problems()
    attempt = problems.attempt
    _check_known(args, REQUIREMENT_PARAMS, problems)
    _check_searchable(args, problems)
    filters: list = [AnyOf("status", ("open",)), AnyOf("buyer_cleared", (True,))]
    if processes := attempt(_codes, args, "process", tx.PROCESS_STAGES, default=()):
        filters.append(AllOf("processes", processes))
    if lines := attempt(_codes, args, "product_line", tx.PRODUCT_LINES, default=()):
        filters.append(AnyOf("product_line", lines))
    lo, hi = attempt(_int, args, "min_quantity", 1), attempt(_int, args, "max_quantity", 1)
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
        attempt(_refuse, "sort", CHOOSE_FROM_LIST)
    page, per_page = attempt(_page, args, default=(1, 20))
    problems.raise_any()
    return Query(text=args.get("q", "")[:MAX_TEXT], filters=tuple(filters),
                 facets=("product_line", "processes"), sort=sorts[sort], page=page, per_page=per_page,
                 autocorrect=_autocorrect(args))
