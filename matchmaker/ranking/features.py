"""The ranker's features, defined once: name, meaning, and how each is computed.

A feature describes one (requirement, maker) pair at the requirement's time, from
the requirement (the buyer's own data), the maker's public profile, and the
maker's track record aggregated over all its past relationships. No feature
names or counts another firm: a maker's clients never leak into a ranking.

Track-record rates are shrunk toward the cluster mean with ``PRIOR_WEIGHT``
pseudo-observations, so a newcomer with one good order is not ranked above a
firm with fifty, and a newcomer with none starts at the cluster mean (findable,
not buried).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from indexing.analysis import fold, stem_en, stem_es, words

from .. import taxonomy as tx

FEATURE_VERSION = "ranking-features-2"
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
)
FEATURE_NAMES = [f.name for f in FEATURES]


def analysed_terms(text: str) -> set[str]:
    """The index's own analysis: folded words, stemmed in Spanish and in English."""
    tokens = words(fold(text))
    return set(stem_es(tokens)) | set(stem_en(tokens))


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


@dataclass
class ClusterPriors:
    on_time: float = 0.8
    repeat: float = 0.3
    dispute: float = 0.05
    responded: float = 0.4
    approved: float = 0.6
    converted: float = 0.15


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


def pair_features(req: dict, maker: dict, record: TrackRecord, priors: ClusterPriors,
                  req_terms: set[str]) -> list[float]:
    """One row of ``FEATURE_NAMES`` for a requirement and a maker (plain dicts, see ``ranking.data``)."""
    required = set(req["processes"])
    covered = len(required & maker["processes"]) / len(required) if required else 1.0
    need = max(monthly_need(req), 1.0)
    capacity = max(-4.0, min(4.0, math.log2(max(maker["available_capacity"], 1) / need)))
    moq = 1.0 if maker["min_order_qty"] <= req["quantity"] else req["quantity"] / max(maker["min_order_qty"], 1)
    slack = max(-1.0, min(1.0, (req["lead_time_days"] - maker["order_lead_days"]) / req["lead_time_days"]))
    quality = maker["quality_rank"] - tx.QUALITY_TIERS.rank(req["min_quality_tier"])
    certs = req["certificates"]
    when = req["created_at"].date() if isinstance(req["created_at"], datetime) else req["created_at"]
    held = sum(1 for c in certs if maker["certificates"].get(c) and maker["certificates"][c] >= when)
    cert_share = held / len(certs) if certs else 1.0
    if None not in (req.get("buyer_lat"), req.get("buyer_lon"), maker.get("lat"), maker.get("lon")):
        km = haversine_km(req["buyer_lat"], req["buyer_lon"], maker["lat"], maker["lon"])
        distance = math.log10(1 + km)
        extra = (km - haversine_km(req["buyer_lat"], req["buyer_lon"], *CLUSTER_CENTRE)) / 1000.0
    else:
        distance, extra = 3.0, 0.0
    fashion = is_fashion(req)
    design = (1.0 if maker["design_capability"] else -1.0) if fashion else 0.0
    niches = set(req["niches"])
    niche = len(niches & maker["niches"]) / len(niches) if niches else 0.5
    text = len(req_terms & maker["terms"]) / len(req_terms) if req_terms else 0.0
    line = 1.0 if req.get("product_line") in maker["product_lines"] else 0.0
    export_english = 1.0 if maker.get("export_experience") and "en" in maker.get("languages", ()) else 0.0
    return [
        text, covered, line, capacity, moq, slack, _price_fit(req, maker), price_excess(req, maker),
        float(quality), cert_share, distance, extra, design, niche, export_english,
        shrunk(record.on_time, record.orders, priors.on_time),
        shrunk(record.repeats, record.orders, priors.repeat),
        shrunk(record.disputes, record.orders, priors.dispute),
        shrunk(record.responded, record.contacts, priors.responded),
        shrunk(record.approved, record.samples, priors.approved),
        shrunk(record.orders, record.contacts, priors.converted),
        math.log1p(record.orders),
    ]


# A transparent, hand-weighted score: the cold-start ranking and a baseline for the learned one.
RULE_WEIGHTS = {
    "text_match": 1.0, "process_coverage": 3.0, "capacity_ratio": 0.3, "moq_fit": 1.0, "lead_slack": 1.0,
    "price_fit": 0.5, "quality_gap": 0.5, "certificates_covered": 1.0, "design_fit": 0.5, "niche_match": 0.5,
    "on_time_rate": 1.0, "repeat_rate": 0.5, "dispute_rate": -2.0,
}
