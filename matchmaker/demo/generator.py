"""The public entry point: :func:`generate` writes a deterministic demo cluster into an empty database."""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Callable

import numpy as np
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from matchmaker.demo import orders, outcomes, vendors, writer
from matchmaker.demo.buyers import BuyerRisk, generate_buyers
from matchmaker.demo.community import JEANS, KIDS, generate_community
from matchmaker.demo.makers import generate_makers
from matchmaker.demo.requirements import generate_requirements

DEFAULT_TODAY = date(2026, 11, 1)
Progress = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    counts: dict[str, int]                       # rows written per table
    logins: list[tuple[str, str, str]]           # (role, email, password), one per role (+ 2nd association staff)
    elapsed_seconds: float
    seed: int
    today: date
    demo_maker_id: int | None = None             # organization of maker@demo.matchmaker
    demo_buyer_id: int | None = None             # organization of buyer@demo.matchmaker
    associations: dict[str, int] = field(default_factory=dict)   # slug -> id
    # LATENT truth kept out of the database (for later payment/incident simulation and ranker evaluation)
    buyer_risk: list[BuyerRisk] = field(default_factory=list, repr=False)
    maker_ids: np.ndarray | None = field(default=None, repr=False)
    maker_reliability: np.ndarray | None = field(default=None, repr=False)

    def describe(self) -> str:
        lines = [f"Demo cluster (seed {self.seed}, today {self.today}) written in {self.elapsed_seconds:.1f} s"]
        lines += [f"  {name:<22}{n:>10,}" for name, n in self.counts.items()]
        lines.append("Demo logins (role, email, password):")
        lines += [f"  {role:<18} {email:<32} {pw}" for role, email, pw in self.logins]
        return "\n".join(lines)


def generate(session_or_engine: Session | Engine | Connection, makers: int = 1400, buyers: int = 300,
             seed: int = 7, years: float = 2.5, progress: Progress | None = None, today: date | None = None,
             *, commit: bool = True) -> DemoSummary:
    """Write a deterministic demo cluster into an EMPTY database and return what was written.

    Same ``seed`` (and sizes, ``years`` and ``today``) gives the same rows, except
    the salted password hash of the demo users. ``today`` anchors all dates
    (default 2026-11-01); the outcome history covers ``years`` before it.
    Organization ids: buyers ``1..buyers``, makers ``buyers+1..buyers+makers``.
    With an Engine the data is written in one transaction; with a Session it is
    written on the session's connection and committed unless ``commit=False``;
    with a Connection the caller commits.
    """
    if makers < 1 or buyers < 1:
        raise ValueError("need at least one maker and one buyer")
    t_start = _time.perf_counter()
    today = today or DEFAULT_TODAY
    now = datetime.combine(today, time(12), tzinfo=timezone.utc)
    span = max(30, int(round(years * 365)))
    say = progress or (lambda *_: None)

    say("buyers", 0, buyers)
    bd = generate_buyers(seed, buyers, first_id=1, today=today, stamp=now)
    say("makers", 0, makers)
    md = generate_makers(seed, makers, first_id=buyers + 1, today=today, span_days=span, stamp=now)
    say("makers", makers, makers)
    com = generate_community(seed, md, bd, today, now)
    rd = generate_requirements(seed, bd, now, span, com["buyer_user_id"], now)
    say("requirements", rd.ids.size, rd.ids.size)
    serves: list[dict] = []
    events = outcomes.simulate(seed, md, rd, bd, now, say, serves=serves)
    for i, row in enumerate(serves, start=1):
        row["id"] = i

    rows = dict(md.rows)
    rows["organizations"] = bd.rows["organizations"] + md.rows["organizations"]
    rows["buyer_profiles"] = bd.rows["buyer_profiles"]
    rows.update(associations=com["associations"], memberships=com["memberships"], users=com["users"],
                requirements=rd.rows, outcome_events=events, ranking_serves=serves)
    say("orders", 0, 1)
    rows.update(orders.generate_orders(seed, events, md, rd, bd, com["memberships"], now))
    vendors.add_demo_vendors(seed, rows, com, today, now)  # input vendors, profiles, purchases (issue 15)

    def _write(conn: Connection) -> dict[str, int]:
        writer.assert_empty(conn)
        return writer.write_all(conn, rows, say)

    if isinstance(session_or_engine, Engine):
        with session_or_engine.begin() as conn:
            counts = _write(conn)
    elif isinstance(session_or_engine, Session):
        counts = _write(session_or_engine.connection())
        if commit:
            session_or_engine.commit()
    else:
        counts = _write(session_or_engine)
    return DemoSummary(counts=counts, logins=com["logins"], elapsed_seconds=_time.perf_counter() - t_start,
                       seed=seed, today=today, demo_maker_id=com["demo_maker_id"],
                       demo_buyer_id=com["demo_buyer_id"], associations={JEANS["slug"]: JEANS["id"],
                                                                         KIDS["slug"]: KIDS["id"]},
                       buyer_risk=bd.risk, maker_ids=md.ids, maker_reliability=md.reliability)
