"""Consortia on the demo cluster: for open requirements of several stages, how often a team
is found where no single maker can serve, and its lead time against the best single firm.

    .venv/bin/python bench/bench_consortia_demo.py [--db sqlite:///instance/matchmaker.db] [--limit 60]

Reads the database the demo built (``scripts/demo.sh``); writes nothing. For each open
requirement with two stages or more (newest first, up to ``--limit``), as the demo
coordinator would see it: the candidates of ``matchmaker.consortia.problem``, pre-filtered,
three diverse teams within 5 s. A single-firm answer is one maker offering every stage with
the capacity and minimum for the whole quantity; its lead time is the same plan with that one
maker on every stage (no transport legs).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    ap.add_argument("--limit", type=int, default=60)
    args = ap.parse_args()
    if args.db:
        os.environ["MATCHMAKER_DATABASE_URL"] = args.db
    os.environ.setdefault("MATCHMAKER_DEMO", "1")
    from sqlalchemy import select

    from matchmaker import create_app, db
    from matchmaker.consortia.problem import build, requirement_stages
    from matchmaker.permissions import visible_requirement_filter
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Organization
    from matchmaker.requirements.records import Requirement
    from scheduling.consortia import Team, build_teams, describe, prefilter, shortfalls
    from scheduling.consortia.problem import Assignment

    app = create_app()
    with app.app_context():
        s = db.session()
        coordinator = s.scalar(select(User).join(Organization, Organization.id == User.organization_id)
                               .where(Organization.kind == "coordinator"))
        if coordinator is None:
            sys.exit("no coordinator in this database: build it with scripts/demo.sh")
        reqs = s.scalars(select(Requirement).where(visible_requirement_filter(coordinator),
                                                   Requirement.status == "open")
                         .order_by(Requirement.created_at.desc())).all()
        reqs = [r for r in reqs if len(requirement_stages(r)) >= 2][:args.limit]
        rows = []
        for req in reqs:
            built = build(s, req, coordinator.organization_id)
            t0 = time.perf_counter()
            problem = prefilter(built.problem)
            result = build_teams(problem, k=3, time_limit=5.0) if not shortfalls(problem) else None
            seconds = time.perf_counter() - t0
            team: Team | None = result.teams[0] if result and result.teams else None
            vol = built.problem.stages[0].volume
            singles = {}
            for c in built.problem.candidates:
                if c.capacity >= vol >= c.min_units:
                    singles.setdefault(c.maker, []).append(c)
            single_leads = []
            for maker, cs in singles.items():
                if {c.stage for c in cs} >= set(built.stages):
                    one = describe(built.problem, [Assignment(c.stage, maker, vol, c.fit, c.lead_days) for c in cs
                                                   if c.stage in built.stages])
                    single_leads.append(one.lead_days)
            rows.append({"id": req.id, "title": req.title, "quantity": req.quantity, "stages": len(built.stages),
                         "candidates": len(built.problem.candidates),
                         "single": bool(single_leads), "team": team is not None, "seconds": seconds,
                         "gap": team.gap if team else None, "lead": team.lead_days if team else None,
                         "single_lead": min(single_leads) if single_leads else None})
        need = [r for r in rows if not r["single"]]
        both = [r for r in rows if r["single"] and r["team"]]
        print(f"{len(rows)} open requirements of 2+ stages; {len(need)} no single maker can serve")
        if need:
            print(f"  teams found for {sum(r['team'] for r in need)} of {len(need)} "
                  f"({sum(r['team'] for r in need) / len(need):.0%})")
            for r in need:
                print(f"    #{r['id']} {r['title'][:48]}: {r['quantity']:,} pieces, {r['stages']} stages, "
                      f"team lead {r['lead']} days" if r["team"] else "    no team")
        if both:
            team_lead = statistics.median(r["lead"] for r in both)
            single_lead = statistics.median(r["single_lead"] for r in both)
            print(f"  where a single firm can: median lead {team_lead} days by a team, "
                  f"{single_lead} by the best single firm ({len(both)} requirements)")
        solved = [r for r in rows if r["team"]]
        if solved:
            print(f"  solve: median {statistics.median(r['seconds'] for r in solved):.2f} s, "
                  f"max {max(r['seconds'] for r in solved):.2f} s; worst gap {max(r['gap'] for r in solved):.2%}")


if __name__ == "__main__":
    main()
