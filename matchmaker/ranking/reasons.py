"""Why a maker is recommended, in plain English or Spanish.

Reasons use only the requester's own requirement and the candidate's public
profile and aggregated track record; they never mention another firm.
The features with the largest positive contribution to the score are worded;
a feature that pulls the score down is never shown as a reason.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import taxonomy as tx
from ..catalog import N_, translate
from ..ratings.publication import count_band, published
from ..ratings.records import MIN_FIRMS, MIN_RATINGS
from .features import FEATURE_NAMES, RULE_WEIGHTS, analysed_terms, monthly_need

TEMPLATES = {  # English msgids; the Spanish is in the gettext catalog
    "process_all": N_("covers all {n} required processes"),
    "process_some": N_("covers {k} of {n} required processes"),
    "capacity": N_("capacity {x:.1f}× your monthly volume"),
    "throughput": N_("can make {x:.1f}× your order in your {days}-day lead time"),
    "moq": N_("minimum order of {moq:,} fits your {qty:,} units"),
    "lead": N_("delivers in {days} days, {slack} days inside your deadline"),
    "price": N_("usual unit price ({lo:.2f}–{hi:.2f} USD) overlaps your target"),
    "quality": N_("quality tier {tier}, above the {asked} you ask"),
    "quality_eq": N_("meets your {asked} quality tier"),
    "certs": N_("holds your required certificates: {certs}"),
    "distance": N_("{km:,.0f} km from your location"),
    "design": N_("in-house design for fashion-oriented work"),
    "niche": N_("serves your niche: {niches}"),
    "on_time": N_("{k} of {n} past orders delivered on time"),
    "repeat": N_("{k} repeat orders from satisfied buyers"),
    "no_disputes": N_("no disputes in {n} past orders"),
    "responsive": N_("answered {k} of {n} contacts with a meeting or sample"),
    "experience": N_("{n} past orders through the cluster"),
    "line": N_("makes {line}"),
    "price_ok": N_("lowest usual unit price {lo:.2f} USD within your {hi:.2f} USD maximum"),
    "export": N_("export experience, works in English"),
    "samples": N_("{k} of {n} samples approved by buyers"),
    "conversion": N_("{k} orders from {n} buyer contacts"),
    "text": N_("matches {k} of your {n} search words"),
    "deliveries_on_time": N_("{k} of {n} deliveries on or before the agreed date"),
    "rejects": N_("{pct:.1f}% of {units:,} delivered units rejected"),
    "delivered": N_("{units:,} units delivered on orders through the platform"),
    "maker_rating": N_("buyers rate it {score:.1f} of 5 ({n} ratings)"),
    "newcomer": N_("new to the platform: no track record yet, ranked on fit"),
}


def say(key: str, lang: str, **params) -> str:
    return _said(key, lang, tuple((k, type(v), v) for k, v in params.items()))


@lru_cache(maxsize=65536)
def _said(key: str, lang: str, params: tuple) -> str:
    """One reason's sentence, kept per (template, language, values with their types: ``1`` and ``1.0`` are
    written apart). The catalogs are read once per process, so the same values give the same sentence; a
    ranking words some 60 reasons, most of them seen before."""
    return translate(TEMPLATES[key], lang, **{k: v for k, _type, v in params})


def explain_rule(X: np.ndarray) -> np.ndarray:
    """Per-feature contributions of the rule score (weight × value), the rule's own explanation."""
    weights = np.array([RULE_WEIGHTS.get(n, 0.0) for n in FEATURE_NAMES])
    return X * weights


def published_rating(session, maker_id: int) -> tuple[float, str] | None:
    """What ``ratings`` publishes of buyers' ratings of a maker, as one figure: the mean over the categories
    shown (published batches only, each passing the 3-ratings-from-3-firms threshold), weighted by their
    ratings, and the count band of the most-rated of them; None when no category is shown. Never the live
    mean and exact count: those would give the newest rater's score away by differencing."""
    shown = [(mean, n) for _r, _c, mean, n, firms in published(session, "maker_performance", ratee=maker_id)
             if n >= MIN_RATINGS and firms >= MIN_FIRMS]
    if not shown:
        return None
    ratings = sum(n for _m, n in shown)
    return round(sum(m * n for m, n in shown) / ratings, 1), count_band(max(n for _m, n in shown))


