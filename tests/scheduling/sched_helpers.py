"""Small fair builders and an independent constraint checker for tests.

Imported as a top-level module (pytest puts this folder on sys.path); the
folder has no __init__.py so it cannot shadow the ``scheduling`` package.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduling import Buyer, Maker, PairPreference, Problem, Slot, Table  # noqa: E402


def slots(n: int, sessions: int = 1) -> list[Slot]:
    day = datetime(2025, 3, 12, 9, 0)
    per = max(1, n // sessions)
    return [Slot(f"S{i+1}", day + timedelta(minutes=30 * i), day + timedelta(minutes=30 * i + 25),
                 f"sess{i // per}") for i in range(n)]


def tables(n: int) -> list[Table]:
    return [Table(f"T{i+1}", f"Mesa {i+1}") for i in range(n)]


def fair(n_buyers=3, n_makers=4, n_slots=4, n_tables=2, prefs=(), locked=(), **kw) -> Problem:
    buyers = kw.get("buyers") or [Buyer(f"B{i+1}", f"Comprador {i+1}") for i in range(n_buyers)]
    makers = kw.get("makers") or [Maker(f"M{i+1}", f"Confecciones {i+1}") for i in range(n_makers)]
    return Problem(slots(n_slots, kw.get("sessions", 1)), tables(n_tables), buyers, makers,
                   [PairPreference(*p) for p in prefs], list(locked))


def independent_violations(problem: Problem, meetings) -> list[str]:
    """Re-derive every hard constraint without using package helpers."""
    bad = []
    people = {p.id: p for p in problem.buyers + problem.makers}
    vetoed = {(p.buyer, p.maker) for p in problem.preferences if "no" in (p.buyer_mark, p.maker_mark)}
    fixed = {m.id: m.fixed_table for m in problem.makers}
    seen_person, seen_table, seen_pair, per_slot, count = set(), set(), set(), Counter(), Counter()
    for m in meetings:
        for pid in (m.buyer, m.maker):
            if (pid, m.slot) in seen_person:
                bad.append(f"double-booked {pid} {m.slot}")
            seen_person.add((pid, m.slot))
            if m.slot in people[pid].unavailable:
                bad.append(f"unavailable {pid} {m.slot}")
            count[pid] += 1
        if (m.table, m.slot) in seen_table:
            bad.append(f"table clash {m.table} {m.slot}")
        seen_table.add((m.table, m.slot))
        if (m.buyer, m.maker) in seen_pair:
            bad.append(f"pair twice {m.buyer} {m.maker}")
        seen_pair.add((m.buyer, m.maker))
        if (m.buyer, m.maker) in vetoed:
            bad.append(f"vetoed pair met {m.buyer} {m.maker}")
        if fixed[m.maker] and m.table != fixed[m.maker]:
            bad.append(f"fixed table ignored {m.maker}")
        if not fixed[m.maker] and m.table in set(fixed.values()):
            bad.append(f"{m.maker} sits at another maker's stand {m.table}")
        per_slot[m.slot] += 1
    bad += [f"over capacity {s}" for s, n in per_slot.items() if n > len(problem.tables)]
    bad += [f"over max {pid}" for pid, n in count.items()
            if people[pid].max_meetings is not None and n > people[pid].max_meetings]
    return bad


