"""Race figures: decisions, votes and applications fired together at a multi-worker gunicorn.

For each trial a fresh buyer applies and is voted on, then ``--threads`` requests start at one
barrier: board members deciding the same case, one board member voting many times, or the buyer
applying many times. Counts every answer's status and the rows left in the database (the target:
exactly one 201 and the rest 409 in every trial, one decision/vote/open case, never a 500).

    .venv/bin/python bench/bench_races.py [--backend sqlite|postgresql] [--trials 20] [--threads 12]
        [--workers 4] [--worker-threads 2] [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

SQLite runs on a scratch file; PostgreSQL in a scratch schema dropped at the end.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.live_server import gunicorn, race  # noqa: E402


def _database(args, tmp: Path):
    if args.backend == "sqlite":
        return f"sqlite:///{tmp / 'races.db'}", None
    from sqlalchemy import create_engine, text

    schema = f"mm_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in args.postgres_url else "?"

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return f"{args.postgres_url}{sep}options=-csearch_path%3D{schema}", drop


class Seeder:
    """Writes users and tokens straight into the database through an in-process app."""

    def __init__(self, url: str, tmp: Path):
        from matchmaker import create_app
        import os

        os.environ["MATCHMAKER_DATABASE_URL"] = url
        self.app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SEARCH_PATH": str(tmp / "s"),
                               "MODEL_DIR": str(tmp / "m")})

    def org(self, kind: str, name: str) -> int:
        from matchmaker import db
        from matchmaker.organizations.records import Organization
        with self.app.app_context():
            sess = db.session()
            org = Organization(kind=kind, name=name, country="MX" if kind == "maker" else "US")
            sess.add(org)
            sess.commit()
            return org.id

    def association(self) -> int:
        from matchmaker import db
        from matchmaker.organizations.records import Association
        with self.app.app_context():
            sess = db.session()
            a = Association(name="Jeans GDL", slug=f"jeans-{uuid.uuid4().hex[:6]}")
            sess.add(a)
            sess.commit()
            return a.id

    def user(self, role: str, org: int | None, assoc: int | None) -> dict:
        from matchmaker import db
        from matchmaker.auth import issue_token
        from matchmaker.accounts.records import User
        with self.app.app_context():
            sess = db.session()
            u = User(email=f"{role}-{uuid.uuid4().hex[:8]}@bench.mx", name=role, role=role, organization_id=org,
                     association_id=assoc, password_hash="pbkdf2:sha256:1$x$y")
            sess.add(u)
            sess.flush()
            token = issue_token(u)
            sess.commit()
            return {"Authorization": f"Bearer {token}"}

    def count(self, model, **where) -> int:
        from sqlalchemy import func, select

        from matchmaker import db
        with self.app.app_context():
            stmt = select(func.count()).select_from(model)
            for k, val in where.items():
                stmt = stmt.where(getattr(model, k) == val)
            return db.session().scalar(stmt)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--threads", type=int, default=12)
    ap.add_argument("--applications", type=int, default=20, help="parallel applications per trial")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--worker-threads", type=int, default=2)
    args = ap.parse_args()

    from matchmaker.cli import upgrade_database
    from matchmaker.vetting.records import Decision, VettingCase, Vote

    tmp = Path(tempfile.mkdtemp(prefix="bench-races-"))
    url, drop = _database(args, tmp)
    try:
        upgrade_database(url)
        seed = Seeder(url, tmp)
        assoc = seed.association()
        board = [seed.user("board_member", seed.org("maker", f"Consejo {i}"), assoc) for i in range(args.threads)]
        decision = {"outcome": "approved", "rationale": "Pays on time according to three member firms.",
                    "review_date": (date.today() + timedelta(days=365)).isoformat()}
        results = {k: {"codes": Counter(), "one_winner": 0, "rows": Counter(), "ms": []}
                   for k in ("decisions", "votes", "applications")}
        print(f"{args.backend}: gunicorn -w {args.workers} --threads {args.worker_threads}, {args.trials} trials",
              flush=True)
        with gunicorn(url, workers=args.workers, threads=args.worker_threads, root=tmp / "server") as base:
            for trial in range(args.trials):
                buyer_org = seed.org("buyer", f"Race Buyer {trial}")
                buyer = seed.user("buyer_user", buyer_org, None)

                # applications: the buyer applies many times at once
                t0 = time.perf_counter()
                out = race([(base, "POST", "/api/v1/vetting/applications", {"association_id": assoc}, buyer)
                            for _ in range(args.applications)])
                _tally(results["applications"], out, t0,
                       seed.count(VettingCase, subject_id=buyer_org, status="open"))
                case_id = next(body["id"] for code, body in out if code == 201)

                # votes: one board member votes many times at once
                t0 = time.perf_counter()
                out = race([(base, "POST", f"/api/v1/vetting/cases/{case_id}/votes", {"vote": "approved"}, board[0])
                            for _ in range(args.threads)])
                _tally(results["votes"], out, t0, seed.count(Vote, case_id=case_id))

                # decisions: every board member decides the case at once
                t0 = time.perf_counter()
                out = race([(base, "POST", f"/api/v1/vetting/cases/{case_id}/decision", decision, h)
                            for h in board])
                _tally(results["decisions"], out, t0, seed.count(Decision, case_id=case_id))
        print()
        print("| race | backend | trials × requests | answers | trials with one 201, rest 409 | rows left "
              "per trial | p50 race ms |")
        print("|---|---|---|---|---|---|---|")
        for name, r in results.items():
            n = args.applications if name == "applications" else args.threads
            answers = ", ".join(f"{c}×{code}" for code, c in sorted(r["codes"].items()))
            rows = ", ".join(f"{k} row{'s' if k != 1 else ''}: {v}" for k, v in sorted(r["rows"].items()))
            print(f"| {name} | {args.backend} | {args.trials} × {n} | {answers} | {r['one_winner']}/{args.trials} "
                  f"| {rows} | {statistics.median(r['ms']):.0f} |")
    finally:
        if drop:
            drop()


def _tally(r: dict, out: list, t0: float, rows: int) -> None:
    r["ms"].append((time.perf_counter() - t0) * 1000)
    codes = Counter(code for code, _ in out)
    r["codes"].update(codes)
    r["one_winner"] += codes == Counter({201: 1, 409: len(out) - 1}) and rows == 1
    r["rows"][rows] += 1
    print(".", end="", flush=True)


if __name__ == "__main__":
    main()
