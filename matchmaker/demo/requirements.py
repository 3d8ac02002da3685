"""Buyers' requirements (RFQs) over the history window; depend on buyers only, not on makers."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from matchmaker import taxonomy as tx
from matchmaker.demo import texts
from matchmaker.demo.buyers import BuyerData
from matchmaker.demo.makers import DENIM_LINES, QUALITY_PRICE, price_base
from matchmaker.demo.places import CERT, LINE, NICHE, PROC, code

_FASHION_LINES = ("jeans_designer", "jeans_stretch_women", "ceremonial")
_EMBELLISHED = ("ceremonial", "jeans_designer", "childrenswear")
_AUDIT_CERTS = tuple(code(tx.CERTIFICATES, c) for c in ("wrap", "bsci", "ctpat", "oeko_tex", "iso9001"))
_HARD_P = {"product_line": 0.7, "quality": 0.4, "processes": 0.25, "capacity": 0.3, "moq": 0.5,
           "lead_time": 0.3, "certificates": 0.7}
assert set(_HARD_P) <= set(tx.HARD_CONSTRAINTS.codes)
# RFQs a buyer posts over the (default 2.5-year) history, uniform in this range: about one every 3-4
# months on average, as active foreign buyers of a 40-firm association re-source each season. Fewer
# made the outcome log too thin to learn a ranker from (about 750 RFQs for 300 buyers).
RFQS_PER_BUYER = (3, 14)


@dataclass
class RequirementData:
    ids: np.ndarray
    buyer: np.ndarray          # index into BuyerData
    line: np.ndarray
    proc: np.ndarray           # bool (R, P)
    qty: np.ndarray
    lead: np.ndarray
    min_q: np.ndarray
    cert: np.ndarray           # bool (R, C)
    niche: np.ndarray          # bool (R, N)
    price_min: np.ndarray
    price_max: np.ndarray
    hard: np.ndarray           # bool (R, len(HARD_CONSTRAINTS))
    fashion: np.ndarray
    created: list[datetime]
    status: list[str]
    rows: list[dict] = field(default_factory=list)

    @property
    def monthly_need(self) -> np.ndarray:
        """Throughput a maker must spare to deliver the quantity within the lead time."""
        return self.qty * 30.0 / self.lead


def generate_requirements(seed: int, bd: BuyerData, anchor: datetime, span_days: int,
                          demo_user_id: int | None, stamp: datetime) -> RequirementData:
    rng = np.random.default_rng(np.random.SeedSequence([seed, 31]))
    pr = random.Random(seed * 7919 + 31)
    per_buyer = rng.integers(RFQS_PER_BUYER[0], RFQS_PER_BUYER[1] + 1, bd.ids.size)
    buyer = np.repeat(np.arange(bd.ids.size), per_buyer)
    R, P = buyer.size, len(PROC)
    bern = lambda p: rng.random(R) < p  # noqa: E731
    age = rng.uniform(0, span_days, R)
    order = np.argsort(-age)               # ids in creation order
    buyer, age = buyer[order], age[order]
    cum = bd.line_pref[buyer].cumsum(axis=1)
    line = (rng.random(R)[:, None] > cum).sum(axis=1).clip(0, len(LINE) - 1)
    lc = np.array(tx.PRODUCT_LINES.codes)[line]
    denim = np.isin(lc, DENIM_LINES)
    fashion = bd.fashion[buyer] | (np.isin(lc, _FASHION_LINES) & bern(0.5))
    proc = np.zeros((R, P), dtype=bool)

    def put(c, p):
        proc[:, PROC[c]] = bern(p)
    put("sewing", 1.0)
    put("cutting", 0.85)
    put("laundry", denim * 0.8)
    put("laser", denim * 0.35)
    put("finishing", 0.6)
    put("embellishment", np.where(np.isin(lc, _EMBELLISHED), 0.4, 0.08))
    put("quality_inspection", 0.35)
    put("labeling_packaging", 0.5)
    put("design", np.where(fashion, 0.35, 0.08))
    put("fabric_sourcing", 0.45)
    put("export_paperwork", 0.3)
    put("warehousing", 0.05)
    put("transport", 0.1)
    qty = np.clip(np.round(bd.typical_qty[buyer] * rng.lognormal(0, 0.45, R) / 50) * 50, 300, 20000).astype(int)
    lead = rng.integers(14, 61, R)
    min_q = np.clip(bd.min_quality[buyer] + (fashion & bern(0.3)), 0, 2)
    price = (price_base(tx.PRODUCT_LINES.codes)[line] * QUALITY_PRICE[min_q]
             * rng.uniform(0.75, 1.3, R))
    cert = np.zeros((R, len(CERT)), dtype=bool)
    big = np.isin(np.array(bd.btype)[buyer], ["retailer", "department_store"])
    wants = bern(np.where(big, 0.35, 0.08))
    cert[np.nonzero(wants)[0], [CERT[c] for c in rng.choice(_AUDIT_CERTS, wants.sum())]] = True
    niche = rng.random((R, len(NICHE))) < bd.niche_pref[buyer]
    hard = np.stack([bern(_HARD_P.get(c, 0.0)) for c in tx.HARD_CONSTRAINTS.codes], axis=1)
    hard[:, tx.HARD_CONSTRAINTS.codes.index("certificates")] &= wants
    created = [anchor - timedelta(days=float(a)) for a in age]
    u = rng.random(R)
    status = np.where(age < 45, np.where(u < 0.15, "draft", "open"),
                      np.where(u < 0.02, "draft", np.where(u < 0.04, "open", "closed"))).tolist()
    own = np.nonzero(buyer == bd.demo_buyer)[0]
    if own.size:  # the demo buyer's newest requirement is open, so its ranking page has something to show
        status[int(own[np.argmin(age[own])])] = "open"
    rd = RequirementData(ids=np.arange(1, R + 1), buyer=buyer, line=line, proc=proc, qty=qty, lead=lead,
                         min_q=min_q, cert=cert, niche=niche, price_min=np.round(price * 0.85, 2),
                         price_max=np.round(price * 1.15, 2), hard=hard, fashion=fashion, created=created,
                         status=status)
    rd.rows = _rows(pr, rng, rd, bd, demo_user_id, stamp)
    return rd


def _rows(pr: random.Random, rng, rd: RequirementData, bd: BuyerData, demo_user_id, stamp) -> list[dict]:
    pc, lcodes = tx.PROCESS_STAGES.codes, tx.PRODUCT_LINES.codes
    nc, cc, hc, qc = tx.NICHES.codes, tx.CERTIFICATES.codes, tx.HARD_CONSTRAINTS.codes, tx.QUALITY_TIERS.codes
    monthly = np.where(rng.random(rd.ids.size) < 0.4, np.round(rd.qty * rng.uniform(0.5, 2, rd.ids.size) / 50) * 50, 0)
    rows = []
    for i, rid in enumerate(rd.ids.tolist()):
        b = int(rd.buyer[i])
        procs = [pc[j] for j in np.nonzero(rd.proc[i])[0]]
        lang = bd.lang[b]
        title, style = texts.requirement_texts(pr, lcodes[rd.line[i]], procs, int(rd.qty[i]), lang)
        rows.append(dict(
            id=rid, buyer_id=int(bd.ids[b]), created_by_id=demo_user_id if b == bd.demo_buyer else None,
            title=title, product_line=lcodes[rd.line[i]], quantity=int(rd.qty[i]),
            monthly_volume=int(monthly[i]) or None, unit_price_min=float(rd.price_min[i]),
            unit_price_max=float(rd.price_max[i]), currency="USD", lead_time_days=int(rd.lead[i]),
            min_quality_tier=qc[rd.min_q[i]], processes=procs, certificates=[cc[j] for j in np.nonzero(rd.cert[i])[0]],
            niches=[nc[j] for j in np.nonzero(rd.niche[i])[0]], style_text=style,
            hard_constraints=[hc[j] for j in np.nonzero(rd.hard[i])[0]], status=rd.status[i],
            created_at=rd.created[i], version=1, updated_at=stamp))
    return rows