def _wording(name: str, req: dict, maker: dict, lang: str, session=None) -> str | None:
    rec = maker.get("record")
    if name == "process_coverage":
        need = set(req["processes"])
        if not need:
            return None
        k = len(need & maker["processes"])
        return say("process_all", lang, n=len(need)) if k == len(need) else say("process_some", lang, k=k, n=len(need))
    if name == "capacity_ratio":
        return say("capacity", lang, x=maker["available_capacity"] / max(monthly_need(req), 1.0))
    if name == "throughput_ratio":
        rate = req["quantity"] * 30.0 / max(req["lead_time_days"], 1)
        return say("throughput", lang, x=maker["available_capacity"] / max(rate, 1.0), days=req["lead_time_days"])
    if name == "moq_fit" and maker["min_order_qty"] <= req["quantity"]:
        return say("moq", lang, moq=maker["min_order_qty"], qty=req["quantity"])
    if name == "lead_slack" and maker["order_lead_days"] <= req["lead_time_days"]:
        return say("lead", lang, days=maker["order_lead_days"], slack=req["lead_time_days"] - maker["order_lead_days"])
    if name == "price_fit" and maker.get("unit_price_min") is not None and req.get("unit_price_min") is not None:
        return say("price", lang, lo=maker["unit_price_min"], hi=maker["unit_price_max"])
    if name == "quality_gap":
        asked = tx.QUALITY_TIERS.label(req["min_quality_tier"], lang)
        tier = tx.QUALITY_TIERS.codes[maker["quality_rank"]]
        if tier == req["min_quality_tier"]:
            return say("quality_eq", lang, asked=asked)
        return say("quality", lang, tier=tx.QUALITY_TIERS.label(tier, lang), asked=asked)
    if name == "certificates_covered" and req["certificates"]:
        return say("certs", lang, certs=", ".join(tx.CERTIFICATES.label(c, lang) for c in req["certificates"]))
    if name == "distance" and maker.get("distance_km") is not None:
        return say("distance", lang, km=maker["distance_km"])
    if name == "line_match" and req.get("product_line") in maker["product_lines"]:
        return say("line", lang, line=tx.PRODUCT_LINES.label(req["product_line"], lang))
    if (name == "price_excess" and maker.get("unit_price_min") is not None and req.get("unit_price_max")
            and maker["unit_price_min"] <= req["unit_price_max"]):
        return say("price_ok", lang, lo=maker["unit_price_min"], hi=req["unit_price_max"])
    if name == "extra_distance" and maker.get("distance_km") is not None:
        return say("distance", lang, km=maker["distance_km"])
    if name == "export_english" and maker.get("export_experience") and "en" in maker.get("languages", ()):
        return say("export", lang)
    if name == "design_fit" and maker["design_capability"]:
        return say("design", lang)
    if name == "niche_match":
        shared = [c for c in req["niches"] if c in maker["niches"]]
        if shared:
            return say("niche", lang, niches=", ".join(tx.NICHES.label(c, lang) for c in shared))
        return None
    if rec is not None and rec.orders == 0 and name in {"on_time_rate", "repeat_rate", "dispute_rate", "experience",
                                                        "order_conversion"}:
        return say("newcomer", lang)
    if name == "on_time_rate" and rec is not None:
        return say("on_time", lang, k=rec.on_time, n=rec.orders)
    if name == "repeat_rate" and rec is not None and rec.repeats:
        return say("repeat", lang, k=rec.repeats)
    if name == "dispute_rate" and rec is not None and rec.disputes == 0:
        return say("no_disputes", lang, n=rec.orders)
    if name == "responsiveness" and rec is not None and rec.contacts:
        return say("responsive", lang, k=rec.responded, n=rec.contacts)
    if name == "sample_approval_rate" and rec is not None:
        return say("samples", lang, k=rec.approved, n=rec.samples) if rec.samples else say("newcomer", lang)
    if name == "order_conversion" and rec is not None and rec.contacts:
        return say("conversion", lang, k=rec.orders, n=rec.contacts)
    if name == "experience" and rec is not None:
        return say("experience", lang, n=rec.orders)
    if rec is not None and getattr(rec, "deliveries", 0):
        if name == "delivery_on_time_rate":
            return say("deliveries_on_time", lang, k=rec.on_time_deliveries, n=rec.deliveries)
        if name == "reject_rate" and rec.delivered_units:
            return say("rejects", lang, pct=100.0 * rec.rejected_units / rec.delivered_units, units=rec.delivered_units)
        if name == "delivered_volume":
            return say("delivered", lang, units=rec.delivered_units)
    if name == "maker_rating" and session is not None and rec is not None and getattr(rec, "ratings", 0) >= MIN_RATINGS:
        shown = published_rating(session, maker["id"])
        return None if shown is None else say("maker_rating", lang, score=shown[0], n=shown[1])
    if name == "text_match":
        terms = analysed_terms(req["text"])
        if terms:
            k = len(terms & maker["terms"])
            return say("text", lang, k=k, n=len(terms)) if k else None
    return None


def reasons_for(contributions: np.ndarray, row: np.ndarray, req: dict, maker: dict, lang: str, n: int = 3,
                session=None) -> list[dict]:
    """The ``n`` strongest positive contributions, worded; duplicates of one sentence are dropped. The
    buyers' rating is worded only from what ``ratings`` publishes, read through ``session`` (without
    one, that reason is left out)."""
    out: list[dict] = []
    values = contributions.tolist()        # Python floats: the loop below reads them one by one
    for j in np.argsort(-contributions, kind="stable").tolist():
        if values[j] <= 0 or len(out) == n:
            break
        text = _wording(FEATURE_NAMES[j], req, maker, lang, session)
        if text and all(text != r["text"] for r in out):
            out.append({"feature": FEATURE_NAMES[j], "text": text, "weight": round(values[j], 4)})
    return out
