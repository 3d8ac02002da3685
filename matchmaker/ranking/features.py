"""The ranker's features, defined once: name, meaning, and how each is computed.

A feature describes one (requirement, maker) pair at the requirement's time, from
the requirement (the buyer's own data), the maker's public profile, and the
maker's track record aggregated over all its past relationships. No feature
names or counts another firm: a maker's clients never leak into a ranking.

Track-record rates are shrunk toward the cluster mean with ``PRIOR_WEIGHT``
pseudo-observations, so a newcomer with one good order is not ranked above a
firm with fifty, and a newcomer with none starts at the cluster mean (findable,
not buried). The track record comes from the outcome log (orders, contacts,
samples, disputes) and, since issue 15, from the orders themselves
(:data:`ORDER_FEATURES`: deliveries on time, rejects, delivered units and buyers'
ratings, see :mod:`.order_record`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np

from indexing.analysis import fold, stem_en, stem_es, words

from .. import taxonomy as tx

FEATURE_VERSION = "ranking-features-3"
PRIOR_WEIGHT = 5.0
FASHION_NICHES = {"fashion_small_batch", "premium_denim"}
FASHION_LINES = {"jeans_designer", "jeans_stretch_women", "ceremonial"}
FASHION_BUYERS = {"boutique", "brand"}
# The cluster's centre (Guadalajara, Plaza de Armas): buyers expect to travel there anyway, so what costs them
# is the distance beyond it (a Los Altos town on the way, Puebla far off the route).
CLUSTER_CENTRE = (20.6767, -103.3475)


@dataclass(frozen=True)
class Feature:
    name: str
    meaning: str


FEATURES = (
    Feature("text_match", "share of the requirement's words (stemmed, Spanish and English, accents folded) "
                          "found in the maker's name, description and capability labels"),
    Feature("process_coverage", "share of the required process stages the maker covers (1 if none required)"),
    Feature("line_match", "1 when the maker makes the requirement's product line, else 0"),
    Feature("capacity_ratio", "log2 of the maker's free monthly capacity over the order's monthly need, "
                              "clipped to [-4, 4]"),
    Feature("throughput_ratio", "log2 of the maker's free monthly capacity over the rate at which the order must be "
                                "made to ship within the lead time (quantity × 30 / lead time days), clipped to [-4, 4]"),
    Feature("moq_fit", "1 when the maker's minimum order fits the quantity, else quantity / MOQ"),
    Feature("lead_slack", "(required lead time - maker's order lead time) / required lead time, clipped to [-1, 1]"),
    Feature("price_fit", "overlap of the maker's usual unit price range with the target range, 0..1 "
                         "(0.5 when either is unknown)"),
    Feature("price_excess", "how far the maker's lowest usual unit price lies above the buyer's highest target "
                            "price, relative to that target (0 when within budget, clipped to [0, 2]; 0 when unknown)"),
    Feature("quality_gap", "maker's quality tier minus the minimum tier asked (tiers basic < standard < premium)"),
    Feature("certificates_covered", "share of required certificates the maker holds valid at the requirement's "
                                    "date (1 if none required)"),
    Feature("distance", "log10(1 + km) between the maker and the buyer's location (median when unknown)"),
    Feature("extra_distance", "km from the buyer to the maker minus km from the buyer to the cluster centre "
                              "(Guadalajara), in thousands (0 when unknown)"),
    Feature("design_fit", "+1 when a fashion-oriented requirement (fashion niche or product line, design asked, or "
                          "a boutique/brand buyer) meets a maker with design capability, -1 when it does not, 0 "
                          "for requirements that are not fashion-oriented"),
    Feature("niche_match", "share of the requirement's niches the maker serves (0.5 if none asked)"),
    Feature("export_english", "1 when the maker has export experience and works in English, else 0"),
    Feature("on_time_rate", "share of the maker's past orders delivered on time, shrunk toward the cluster mean"),
    Feature("repeat_rate", "repeat orders per past order, shrunk toward the cluster mean"),
    Feature("dispute_rate", "disputes per past order, shrunk toward the cluster mean"),
    Feature("responsiveness", "share of the maker's past contacts that led to a meeting or a sample, "
                              "shrunk toward the cluster mean"),
    Feature("sample_approval_rate", "share of the maker's past requested samples that buyers approved, "
                                    "shrunk toward the cluster mean"),
    Feature("order_conversion", "orders per past contact, shrunk toward the cluster mean"),
    Feature("experience", "log(1 + number of past orders)"),
    # -- order-based track record (issue 15): deliveries, rejects and ratings recorded on orders
    Feature("delivery_on_time_rate", "share of the maker's past deliveries (entered or confirmed by the buyer) made "
                                     "on or before the order's agreed delivery date, shrunk toward the cluster mean"),
    Feature("reject_rate", "rejected units per delivered unit over the maker's past deliveries, shrunk toward the "
                           "cluster rate with PRIOR_WEIGHT pseudo-deliveries of the maker's average size"),
    Feature("delivered_volume", "log10(1 + units the maker delivered on past orders)"),
    Feature("maker_rating", "buyers' mean score of the maker over their ratings' quality, on-time and communication "
                            "scores (1-5), shrunk toward the cluster mean with PRIOR_WEIGHT pseudo-scores"),
)
ORDER_FEATURES = ("delivery_on_time_rate", "reject_rate", "delivered_volume", "maker_rating")
FEATURE_NAMES = [f.name for f in FEATURES]
_COL = {name: i for i, name in enumerate(FEATURE_NAMES)}


def analysed_terms(text: str) -> frozenset[str]:
    """The index's own analysis: folded words, stemmed in Spanish and in English (cached by text)."""
    return _analysed(text)


