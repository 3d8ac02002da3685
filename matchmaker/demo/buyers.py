"""Buyers and buying agents, and their LATENT conduct (never stored in the database).

The conduct trait (good / average / bad, 70 / 20 / 10 %) drives payment
behaviour and incidents. It depends only on ``(seed, buyers)``, so the vetting
code that will later add payment and incident tables can call
:func:`latent_buyer_risk` and generate a payment history consistent with the
outcome log written here.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np

from matchmaker import taxonomy as tx
from matchmaker.demo import texts
from matchmaker.demo.makers import _exact_mix
from matchmaker.demo.places import BUYER_REGIONS, LINE, NICHE, code

CONDUCTS = ("good", "average", "bad")
CONDUCT_MIX = (0.70, 0.20, 0.10)
_TYPE_MIX = {"brand": .30, "retailer": .20, "department_store": .08, "boutique": .22, "jobber": .12,
             "buying_agent": .08}
_ORDER_QTY = {"brand": (1000, 10000), "retailer": (3000, 20000), "department_store": (5000, 20000),
              "boutique": (300, 1500), "jobber": (2000, 15000), "buying_agent": (1000, 15000)}
# multiplicative preference of each buyer type for product lines
_LINE_PREF = {"brand": {"jeans_designer": 2, "jeans_stretch_women": 2, "denim_separates": 1.5},
              "retailer": {"jeans_stretch_women": 2, "jeans_western": 2, "casual": 1.5},
              "department_store": {"childrenswear": 1.5},
              "boutique": {"jeans_designer": 3, "ceremonial": 2, "jeans_stretch_women": 1.5, "workwear_uniforms": .2},
              "jobber": {"jeans_western": 2, "workwear_uniforms": 2.5, "jeans_designer": .2},
              "buying_agent": {}}
assert set(_TYPE_MIX) == set(_ORDER_QTY) == set(_LINE_PREF) <= set(tx.BUYER_TYPES.codes)
for _p in _LINE_PREF.values():
    for _c in _p:
        code(tx.PRODUCT_LINES, _c)
# (late-payment probability, mean days late, unpaid probability, incident rate, dispute probability per order)
_RISK = {"good": (0.05, 3, 0.0, 0.01, 0.02), "average": (0.25, 12, 0.02, 0.05, 0.06),
         "bad": (0.60, 35, 0.15, 0.25, 0.25)}


@dataclass(frozen=True)
class BuyerRisk:
    """Latent payment and conduct behaviour of one buyer (organization id ``buyer_id``)."""

    buyer_id: int
    conduct: str
    late_payment_prob: float
    mean_days_late: float
    unpaid_prob: float
    incident_rate: float      # reportable incidents per order (bullying, unjust clauses, cancellations ...)
    dispute_prob: float       # probability that an order ends in a dispute


@dataclass
class BuyerData:
    ids: np.ndarray
    btype: list[str]
    lang: list[str]
    country: list[str]
    lat: np.ndarray
    lon: np.ndarray
    typical_qty: np.ndarray
    line_pref: np.ndarray      # (B, L) probabilities over product lines
    niche_pref: np.ndarray     # (B, N) probability of asking for each niche
    fashion: np.ndarray        # bool: values design originality
    min_quality: np.ndarray    # typical minimum quality index
    risk: list[BuyerRisk]
    demo_buyer: int            # index of the reputable US buyer that gets the demo login
    rows: dict[str, list[dict]] = field(default_factory=dict)


def generate_buyers(seed: int, n: int, first_id: int = 1, today: date | None = None,
                    stamp: datetime | None = None) -> BuyerData:
    """Buyers get organization ids ``first_id .. first_id + n - 1`` (makers come after them)."""
    today = today or date(2026, 11, 1)
    stamp = stamp or datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 21]))
    pr = random.Random(seed * 7919 + 21)
    types = tx.BUYER_TYPES.codes
    region = rng.choice(len(BUYER_REGIONS), size=n, p=[r[1] for r in BUYER_REGIONS])
    mix = np.array([_TYPE_MIX.get(t, 0.0) for t in types])
    btype_i = rng.choice(len(types), size=n, p=mix / mix.sum())
    conduct_i = _exact_mix(rng, n, list(CONDUCT_MIX))
    jitter = rng.uniform(0.7, 1.3, (n, 5))
    qty_u = rng.random(n)
    L, N = len(LINE), len(NICHE)
    line_pref = np.ones((n, L))
    niche_pref = np.full((n, N), 0.05)
    cities, btypes, langs, countries = [], [], [], []
    lat, lon = np.zeros(n), np.zeros(n)
    for i in range(n):
        reg_name, _, reg_cities = BUYER_REGIONS[region[i]]
        bc = reg_cities[pr.randrange(len(reg_cities))]
        t = types[btype_i[i]]
        cities.append(bc)
        btypes.append(t)
        langs.append(bc.lang)
        countries.append(bc.country)
        lat[i], lon[i] = bc.lat + pr.gauss(0, 0.05), bc.lon + pr.gauss(0, 0.05)
        for c, f in _LINE_PREF.get(t, {}).items():
            line_pref[i, LINE[c]] *= f
        if reg_name == "latam":
            line_pref[i, [LINE["childrenswear"], LINE["ceremonial"]]] *= 2
        if reg_name == "us":
            niche_pref[i, NICHE["latino_market"]] = 0.35
        if reg_name == "europe":
            niche_pref[i, NICHE["sustainable"]] = 0.3
        if t == "boutique":
            niche_pref[i, NICHE["fashion_small_batch"]] = 0.6
        if t in ("jobber", "retailer", "department_store"):
            niche_pref[i, NICHE["high_volume_basics"]] = 0.4
        if t == "brand":
            niche_pref[i, NICHE["premium_denim"]] = 0.3
    # each buyer concentrates on a few lines
    line_pref *= rng.gamma(0.6, 1.0, (n, L))
    line_pref /= line_pref.sum(axis=1, keepdims=True)
    lo = np.array([_ORDER_QTY.get(t, (1000, 10000))[0] for t in btypes])
    hi = np.array([_ORDER_QTY.get(t, (1000, 10000))[1] for t in btypes])
    typical = np.round(np.exp(np.log(lo) + qty_u * (np.log(hi) - np.log(lo))) / 50) * 50
    fashion = np.isin(btype_i, [types.index("boutique"), types.index("brand")]) & (rng.random(n) < 0.7)
    min_q = np.clip(np.where(np.isin(btypes, ["boutique", "department_store"]), 1, 0)
                    + (rng.random(n) < 0.3), 0, 2)
    # the demo buyer: a reputable US brand or retailer
    demo = next((i for i in range(n) if countries[i] == "US" and btypes[i] in ("brand", "retailer")),
                next((i for i in range(n) if countries[i] == "US"), 0))
    if CONDUCTS[conduct_i[demo]] != "good":
        swap = next((j for j in range(n) if CONDUCTS[conduct_i[j]] == "good"), demo)
        conduct_i[demo], conduct_i[swap] = conduct_i[swap], conduct_i[demo]
    ids = np.arange(first_id, first_id + n)
    risk = []
    for i in range(n):
        cd = CONDUCTS[conduct_i[i]]
        base = _RISK[cd]
        risk.append(BuyerRisk(int(ids[i]), cd, *(round(min(1.0, b * jitter[i, k]), 3) if k != 1 else
                                                 round(b * jitter[i, k], 1) for k, b in enumerate(base))))
    bd = BuyerData(ids=ids, btype=btypes, lang=langs, country=countries, lat=lat, lon=lon, typical_qty=typical,
                   line_pref=line_pref, niche_pref=niche_pref, fashion=fashion, min_quality=min_q, risk=risk,
                   demo_buyer=demo)
    bd.rows = _rows(pr, bd, cities, today, stamp)
    return bd


def _rows(pr: random.Random, bd: BuyerData, cities: list, today: date, stamp: datetime) -> dict:
    orgs, profiles = [], []
    line_codes = tx.PRODUCT_LINES.codes
    anchor = datetime(today.year, today.month, today.day, 9, tzinfo=timezone.utc)
    used: set[str] = set()
    for i, bid in enumerate(bd.ids.tolist()):
        t, bc = bd.btype[i], cities[i]
        segs = [line_codes[j] for j in np.argsort(-bd.line_pref[i])[:3] if bd.line_pref[i, j] > 0.12]
        segs = segs or [line_codes[int(np.argmax(bd.line_pref[i]))]]
        name = texts.buyer_name(pr, t, bc.city, bc.lang)
        if name in used:
            name = f"{name} {bc.city}" if f"{name} {bc.city}" not in used else f"{name} {bid}"
        used.add(name)
        if t in ("retailer", "department_store"):
            terms, deposit = pr.choice((30, 45)), pr.choice((0.0, 0.0, 0.1))
        elif pr.random() < 0.7:  # local norm: deposit at order, balance 2–3 days after delivery
            terms, deposit = pr.choice((2, 3)), pr.choice((0.3, 0.4, 0.5))
        else:
            terms, deposit = pr.choice((15, 30)), pr.choice((0.0, 0.2, 0.3))
        typical = int(bd.typical_qty[i])
        orgs.append(dict(id=bid, kind="buying_agent" if t == "buying_agent" else "buyer", name=name,
                         legal_name=name if bc.country != "MX" else None,
                         description="", website=None, city=bc.city, state=bc.state, country=bc.country,
                         lat=round(float(bd.lat[i]), 5), lon=round(float(bd.lon[i]), 5), ownership_group_id=None,
                         created_at=anchor - timedelta(days=pr.randrange(300, 1400)), version=1, updated_at=stamp))
        about = texts.buyer_about(pr, t, bc.city, segs, bc.lang)
        orgs[-1]["description"] = about
        profiles.append(dict(organization_id=bid, buyer_type=t, annual_volume_units=typical * pr.randrange(3, 13),
                             typical_order_qty=typical, segments=segs, payment_terms_days=terms,
                             deposit_share=deposit, about=about, version=1, updated_at=stamp))
    return {"organizations": orgs, "buyer_profiles": profiles}


def latent_buyer_risk(seed: int, buyers: int) -> list[BuyerRisk]:
    """The latent conduct of the buyers ``generate(seed=seed, buyers=buyers)`` wrote (ids 1..buyers).

    Deterministic and independent of the number of makers; use it to simulate
    payment experiences and incidents consistent with the outcome log.
    """
    return generate_buyers(seed, buyers).risk
