"""Associations, memberships and the handful of demo users."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np

from matchmaker import taxonomy as tx
from matchmaker.demo.buyers import BuyerData
from matchmaker.demo.makers import DENIM_LINES, MakerData
from matchmaker.demo.places import LINE, TOWNS, code
from matchmaker.demo.texts import FIRST_NAMES, SURNAMES

DEMO_PASSWORD = "matchmaker-demo"
JEANS = dict(id=1, name="Asociación de Fabricantes de Jeans de Guadalajara", slug="jeans-gdl",
             sector="Jeans y mezclilla", city="Guadalajara", state="Jalisco", shares_incidents=True)
KIDS = dict(id=2, name="Asociación de Fabricantes de Ropa Infantil de Jalisco", slug="infantil-gdl",
            sector="Ropa infantil y de ceremonia", city="Guadalajara", state="Jalisco", shares_incidents=False)
JEANS_MEMBERS, JEANS_BOARD, KIDS_MEMBERS, KIDS_BOARD = 40, 5, 12, 2
_R = {c: code(tx.ROLES, c) for c in ("platform_admin", "association_staff", "board_member", "fair_organizer",
                                      "maker_user", "buyer_user")}
_BOARD, _MEMBER = code(tx.MEMBERSHIP_ROLES, "board"), code(tx.MEMBERSHIP_ROLES, "member")


@lru_cache(maxsize=4)
def password_hash(password: str = DEMO_PASSWORD) -> str:
    """One (slow, salted) hash shared by every demo user."""
    from werkzeug.security import generate_password_hash
    return generate_password_hash(password)


def _pick(rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    k = min(k, pool.size)
    if k == 0:
        return pool[:0]
    return rng.choice(pool, size=k, replace=False, p=weights / weights.sum())


def generate_community(seed: int, md: MakerData, bd: BuyerData, today: date, stamp: datetime) -> dict:
    rng = np.random.default_rng(np.random.SeedSequence([seed, 51]))
    pr = random.Random(seed * 7919 + 51)
    n = md.ids.size
    metro = np.array([t.metro for t in TOWNS])[md.town]
    denim = md.line[:, [LINE[c] for c in DENIM_LINES]].any(axis=1)
    size_w = np.array([1.0, 4.0, 6.0, 3.0])[md.size]
    pool = np.nonzero(metro & denim)[0]
    if pool.size < JEANS_MEMBERS:  # tiny demo: top up with any maker
        pool = np.concatenate([pool, np.setdiff1d(np.arange(n), pool)])
    jeans = _pick(rng, pool, size_w[pool], JEANS_MEMBERS)
    board = jeans[np.argsort(-(md.headcount[jeans] * rng.uniform(0.5, 1.5, jeans.size)))[:JEANS_BOARD]]
    jalisco = np.array([t.state == "Jalisco" for t in TOWNS])[md.town]
    kids_line = md.line[:, [LINE["childrenswear"], LINE["ceremonial"]]].any(axis=1)
    kpool = np.setdiff1d(np.nonzero(jalisco & kids_line & ~md.laundry)[0], jeans)
    if kpool.size < KIDS_MEMBERS:
        kpool = np.concatenate([kpool, np.setdiff1d(np.arange(n), np.concatenate([kpool, jeans]))])
    kids = _pick(rng, kpool, size_w[kpool], KIDS_MEMBERS)
    kboard = kids[:KIDS_BOARD]

    memberships, mid = [], 1
    for assoc, members, brd, oldest in ((JEANS, jeans, board, 15 * 365), (KIDS, kids, kboard, 180)):
        for i in sorted(members.tolist()):
            memberships.append(dict(id=mid, association_id=assoc["id"], organization_id=int(md.ids[i]),
                                    role=_BOARD if i in brd else _MEMBER,
                                    since=today - timedelta(days=pr.randrange(20, oldest))))
            mid += 1

    h = password_hash()
    users: list[dict] = []
    logins: list[tuple[str, str, str]] = []

    def user(email, role, org=None, assoc=None, locale="es", name=None, login=False):
        name = name or f"{pr.choice(FIRST_NAMES)} {pr.choice(SURNAMES)}"
        users.append(dict(id=len(users) + 1, email=email, name=name,
                          password_hash=h, role=role, organization_id=org, association_id=assoc, locale=locale,
                          active=True, created_at=stamp))
        if login:
            logins.append((role, email, DEMO_PASSWORD))
        return users[-1]["id"]

    plain_members = [i for i in sorted(jeans.tolist()) if i not in board]
    demo_maker = plain_members[0] if plain_members else int(jeans[0])
    demo_buyer_org = int(bd.ids[bd.demo_buyer]) if bd.ids.size else None
    user("admin@demo.matchmaker", _R["platform_admin"], locale="en", name="Demo Admin", login=True)
    user("staff@jeans-gdl.demo", _R["association_staff"], assoc=JEANS["id"], login=True)
    for k, i in enumerate(sorted(board.tolist()), start=1):
        user(f"board{k}@jeans-gdl.demo", _R["board_member"], org=int(md.ids[i]), assoc=JEANS["id"], login=k == 1)
    user("organizer@jeans-gdl.demo", _R["fair_organizer"], assoc=JEANS["id"], login=True)
    user("maker@demo.matchmaker", _R["maker_user"], org=int(md.ids[demo_maker]), assoc=JEANS["id"], login=True)
    buyer_user = None
    if demo_buyer_org is not None:
        buyer_user = user("buyer@demo.matchmaker", _R["buyer_user"], org=demo_buyer_org, locale="en",
                          name="Demo Buyer", login=True)
    user("staff@infantil-gdl.demo", _R["association_staff"], assoc=KIDS["id"], login=True)
    # one maker login per other association member (same demo password, not listed in the summary)
    for assoc, members in ((JEANS, jeans), (KIDS, kids)):
        for i in sorted(members.tolist()):
            if i == demo_maker or (assoc is JEANS and i in board):
                continue
            user(f"maker{int(md.ids[i])}@{assoc['slug']}.demo", _R["maker_user"], org=int(md.ids[i]),
                 assoc=assoc["id"])
    assocs = [dict(a, created_at=stamp - timedelta(days=d)) for a, d in ((JEANS, 15 * 365 + 30), (KIDS, 200))]
    return dict(associations=assocs, memberships=memberships, users=users, logins=logins,
                buyer_user_id=buyer_user, demo_maker_id=int(md.ids[demo_maker]), demo_buyer_id=demo_buyer_org)