@lru_cache(maxsize=16384)
def _analysed(text: str) -> frozenset[str]:
    tokens = words(fold(text))
    return frozenset(stem_es(tokens)) | frozenset(stem_en(tokens))


@dataclass
class TrackRecord:
    """A maker's aggregated history before some moment; counts only, never counterparts."""

    orders: int = 0
    on_time: int = 0
    repeats: int = 0
    disputes: int = 0
    contacts: int = 0
    responded: int = 0
    samples: int = 0
    approved: int = 0
    deliveries: int = 0           # order-based (issue 15): counted deliveries before the moment
    on_time_deliveries: int = 0
    delivered_units: int = 0
    rejected_units: int = 0
    ratings: int = 0              # buyers' maker_performance ratings
    rating_scores: int = 0        # their category scores
    rating_sum: int = 0           # sum of those scores


RECORD_FIELDS = ("orders", "on_time", "repeats", "disputes", "contacts", "responded", "samples", "approved",
                 "deliveries", "on_time_deliveries", "delivered_units", "rejected_units", "ratings", "rating_scores",
                 "rating_sum")
RECORD_WIDTH = len(RECORD_FIELDS)


@dataclass
class ClusterPriors:
    on_time: float = 0.8
    repeat: float = 0.3
    dispute: float = 0.05
    responded: float = 0.4
    approved: float = 0.6
    converted: float = 0.15
    delivery_on_time: float = 0.85
    reject: float = 0.03
    rating: float = 4.0


def shrunk(k: float, n: float, prior: float, weight: float | None = None) -> float:
    """``k`` successes in ``n`` trials plus ``weight`` (default ``PRIOR_WEIGHT``) pseudo-trials at ``prior``."""
    weight = PRIOR_WEIGHT if weight is None else weight
    return (k + weight * prior) / (n + weight)


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def monthly_need(req: dict) -> float:
    if req.get("monthly_volume"):
        return float(req["monthly_volume"])
    months = max(1.0, req["lead_time_days"] / 30.0)
    return req["quantity"] / months


def price_excess(req: dict, maker: dict) -> float:
    hi, mlo = req.get("unit_price_max"), maker.get("unit_price_min")
    if hi is None or mlo is None or hi <= 0:
        return 0.0
    return min(2.0, max(0.0, (mlo - hi) / hi))


