"""Makers: numpy arrays for the whole population, then plain row dicts for bulk insert."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np

from matchmaker import taxonomy as tx
from matchmaker.demo import texts
from matchmaker.demo.places import (
    CERT, CERT_ISSUERS, CERT_PREFIX, HEADCOUNT_RANGE, LINE, NICHE, PROC, SIZE_CODES, SIZE_MIX, TIER,
    TOWNS,
)

# Base probability of a maker's main product line (jeans dominate the cluster).
_LINE_WEIGHTS = {"jeans_western": 18, "jeans_stretch_women": 20, "jeans_designer": 7, "denim_separates": 12,
                 "workwear_uniforms": 10, "knitwear": 6, "childrenswear": 12, "ceremonial": 5, "casual": 10}
_RELATED = {"jeans_western": ("jeans_stretch_women", "denim_separates", "casual"),
            "jeans_stretch_women": ("jeans_western", "denim_separates", "jeans_designer"),
            "jeans_designer": ("jeans_stretch_women", "denim_separates"),
            "denim_separates": ("jeans_stretch_women", "jeans_western", "childrenswear"),
            "workwear_uniforms": ("casual", "knitwear"), "knitwear": ("casual", "childrenswear"),
            "childrenswear": ("ceremonial", "casual", "denim_separates"),
            "ceremonial": ("childrenswear",), "casual": ("knitwear", "denim_separates", "workwear_uniforms")}
# Pieces per worker per month (sewing throughput; laundries wash far more).
_PRODUCTIVITY = {"jeans_western": 420, "jeans_stretch_women": 400, "jeans_designer": 260, "denim_separates": 360,
                 "workwear_uniforms": 460, "knitwear": 520, "childrenswear": 470, "ceremonial": 160, "casual": 450}
# Full-package FOB unit price band, USD.
PRICE_BASE = {"jeans_western": 9.0, "jeans_stretch_women": 8.0, "jeans_designer": 18.0, "denim_separates": 11.0,
              "workwear_uniforms": 7.0, "knitwear": 5.5, "childrenswear": 5.0, "ceremonial": 20.0, "casual": 6.0}
DENIM_LINES = ("jeans_western", "jeans_stretch_women", "jeans_designer", "denim_separates")
# Every code named here must exist; codes added to the taxonomy later get neutral defaults.
for _m in (_LINE_WEIGHTS, _RELATED, _PRODUCTIVITY, PRICE_BASE):
    assert set(_m) <= set(tx.PRODUCT_LINES.codes)


def price_base(codes: list[str]) -> np.ndarray:
    return np.array([PRICE_BASE.get(c, 8.0) for c in codes])
TIER_PRICE = np.array([0.45, 0.75, 1.0])         # assembly, half, full (by TIER index)
QUALITY_PRICE = np.array([0.9, 1.0, 1.25])
# P(service tier | size band) for garment makers.
_TIER_BY_SIZE = np.array([[0.70, 0.25, 0.05], [0.40, 0.45, 0.15], [0.15, 0.45, 0.40], [0.05, 0.35, 0.60]])
_QUALITY_BY_TIER = np.array([[0.50, 0.40, 0.10], [0.30, 0.50, 0.20], [0.10, 0.50, 0.40]])
_CERT_WEIGHTS = np.array([{"iso9001": .25, "wrap": .2, "bsci": .1, "oeko_tex": .15, "nmx_cc": .2,
                           "ctpat": .1}.get(c, .05) for c in tx.CERTIFICATES.codes])


@dataclass
class MakerData:
    """Column arrays (index i = maker i, organization id ``ids[i]``) used by the outcome simulator."""

    ids: np.ndarray
    size: np.ndarray          # index into SIZE_CODES
    headcount: np.ndarray
    tier: np.ndarray
    laundry: np.ndarray
    proc: np.ndarray          # bool (n, len(PROCESS_STAGES))
    line: np.ndarray          # bool (n, len(PRODUCT_LINES))
    main_line: np.ndarray
    niche: np.ndarray         # bool (n, len(NICHES))
    cert_valid: np.ndarray    # bool (n, len(CERTIFICATES)), valid at ``today``
    capacity: np.ndarray
    committed: np.ndarray
    moq: np.ndarray
    sample_lead: np.ndarray
    lead: np.ndarray
    quality: np.ndarray
    design: np.ndarray
    export: np.ndarray
    english: np.ndarray
    price_min: np.ndarray
    price_max: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    town: np.ndarray
    reliability: np.ndarray   # LATENT: never stored; visible only through the outcome log
    rows: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def available(self) -> np.ndarray:
        return self.capacity * (1.0 - self.committed)


def _exact_mix(rng: np.random.Generator, n: int, shares: list[float]) -> np.ndarray:
    """Category per item with counts as close to ``shares`` as possible (largest remainder), shuffled."""
    raw = np.array(shares) * n
    counts = np.floor(raw).astype(int)
    counts[np.argsort(-(raw - counts))[: n - counts.sum()]] += 1
    return rng.permutation(np.repeat(np.arange(len(shares)), counts))


def _headcount(rng: np.random.Generator, size: np.ndarray) -> np.ndarray:
    out = np.empty(size.size, dtype=np.int64)
    for s, band in enumerate(SIZE_CODES):
        lo, hi = HEADCOUNT_RANGE[band]
        mask = size == s
        k = np.arange(lo, hi + 1)
        p = k ** (-0.5 if band == "micro" else -1.0)
        out[mask] = rng.choice(k, size=mask.sum(), p=p / p.sum())
    return out


def generate_makers(seed: int, n: int, first_id: int, today: date, span_days: int,
                    stamp: datetime) -> MakerData:
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    pr = random.Random(seed * 7919 + 11)
    P, L, N, C = len(PROC), len(LINE), len(NICHE), len(CERT)
    bern = lambda p: rng.random(n) < p  # noqa: E731

    size = _exact_mix(rng, n, [SIZE_MIX[c] for c in SIZE_CODES])
    headcount = _headcount(rng, size)
    town = rng.choice(len(TOWNS), size=n, p=[t.weight for t in TOWNS])
    laundry = bern(np.array([0.03, 0.08, 0.12, 0.06])[size])
    tier = (rng.random(n)[:, None] > np.cumsum(_TIER_BY_SIZE[size], axis=1)).sum(axis=1)
    tier = np.where(laundry, TIER["assembly"], np.minimum(tier, 2))

    # product lines: main line biased by town; laundries serve denim
    base = np.array([_LINE_WEIGHTS.get(c, 2) for c in tx.PRODUCT_LINES.codes], dtype=float)
    main_line = np.empty(n, dtype=np.int64)
    for ti, t in enumerate(TOWNS):
        w = base.copy()
        for c, f in t.line_bias:
            w[LINE[c]] *= f
        mask = town == ti
        main_line[mask] = rng.choice(L, size=mask.sum(), p=w / w.sum())
    denim_idx = np.array([LINE[c] for c in DENIM_LINES])
    main_line = np.where(laundry, rng.choice(denim_idx, size=n), main_line)
    line = np.zeros((n, L), dtype=bool)
    line[np.arange(n), main_line] = True
    extra = rng.random(n)
    for i in np.nonzero(extra < 0.55)[0]:
        rel = _RELATED.get(tx.PRODUCT_LINES.codes[main_line[i]], ())
        for c in pr.sample(rel, min(len(rel), 1 if extra[i] > 0.15 else 2)):
            line[i, LINE[c]] = True
    if laundry.any():
        line[laundry] = False
        line[np.ix_(laundry, denim_idx)] = rng.random((laundry.sum(), denim_idx.size)) < 0.6
        line[laundry, main_line[laundry]] = True
    is_denim = line[:, denim_idx].any(axis=1)

    # processes by service tier (assembly: sewing ± cutting; half: + laundry/finishing; full: design → export)
    proc = np.zeros((n, P), dtype=bool)
    a, h, f = tier == 0, tier == 1, tier == 2
    g = ~laundry

    def put(code_, p):
        proc[:, PROC[code_]] |= bern(p)
    proc[:, PROC["sewing"]] = g
    put("cutting", g * (a * 0.45 + h + f))
    put("laundry", g * is_denim * (h * 0.55 + f * 0.85) + laundry)
    put("laser", g * is_denim * (h * 0.2 + f * 0.5) + laundry * 0.6)
    put("finishing", g * (a * 0.3 + h * 0.8 + f) + laundry * 0.8)
    put("embellishment", g * (a * 0.08 + h * 0.2 + f * 0.35))
    put("quality_inspection", a * 0.2 + h * 0.6 + f * 0.95)
    put("labeling_packaging", g * (a * 0.1 + h * 0.4 + f))
    put("design", g * (h * 0.2 + f * 0.9))
    put("fabric_sourcing", g * (h * 0.3 + f * 0.95))
    put("warehousing", g * (h * 0.1 + f * 0.6))
    put("export_paperwork", g * (h * 0.05 + f * 0.7))
    put("transport", h * 0.05 + f * 0.3 + laundry * 0.3)

    # capacity, MOQ, committed output, lead times
    prod = np.array([_PRODUCTIVITY.get(c, 400) for c in tx.PRODUCT_LINES.codes])[main_line]
    prod = np.where(laundry, 900.0, prod * np.where(f, 0.8, 1.0)) * rng.lognormal(0, 0.2, n)
    capacity = np.maximum(50, np.round(headcount * prod / 50) * 50).astype(np.int64)
    moq_mid = np.array([250, 800, 2000, 4000])[size] * (1.5 * laundry + 1 - laundry)
    moq = np.clip(np.round(moq_mid * rng.lognormal(0, 0.45, n) / 50) * 50, 50, None)
    moq = np.minimum(moq, np.maximum(50, capacity // 2 // 50 * 50)).astype(np.int64)
    committed = np.where(bern(np.where((size <= 1) & (tier <= 1), 0.35, 0.15)),
                         np.round(rng.uniform(0.1, 0.8, n), 2), 0.0)
    spare = (np.round(capacity * (1 - committed) * rng.uniform(0.05, 0.3, n) / 10) * 10).astype(np.int64)
    sample_lead = np.clip(rng.integers(5, 10, n, endpoint=True) + f, 5, 10)
    lead = np.clip(14 + 2 * size + 2 * tier + rng.integers(0, 9, n), 14, 28)

    quality = (rng.random(n)[:, None] > np.cumsum(_QUALITY_BY_TIER[tier], axis=1)).sum(axis=1).clip(0, 2)
    reject = np.round(np.array([5.5, 2.8, 1.2])[quality] * rng.lognormal(0, 0.3, n), 1)
    reject_known = bern(0.9)
    design = g & bern(np.array([0.05, 0.25, 0.75])[tier])
    own_brand = bern(0.12 + 0.15 * design)
    export = bern(np.array([0.05, 0.15, 0.45])[tier] + np.array([0, 0.03, 0.15, 0.3])[size])
    export_share = np.where(export, np.round(5 + 75 * rng.beta(1.5, 4, n)), 0.0)
    english = export & bern(0.6) | bern(0.08)
    subcontracts = bern(0.6)
    sep_export = export & (size >= 2) & bern(0.35)
    price = (price_base(tx.PRODUCT_LINES.codes)[main_line] * TIER_PRICE[tier]
             * QUALITY_PRICE[quality] * rng.lognormal(0, 0.12, n))
    price = np.where(laundry, rng.uniform(0.8, 2.5, n), price)
    price_min, price_max = np.round(price * 0.9, 2), np.round(price * 1.2, 2)
    founded = today.year - np.clip(np.round(rng.gamma(2.0, 7.0, n) + size * 6), 1, 60).astype(np.int64)

    niche = np.zeros((n, N), dtype=bool)
    ln = lambda c: line[:, LINE[c]]  # noqa: E731
    niche[:, NICHE["latino_market"]] = bern(0.12 + 0.25 * (ln("jeans_western") | ln("ceremonial")
                                                           | ln("jeans_stretch_women")))
    niche[:, NICHE["fashion_small_batch"]] = bern(0.08 + 0.3 * ((size <= 1) & (design | ln("jeans_designer")
                                                                              | ln("jeans_stretch_women"))))
    niche[:, NICHE["high_volume_basics"]] = bern(0.04 + 0.4 * (size >= 2) + 0.2 * ln("workwear_uniforms"))
    niche[:, NICHE["sustainable"]] = bern(0.04 + 0.45 * (laundry & proc[:, PROC["laser"]]))
    niche[:, NICHE["premium_denim"]] = bern(0.4 * ((quality == 2) & is_denim))

    has_cert = bern(np.array([0.03, 0.15, 0.45, 0.70])[size] + 0.15 * export)
    cert = np.zeros((n, C), dtype=bool)
    for i in np.nonzero(has_cert)[0]:
        cert[i, rng.choice(C, size=rng.integers(1, 3, endpoint=True), replace=False,
                           p=_CERT_WEIGHTS / _CERT_WEIGHTS.sum())] = True
    cert_days = rng.integers(-240, 1100, (n, C))  # valid_until - today; ~18 % expired

    reliability = rng.normal(0, 1, n) + 0.35 * (quality - 1) + 0.25 * has_cert
    reliability = (reliability - reliability.mean()) / (reliability.std() + 1e-9)

    t_lat = np.array([t.lat for t in TOWNS])[town] + rng.normal(0, 1, n) * np.array([t.jitter for t in TOWNS])[town]
    t_lon = np.array([t.lon for t in TOWNS])[town] + rng.normal(0, 1, n) * np.array([t.jitter for t in TOWNS])[town]
    joined = rng.integers(30, span_days + 180, n)

    md = MakerData(
        ids=np.arange(first_id, first_id + n), size=size, headcount=headcount, tier=tier, laundry=laundry,
        proc=proc, line=line, main_line=main_line, niche=niche, cert_valid=cert & (cert_days >= 0),
        capacity=capacity, committed=committed, moq=moq, sample_lead=sample_lead, lead=lead, quality=quality,
        design=design, export=export, english=english, price_min=price_min, price_max=price_max,
        lat=t_lat, lon=t_lon, town=town, reliability=reliability)
    cols = dict(headcount=headcount, service_tier=tier, monthly_capacity=capacity, peak_spare_capacity=spare,
                min_order_qty=moq, committed_share=committed, sample_lead_days=sample_lead,
                order_lead_days=lead, quality_tier=quality, reject=reject, reject_known=reject_known,
                design_capability=design, own_brand=own_brand, export_experience=export,
                export_share_pct=export_share, english=english, subcontracts=subcontracts,
                separate_export_facility=sep_export, unit_price_min=price_min, unit_price_max=price_max,
                founded_year=founded, lat=np.round(t_lat, 5), lon=np.round(t_lon, 5), town=town,
                laundry=laundry, size=size, joined=joined)
    md.rows = _rows(pr, md, {k: v.tolist() for k, v in cols.items()}, cert, cert_days, today, stamp)
    return md


def _rows(pr: random.Random, md: MakerData, c: dict, cert: np.ndarray, cert_days: np.ndarray, today: date,
          stamp: datetime) -> dict[str, list[dict]]:
    n = md.ids.size
    proc_codes, line_codes = tx.PROCESS_STAGES.codes, tx.PRODUCT_LINES.codes
    niche_codes, cert_codes = tx.NICHES.codes, tx.CERTIFICATES.codes
    tiers, qual, lab = tx.SERVICE_TIERS.codes, tx.QUALITY_TIERS.codes, tx.LAB_TESTS.codes
    ids = md.ids.tolist()
    procs_l, lines_l, niches_l = _lists(md.proc, proc_codes), _lists(md.line, line_codes), _lists(md.niche, niche_codes)
    main = md.main_line.tolist()
    orgs, profiles, mp, ml, mn, certs = [], [], [], [], [], []
    cert_rows = np.nonzero(cert)
    certs_of: dict[int, list[str]] = {}
    anchor = datetime(today.year, today.month, today.day, 9, tzinfo=timezone.utc)
    cid = 1
    used: set[str] = set()
    for i, j in zip(*cert_rows):
        certs_of.setdefault(int(i), []).append(cert_codes[j])
        vu = today + timedelta(days=int(cert_days[i, j]))
        issuer = pr.choice(CERT_ISSUERS.get(cert_codes[j], ("Organismo certificador",)))
        number = f"{CERT_PREFIX.get(cert_codes[j], 'CERT')}-MX-{vu.year - 3}-{pr.randrange(10000, 99999)}"
        certs.append(dict(id=cid, maker_id=ids[i], kind=cert_codes[j], issuer=issuer, number=number,
                          valid_until=vu))
        cid += 1
    for i in range(n):
        town = TOWNS[c["town"][i]]
        q = c["quality_tier"][i]
        main_code = line_codes[main[i]]
        lines = [main_code] + [x for x in lines_l[i] if x != main_code]
        name = texts.maker_name(pr, town.city, main_code, c["laundry"][i])
        for _ in range(1):
            if name not in used:
                break
            name = texts.maker_name(pr, town.city, main_code, c["laundry"][i])
        if name in used:
            name = f"{name} {pr.choice(texts.SURNAMES)}"
        used.add(name)
        about_lang = "en" if c["english"][i] and pr.random() < 0.5 else "es"
        attrs = dict(about_lang=about_lang, city=town.city, state=town.state, headcount=c["headcount"][i],
                     min_order_qty=c["min_order_qty"][i], monthly_capacity=c["monthly_capacity"][i],
                     lines=lines[:2], processes=procs_l[i], laundry=c["laundry"][i],
                     founded_year=c["founded_year"][i], design_capability=c["design_capability"][i],
                     export_experience=c["export_experience"][i], export_share_pct=c["export_share_pct"][i],
                     certs=certs_of.get(i, []), subcontracts=c["subcontracts"][i])
        about = texts.maker_about(pr, attrs)
        created = anchor - timedelta(days=c["joined"][i])
        legal_name = texts.legal_name(pr, name, SIZE_CODES[c["size"][i]])
        orgs.append(dict(id=ids[i], kind="maker", name=name, legal_name=legal_name,
                         description=about, website=None, city=town.city, state=town.state, country="MX",
                         lat=c["lat"][i], lon=c["lon"][i], ownership_group_id=None, created_at=created,
                         version=1, updated_at=stamp))
        labs = [t for t in lab if pr.random() < (0.1, 0.45, 0.85)[q]]
        profiles.append(dict(
            organization_id=ids[i], headcount=c["headcount"][i], service_tier=tiers[c["service_tier"][i]],
            monthly_capacity=c["monthly_capacity"][i], peak_spare_capacity=c["peak_spare_capacity"][i],
            min_order_qty=c["min_order_qty"][i], committed_share=c["committed_share"][i],
            sample_lead_days=c["sample_lead_days"][i], order_lead_days=c["order_lead_days"][i],
            quality_tier=qual[q], reject_rate_pct=c["reject"][i] if c["reject_known"][i] else None,
            lab_tests=labs, design_capability=c["design_capability"][i], own_brand=c["own_brand"][i],
            export_experience=c["export_experience"][i], export_share_pct=c["export_share_pct"][i],
            languages=["es", "en"] if c["english"][i] else ["es"], subcontracts=c["subcontracts"][i],
            separate_export_facility=c["separate_export_facility"][i], unit_price_min=c["unit_price_min"][i],
            unit_price_max=c["unit_price_max"][i], founded_year=c["founded_year"][i], about=about,
            version=1, updated_at=stamp))
        mp.extend({"maker_id": ids[i], "code": p} for p in procs_l[i])
        ml.extend({"maker_id": ids[i], "code": x} for x in lines)
        mn.extend({"maker_id": ids[i], "code": x} for x in niches_l[i])
    groups = _ownership_groups(pr, orgs)
    return {"ownership_groups": groups, "organizations": orgs, "maker_profiles": profiles,
            "maker_processes": mp, "maker_product_lines": ml, "maker_niches": mn, "certificates": certs}


def _lists(mat: np.ndarray, codes: list[str]) -> list[list[str]]:
    """Per row, the codes of the True columns."""
    out: list[list[str]] = [[] for _ in range(mat.shape[0])]
    r, c = np.nonzero(mat)
    for i, j in zip(r.tolist(), c.tolist()):
        out[i].append(codes[j])
    return out


def _ownership_groups(pr: random.Random, orgs: list[dict]) -> list[dict]:
    """~5 % of makers belong to a group of 2–3 legal units of one owner (same town)."""
    by_town: dict[str, list[dict]] = {}
    for o in orgs:
        by_town.setdefault(o["city"], []).append(o)
    groups, gid = [], 1
    target = round(0.05 * len(orgs))
    placed = 0
    towns = sorted(by_town)
    while placed + 2 <= target:
        pool = by_town[pr.choice(towns)]
        k = 3 if pr.random() < 0.2 and placed + 3 <= target else 2
        free = [o for o in pr.sample(pool, min(len(pool), 8)) if o["ownership_group_id"] is None][:k]
        if len(free) < 2:
            if sum(o["ownership_group_id"] is None for o in pool) < 2:
                towns.remove(pool[0]["city"])
                if not towns:
                    break
            continue
        head = free[0]["name"]
        groups.append({"id": gid, "name": f"Grupo {head}"})
        for o, suffix in zip(free, ("", " Exportadora", " Planta 2")):
            o["ownership_group_id"] = gid
            if suffix:
                o["name"] = head + suffix
                if o["legal_name"]:
                    o["legal_name"] = o["name"] + " S.A. de C.V."
        gid += 1
        placed += len(free)
    return groups
