"""The outcome log: a documented, noisy buyer-choice process over the requirements.

For every requirement that is not a draft:

1. **Hard filter.** A maker is a candidate when it passes every constraint the
   buyer marked hard (``hard_constraints``): all processes covered, available
   capacity ``capacity * (1 - committed_share)`` >= monthly need
   (``quantity * 30 / lead_time_days``), MOQ <= quantity, order lead <= lead time,
   quality tier >= minimum, all certificates valid, product line offered.
   Soft constraints only require some relevance: the maker offers the product
   line or covers >= 60 % of the processes.
2. **Ranking shown** (``event="shown"``, ``rank`` 1..K, K <= 20,
   ``model_version="demo-rules-v0"``): a legacy rule score
   ``1.5 line + 1.2 coverage + 0.2 min(cap_ratio, 2) + 0.3 quality_ok + 0.3 niche``
   plus Gumbel noise (scale 0.6), i.e. a Plackett-Luce sample around the rule
   score. The rule score ignores price, lead slack, design, distance and the
   maker's reliability.
3. **Buyer utility.** ``U_pub = 1.8 coverage + 0.8 line + 0.6 clip(log2 cap_ratio, -2, 1)
   + 0.6 clip(lead_slack, -1, 0.5) + 0.8 price_fit + 0.5 clip(quality_gap, -2, 1)
   + 0.7 design*fashion + 0.5 niche + 0.4 cert_cover - 0.3 extra_distance_1000km
   + 0.3 export*english + N(0, 1)`` (``extra_distance``: km buyer→maker minus km
   buyer→Guadalajara centre; ``price_fit = exp(-5 * relative excess of the maker's
   minimum price over the buyer's maximum)``); ``U = U_pub + 0.9 reliability`` where
   ``reliability`` is a latent N(0, 1) trait of the maker (correlated with quality
   and certificates), never stored, visible only through this log (on-time
   orders, approvals, repeat orders, disputes).
4. **Funnel** with position bias ``exam(rank) = rank ** -0.7``:
   ``profile_opened ~ exam * s(U_pub - 2.6)``, ``shortlisted ~ s(U_pub - 3.0)``,
   ``contacted ~ 0.8 s(U - 2.6)``, ``meeting_held ~ 0.75`` (30 % at a fair,
   ``source="fair"``), ``sample_requested ~ s(U - 2.8)``,
   ``sample_approved ~ s(0.8 + 1.2 reliability + 0.4 quality_gap)``,
   ``order_placed ~ s(U - 2.4)`` (at most two orders per requirement, best U first),
   ``on_time ~ s(1.2 + 1.4 reliability + 0.6 lead_slack - 0.8 [cap_ratio < 1])``,
   ``dispute ~ buyer.dispute_prob + 0.08 [late] + 0.05 [reliability < -1]``
   (buyer conduct is latent, see :mod:`matchmaker.demo.buyers`),
   ``repeat_order ~ 0.6 s(-0.5 + 1.2 reliability + on_time - 1.5 dispute)``.
   ``s`` is the logistic function. Later stages follow earlier ones in time;
   anything that would happen after ``today`` is not logged (open requirements
   are mid-funnel). Every funnel event carries the rank at which the maker was shown.
5. **Online interventions** (their own random stream, so the draws above are unchanged in
   kind): ``INTERLEAVE_SHARE`` of the requirements are shown as a team-draft interleaving of
   ``demo-fit-v1`` (ranks all candidates by the noise-free ``U_pub``, what a good learned model
   approaches) and the legacy rule (noise-free); ``SWAP_SHARE`` show the rule's list with one
   adjacent pair of the top 10 in random order. Each is a ``ranking_serves`` row; the funnel above
   then runs on the list as shown, so clicks follow the latent utility and ``rank ** -0.7``.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from matchmaker import taxonomy as tx
from matchmaker.ranking import online
from matchmaker.demo.buyers import BuyerData
from matchmaker.demo.makers import MakerData
from matchmaker.demo.places import GDL_CENTRE
from matchmaker.demo.requirements import RequirementData
from models.online import randomize_adjacent_pair, team_draft_interleave

MODEL_VERSION = "demo-rules-v0"
LEARNED_VERSION = "demo-fit-v1"     # interleaving's team A: ranks by the buyers' expected public utility
INTERLEAVE_SHARE = 0.25             # of requirements: team-draft interleaving of demo-fit-v1 and the rule
SWAP_SHARE = 0.35                   # of requirements: one adjacent pair of the top 10 in random order
MAX_SHOWN = 20
_H = {c: i for i, c in enumerate(tx.HARD_CONSTRAINTS.codes)}
_E = {c: c for c in tx.OUTCOME_EVENTS.codes}   # KeyError here if a code used below disappears


def _s(x):
    return 1.0 / (1.0 + np.exp(-x))


class _Population:
    """Maker arrays prepared once for fast per-requirement scoring."""

    def __init__(self, md: MakerData):
        self.md = md
        # code sets as bit masks: coverage = popcount(maker & req) / popcount(req), no BLAS needed
        self.proc = _bits(md.proc)
        self.niche = _bits(md.niche)
        self.cert = _bits(md.cert_valid)
        self.available = md.available
        self.gdl = _km(md.lat, md.lon, *GDL_CENTRE)

    def cheap(self, rd: RequirementData, r: int) -> dict[str, np.ndarray]:
        """Features needed by the hard filter and the rule ranking, for every maker."""
        md = self.md
        req_p = _bits(rd.proc[r])
        coverage = np.bitwise_count(self.proc & req_p) / max(1, int(np.bitwise_count(req_p)))
        req_n = _bits(rd.niche[r])
        return dict(coverage=coverage, line=md.line[:, rd.line[r]].astype(np.float32),
                    cap_ratio=self.available / (rd.qty[r] * 30.0 / rd.lead[r]),
                    q_gap=(md.quality - rd.min_q[r]).astype(np.float32),
                    niche=((self.niche & req_n) > 0).astype(np.float32))

    def rich(self, rd: RequirementData, bd: BuyerData, r: int, idx: np.ndarray) -> dict[str, np.ndarray]:
        """The remaining fit features, for the makers ``idx`` only."""
        md = self.md
        over = np.maximum(0.0, md.price_min[idx] - rd.price_max[r]) / rd.price_max[r]
        b = rd.buyer[r]
        dist = _km(md.lat[idx], md.lon[idx], bd.lat[b], bd.lon[b]) - _km(*GDL_CENTRE, bd.lat[b], bd.lon[b])
        return dict(lead_slack=(rd.lead[r] - md.lead[idx]) / rd.lead[r], price_fit=np.exp(-5.0 * over),
                    cert_cover=self.cert_cover(rd, r, idx), dist=dist / 1000.0)

    def cert_cover(self, rd: RequirementData, r: int, idx=slice(None)) -> np.ndarray:
        req_c = _bits(rd.cert[r])
        k = int(np.bitwise_count(req_c))
        return np.bitwise_count(self.cert[idx] & req_c) / k if k else np.ones(self.cert[idx].shape[0])


def _bits(mat: np.ndarray) -> np.ndarray:
    """Boolean columns (last axis, < 32) packed into one uint32 per row."""
    return (mat.astype(np.uint32) << np.arange(mat.shape[-1], dtype=np.uint32)).sum(axis=-1, dtype=np.uint32)


def _km(lat1, lon1, lat2, lon2):
    la1, lo1, la2, lo2 = map(np.radians, (lat1, lon1, lat2, lon2))
    hav = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * np.arcsin(np.sqrt(hav))


def _eligible(pop: _Population, rd: RequirementData, r: int, f: dict) -> np.ndarray:
    md, h = pop.md, rd.hard[r]
    ok = (f["line"] > 0) | (f["coverage"] >= 0.6)
    if h[_H["processes"]]:
        ok &= f["coverage"] >= 0.999
    if h[_H["capacity"]]:
        ok &= f["cap_ratio"] >= 1.0
    if h[_H["moq"]]:
        ok &= md.moq <= rd.qty[r]
    if h[_H["lead_time"]]:
        ok &= md.lead <= rd.lead[r]
    if h[_H["quality"]]:
        ok &= f["q_gap"] >= 0
    if h[_H["certificates"]]:
        ok &= pop.cert_cover(rd, r) >= 0.999
    if h[_H["product_line"]]:
        ok &= f["line"] > 0
    return ok


def simulate(seed: int, md: MakerData, rd: RequirementData, bd: BuyerData, today: datetime,
             progress=None, serves: list | None = None) -> list[dict]:
    """Outcome-event rows (ids assigned in time order); rankings served with an online
    intervention are appended to ``serves`` (``ranking_serves`` rows) when it is given."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 41]))
    irng = np.random.default_rng(np.random.SeedSequence([seed, 43]))   # the interventions' own stream
    ev: list[tuple] = []
    R = rd.ids.size
    pop = _Population(md)
    for r in range(R):
        if progress and r % 100 == 0:
            progress("outcomes", r, R)
        if rd.status[r] == "draft":
            continue
        f = pop.cheap(rd, r)
        cand = np.nonzero(_eligible(pop, rd, r, f))[0]
        if cand.size == 0:
            continue
        g = {k: v[cand] for k, v in f.items()}
        rule = (1.5 * g["line"] + 1.2 * g["coverage"] + 0.2 * np.minimum(g["cap_ratio"], 2.0)
                + 0.3 * (g["q_gap"] >= 0) + 0.3 * g["niche"])
        noisy = rule + 0.6 * rng.gumbel(size=cand.size)
        k = min(MAX_SHOWN, cand.size)
        top = np.argpartition(-noisy, k - 1)[:k] if cand.size > k else np.arange(cand.size)
        top = top[np.argsort(-noisy[top])]
        top, serve = _intervene(irng, pop, rd, bd, r, cand, g, rule, top, k)
        shown = cand[top]
        g = {k_: v[top] for k_, v in g.items()}
        g.update(pop.rich(rd, bd, r, shown))
        rank = np.arange(1, k + 1)
        fashion = bool(rd.fashion[r])
        u_pub = (1.8 * g["coverage"] + 0.8 * g["line"] + 0.6 * np.clip(np.log2(g["cap_ratio"] + 1e-9), -2, 1)
                 + 0.6 * np.clip(g["lead_slack"], -1, 0.5) + 0.8 * g["price_fit"]
                 + 0.5 * np.clip(g["q_gap"], -2, 1) + 0.7 * md.design[shown] * fashion + 0.5 * g["niche"]
                 + 0.4 * g["cert_cover"] - 0.3 * g["dist"] + 0.3 * (md.export[shown] & md.english[shown])
                 + rng.normal(0, 1.0, k))
        rel = md.reliability[shown]
        u = u_pub + 0.9 * rel
        rnd = rng.random((8, k))
        opened = rnd[0] < rank ** -0.7 * _s(u_pub - 2.6)
        short = opened & (rnd[1] < _s(u_pub - 3.0))
        contact = short & (rnd[2] < 0.8 * _s(u - 2.6))
        meet = contact & (rnd[3] < 0.75)
        sample = meet & (rnd[4] < _s(u - 2.8))
        approved = sample & (rnd[5] < _s(0.8 + 1.2 * rel + 0.4 * g["q_gap"]))
        order = approved & (rnd[6] < _s(u - 2.4))
        if order.sum() > 2:
            keep = np.nonzero(order)[0][np.argsort(-u[order])[:2]]
            order[:] = False
            order[keep] = True
        on_time = rnd[7] < _s(1.2 + 1.4 * rel + 0.6 * np.clip(g["lead_slack"], -1, 0.5)
                              - 0.8 * (g["cap_ratio"] < 1))
        t0 = rd.created[r] + timedelta(minutes=float(rng.uniform(5, 240)))
        if t0 > today:
            continue
        req_id, buyer_id = int(rd.ids[r]), int(bd.ids[rd.buyer[r]])
        if serve is not None and serves is not None:
            serves.append(online.serve_row(req_id, buyer_id, t0, [int(md.ids[c]) for c in cand[top]], serve,
                                           serve.pop("arm_a"), serve.pop("arm_b", None), source="demo"))
        risk = bd.risk[rd.buyer[r]]
        for j in range(k):
            mid = int(md.ids[shown[j]])
            rk = int(rank[j])
            ev.append((t0, req_id, buyer_id, mid, "shown", rk, MODEL_VERSION, None, "web"))
            if not opened[j]:
                continue
            t = t0 + timedelta(hours=float(rng.exponential(20)))
            chain = [(opened, "profile_opened", 0.0), (short, "shortlisted", 0.5), (contact, "contacted", 3.0),
                     (meet, "meeting_held", 12.0), (sample, "sample_requested", 3.0),
                     (approved, "sample_approved", float(md.sample_lead[shown[j]]) + 5.0),
                     (order, "order_placed", 8.0)]
            for mask, name, days in chain:
                if not mask[j]:
                    break
                t = t + timedelta(days=days * float(rng.uniform(0.5, 1.5)), hours=float(rng.uniform(0, 8)))
                if t > today:
                    break
                src = "fair" if name == "meeting_held" and rng.random() < 0.3 else "web"
                ot = bool(on_time[j]) if name == "order_placed" else None
                ev.append((t, req_id, buyer_id, mid, _E[name], rk, None, ot, src))
            else:
                _after_order(rng, ev, t, today, req_id, buyer_id, mid, rk, bool(on_time[j]), float(rel[j]),
                             risk.dispute_prob, g["lead_slack"][j], g["cap_ratio"][j])
    if progress:
        progress("outcomes", R, R)
    ev.sort(key=lambda e: (e[0], e[1], e[3], tx.OUTCOME_EVENTS.rank(e[4])))
    return [dict(id=i + 1, occurred_at=e[0], requirement_id=e[1], buyer_id=e[2], maker_id=e[3], event=e[4],
                 rank=e[5], model_version=e[6], on_time=e[7], source=e[8]) for i, e in enumerate(ev)]