def is_fashion(req: dict) -> bool:
    """A fashion-oriented requirement, from the buyer's own data only."""
    return bool(FASHION_NICHES & set(req["niches"]) or req.get("product_line") in FASHION_LINES
                or "design" in req["processes"] or req.get("buyer_type") in FASHION_BUYERS)


def _price_fit(req: dict, maker: dict) -> float:
    lo, hi = req.get("unit_price_min"), req.get("unit_price_max")
    mlo, mhi = maker.get("unit_price_min"), maker.get("unit_price_max")
    if None in (lo, hi, mlo, mhi):
        return 0.5
    overlap = max(0.0, min(hi, mhi) - max(lo, mlo))
    span = max(hi - lo, mhi - mlo, 0.01)
    return min(1.0, overlap / span)


# a maker's attributes as one float vector (NaN where unknown), computed once per cached maker: the numbers,
# its process stages, product lines and niches as bit masks over the taxonomy's codes, and the last valid date
# (as a day ordinal) of each certificate kind it holds
NUMERIC = ("available_capacity", "min_order_qty", "order_lead_days", "unit_price_min", "unit_price_max",
           "quality_rank", "lat", "lon", "design_capability", "export_english",
           "process_bits", "line_bits", "niche_bits", *(f"cert_{c}" for c in tx.CERTIFICATES.codes))
_NUM = {k: i for i, k in enumerate(NUMERIC)}
_BITS = {key: {code: 1 << i for i, code in enumerate(vocab.codes)} for key, vocab in
         (("processes", tx.PROCESS_STAGES), ("product_lines", tx.PRODUCT_LINES), ("niches", tx.NICHES))}


def _mask(key: str, codes) -> int:
    bits = _BITS[key]
    return sum(bits.get(c, 0) for c in set(codes))


def maker_vector(m: dict) -> np.ndarray:
    """:data:`NUMERIC` of one maker dict (``export_english``: export experience and works in English)."""
    values = [m.get(k) for k in NUMERIC[:8]]
    values += [bool(m.get("design_capability")), bool(m.get("export_experience") and "en" in m.get("languages", ()))]
    values += [_mask(key, m.get(key, ())) for key in ("processes", "product_lines", "niches")]
    held = m.get("certificates") or {}
    values += [held[c].toordinal() if held.get(c) else None for c in tx.CERTIFICATES.codes]
    return np.array([np.nan if v is None else float(v) for v in values])


def maker_matrix(makers: list[dict]) -> np.ndarray:
    """The ``(n, len(NUMERIC))`` matrix of ``makers``; a dict carrying ``"_vec"`` (serving's cache) is not re-read."""
    if not makers:
        return np.empty((0, len(NUMERIC)))
    return np.array([m["_vec"] if "_vec" in m else maker_vector(m) for m in makers])


def _share_held(num: np.ndarray, makers: list[dict], key: str, wanted) -> np.ndarray | list:
    """Share of ``wanted`` (a non-empty set of codes) in each maker's ``key`` set: from its bit mask when
    every wanted code is in the taxonomy, else (a code the masks do not know) from the sets themselves."""
    if not all(c in _BITS[key] for c in wanted):
        return [len(wanted & m[key]) / len(wanted) for m in makers]
    held = num[:, _NUM[{"processes": "process_bits", "niches": "niche_bits"}[key]]].astype(np.int64)
    return np.bitwise_count(held & _mask(key, wanted)) / len(wanted)


def _haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def record_row(x: TrackRecord) -> tuple:
    """One track record as a tuple in :data:`RECORD_FIELDS` order."""
    return tuple(getattr(x, f) for f in RECORD_FIELDS)