def _intervene(irng, pop, rd, bd, r, cand, g, rule, top, k):
    """Online interventions (see the module notes): ``(shown, serve)`` with ``serve`` None for a plain ranking."""
    u = irng.random()
    if u < INTERLEAVE_SHARE and cand.size > 1:
        rich = pop.rich(rd, bd, r, cand)
        md = pop.md
        expected = (1.8 * g["coverage"] + 0.8 * g["line"] + 0.6 * np.clip(np.log2(g["cap_ratio"] + 1e-9), -2, 1)
                    + 0.6 * np.clip(rich["lead_slack"], -1, 0.5) + 0.8 * rich["price_fit"]
                    + 0.5 * np.clip(g["q_gap"], -2, 1) + 0.7 * md.design[cand] * bool(rd.fashion[r])
                    + 0.5 * g["niche"] + 0.4 * rich["cert_cover"] - 0.3 * rich["dist"]
                    + 0.3 * (md.export[cand] & md.english[cand]))
        order_a = np.argsort(-expected, kind="stable")[:k].tolist()
        order_b = np.argsort(-rule, kind="stable")[:k].tolist()
        shown, teams = team_draft_interleave(order_a, order_b, irng, length=k)
        return np.asarray(shown), {"intervention": "interleave", "teams": teams, "arm_a": LEARNED_VERSION,
                                   "arm_b": MODEL_VERSION}
    if u < INTERLEAVE_SHARE + SWAP_SHARE:
        shown, pair = randomize_adjacent_pair(top.tolist(), irng, max_position=online.SWAP_MAX_POSITION)
        if pair is not None:
            return np.asarray(shown), {"intervention": "swap", "swap_position": pair, "arm_a": MODEL_VERSION}
    return top, None


def _after_order(rng, ev, t, today, req_id, buyer_id, mid, rk, on_time, rel, dispute_prob, slack, cap_ratio):
    dispute = rng.random() < dispute_prob + 0.08 * (not on_time) + 0.05 * (rel < -1)
    if dispute:
        td = t + timedelta(days=float(rng.uniform(30, 90)))
        if td <= today:
            ev.append((td, req_id, buyer_id, mid, _E["dispute"], rk, None, None, "web"))
    p_repeat = 0.6 * _s(-0.5 + 1.2 * rel + on_time - 1.5 * dispute)
    while rng.random() < p_repeat:
        t = t + timedelta(days=float(rng.uniform(60, 200)))
        if t > today:
            break
        on_time = bool(rng.random() < _s(1.2 + 1.4 * rel + 0.6 * np.clip(slack, -1, 0.5) - 0.8 * (cap_ratio < 1)))
        ev.append((t, req_id, buyer_id, mid, _E["repeat_order"], rk, None, on_time, "web"))
        p_repeat = 0.6 * _s(-0.5 + 1.2 * rel + on_time)