def record_matrix(records) -> np.ndarray:
    """Track records as an ``(n, RECORD_WIDTH)`` array in :data:`RECORD_FIELDS` order; an array is passed through."""
    if isinstance(records, np.ndarray):
        return records.astype(float, copy=False).reshape(-1, RECORD_WIDTH)
    return np.array([record_row(x) for x in records], dtype=float).reshape(-1, RECORD_WIDTH)


def feature_rows(req: dict, makers: list[dict], records, priors: ClusterPriors,
                 req_terms: set[str] | None = None) -> np.ndarray:
    """The ``(len(makers), len(FEATURE_NAMES))`` matrix for one requirement: THE definition of every feature.

    ``req`` and ``makers`` are the plain dicts of :mod:`matchmaker.ranking.data`; ``records``
    are the makers' track records as of the requirement's time (one per maker; TrackRecords or the
    ``(n, RECORD_WIDTH)`` array of :func:`record_matrix`). Vectorised
    over makers so ranking 200 candidates stays cheap; training and serving both call it.
    """
    n = len(makers)
    out = np.empty((n, len(FEATURE_NAMES)))
    if n == 0:
        return out
    col = _COL
    num = maker_matrix(makers)
    _column = lambda _, key: num[:, _NUM[key]]  # noqa: E731
    terms = analysed_terms(req["text"]) if req_terms is None else req_terms
    if terms:
        out[:, col["text_match"]] = [len(terms & m["terms"]) / len(terms) for m in makers]
    else:
        out[:, col["text_match"]] = 0.0
    required = set(req["processes"])
    out[:, col["process_coverage"]] = _share_held(num, makers, "processes", required) if required else 1.0
    line = req.get("product_line")
    if line in _BITS["product_lines"]:
        out[:, col["line_match"]] = (_column(makers, "line_bits").astype(np.int64) & _BITS["product_lines"][line]) != 0
    else:
        out[:, col["line_match"]] = [1.0 if line in m["product_lines"] else 0.0 for m in makers]
    need = max(monthly_need(req), 1.0)
    out[:, col["capacity_ratio"]] = np.clip(np.log2(np.maximum(_column(makers, "available_capacity"), 1) / need),
                                            -4.0, 4.0)
    qty = req["quantity"]
    rate = max(qty * 30.0 / req["lead_time_days"], 1.0)
    out[:, col["throughput_ratio"]] = np.clip(np.log2(np.maximum(_column(makers, "available_capacity"), 1) / rate),
                                              -4.0, 4.0)
    moq = _column(makers, "min_order_qty")
    out[:, col["moq_fit"]] = np.where(moq <= qty, 1.0, qty / np.maximum(moq, 1))
    lead = req["lead_time_days"]
    out[:, col["lead_slack"]] = np.clip((lead - _column(makers, "order_lead_days")) / lead, -1.0, 1.0)
    mlo, mhi = _column(makers, "unit_price_min"), _column(makers, "unit_price_max")
    lo, hi = req.get("unit_price_min"), req.get("unit_price_max")
    known = ~(np.isnan(mlo) | np.isnan(mhi))
    if lo is None or hi is None:
        out[:, col["price_fit"]] = 0.5
    else:
        overlap = np.maximum(0.0, np.minimum(hi, mhi) - np.maximum(lo, mlo))
        span = np.maximum(np.maximum(hi - lo, mhi - mlo), 0.01)
        out[:, col["price_fit"]] = np.where(known, np.minimum(1.0, overlap / np.where(known, span, 1.0)), 0.5)
    if hi is None or hi <= 0:
        out[:, col["price_excess"]] = 0.0
    else:
        out[:, col["price_excess"]] = np.where(np.isnan(mlo), 0.0, np.clip((mlo - hi) / hi, 0.0, 2.0))
    out[:, col["quality_gap"]] = _column(makers, "quality_rank") - tx.QUALITY_TIERS.rank(req["min_quality_tier"])
    certs = req["certificates"]
    if certs:
        when = req["created_at"].date() if isinstance(req["created_at"], datetime) else req["created_at"]
        if all(f"cert_{c}" in _NUM for c in certs):
            # each asked certificate (a repeated one counts again) valid on the day: last valid day >= it
            valid = sum(_column(makers, f"cert_{c}") >= when.toordinal() for c in certs)
            out[:, col["certificates_covered"]] = valid / len(certs)
        else:
            out[:, col["certificates_covered"]] = [
                sum(1 for c in certs if m["certificates"].get(c) and m["certificates"][c] >= when) / len(certs)
                for m in makers]
    else:
        out[:, col["certificates_covered"]] = 1.0
    lat, lon = _column(makers, "lat"), _column(makers, "lon")
    blat, blon = req.get("buyer_lat"), req.get("buyer_lon")
    if blat is not None and blon is not None:
        located = ~(np.isnan(lat) | np.isnan(lon))
        km = _haversine(blat, blon, np.where(located, lat, 0.0), np.where(located, lon, 0.0))
        centre = float(_haversine(blat, blon, *CLUSTER_CENTRE))
        out[:, col["distance"]] = np.where(located, np.log10(1 + km), 3.0)
        out[:, col["extra_distance"]] = np.where(located, (km - centre) / 1000.0, 0.0)
    else:
        out[:, col["distance"]], out[:, col["extra_distance"]] = 3.0, 0.0
    if is_fashion(req):
        out[:, col["design_fit"]] = np.where(_column(makers, "design_capability") > 0, 1.0, -1.0)
    else:
        out[:, col["design_fit"]] = 0.0
    niches = set(req["niches"])
    out[:, col["niche_match"]] = _share_held(num, makers, "niches", niches) if niches else 0.5
    out[:, col["export_english"]] = _column(makers, "export_english")
    r = record_matrix(records)
    (orders, on_time, repeats, disputes, contacts, responded, samples, approved,
     deliveries, on_time_deliveries, units, rejected, _ratings, rating_scores, rating_sum) = r.T
    out[:, col["on_time_rate"]] = shrunk(on_time, orders, priors.on_time)
    out[:, col["repeat_rate"]] = shrunk(repeats, orders, priors.repeat)
    out[:, col["dispute_rate"]] = shrunk(disputes, orders, priors.dispute)
    out[:, col["responsiveness"]] = shrunk(responded, contacts, priors.responded)
    out[:, col["sample_approval_rate"]] = shrunk(approved, samples, priors.approved)
    out[:, col["order_conversion"]] = shrunk(orders, contacts, priors.converted)
    out[:, col["experience"]] = np.log1p(orders)
    # order-based track record (issue 15)
    out[:, col["delivery_on_time_rate"]] = shrunk(on_time_deliveries, deliveries, priors.delivery_on_time)
    pseudo_units = PRIOR_WEIGHT * np.where(deliveries > 0, units / np.maximum(deliveries, 1), 1.0)
    out[:, col["reject_rate"]] = (rejected + pseudo_units * priors.reject) / (units + pseudo_units)
    out[:, col["delivered_volume"]] = np.log10(1 + units)
    out[:, col["maker_rating"]] = shrunk(rating_sum, rating_scores, priors.rating)
    return out


def pair_features(req: dict, maker: dict, record: TrackRecord, priors: ClusterPriors,
                  req_terms: set[str] | None = None) -> list[float]:
    """One row of ``FEATURE_NAMES`` for a requirement and a maker (see :func:`feature_rows`)."""
    return feature_rows(req, [maker], [record], priors, req_terms)[0].tolist()


# A transparent, hand-weighted score: the cold-start ranking and a baseline for the learned one.
RULE_WEIGHTS = {
    "text_match": 1.0, "process_coverage": 3.0, "capacity_ratio": 0.3, "moq_fit": 1.0, "lead_slack": 1.0,
    "price_fit": 0.5, "quality_gap": 0.5, "certificates_covered": 1.0, "design_fit": 0.5, "niche_match": 0.5,
    "on_time_rate": 1.0, "repeat_rate": 0.5, "dispute_rate": -2.0,
}
