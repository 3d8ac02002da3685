"""Case page latency: p50/p95 of GET /vetting/cases/<id> with 200 records on the case (target p95 <= 100 ms).

Runs in process through the Flask test client on a scratch SQLite database (or the database named by
``--database-url``), with a promoted screener so the model's score and reasons are computed on every
view (as in production), and every view writes its two audit rows.

    .venv/bin/python bench/bench_case_page.py [--records 200] [--requests 200] [--cold] [--database-url URL]

The screening result is cached per (subject, association, day, model version, records fingerprint);
``--cold`` measures the page when every view recomputes features and the model's answer.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _fit_screener_files() -> dict:
    import pandas as pd

    from models.reputation import ReputationScreener
    from models.reputation_features import build_training_set
    from models.reputation_synth import make_history

    h = make_history(n_buyers=600, n_firms=20, seed=3)
    cut = [h["end"] - pd.Timedelta(days=365 + 120 * k) for k in range(3)]
    X, y, _ = build_training_set(h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"], cut,
                                 data_end=h["end"])
    return ReputationScreener(cv=3, calibration="sigmoid").fit(X, y).to_files()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--database-url")
    ap.add_argument("--cold", action="store_true", help="clear the score cache before every request "
                    "(as when each view follows a new record)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-case-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    os.environ["MATCHMAKER_DATABASE_URL"] = url

    from matchmaker import create_app, db
    from matchmaker.auth import hash_password
    from matchmaker.cli import upgrade_database
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Association, Membership, Organization
    from matchmaker.vetting.records import Incident, PaymentExperience, Reference, VettingCase
    from models.registry import ModelRegistry

    upgrade_database(url)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "MODEL_DIR": str(tmp / "models"),
                      "SEARCH_PATH": str(tmp / "search"), "VETTING_EVIDENCE_DIR": str(tmp / "evidence")})
    reg = ModelRegistry(app.config["MODEL_DIR"])
    reg.promote("reputation", reg.save("reputation", _fit_screener_files(), {"bench": True}))

    today = date.today()
    with app.app_context():
        s = db.session()
        assoc = Association(name="Bench association", slug="bench-assoc")
        buyer = Organization(kind="buyer", name="Bench Buyer", country="US")
        firms = [Organization(kind="maker", name=f"Taller {i}", country="MX") for i in range(12)]
        s.add_all([assoc, buyer, *firms])
        s.flush()
        for i, f in enumerate(firms):
            s.add(Membership(association_id=assoc.id, organization_id=f.id, role="board" if i < 5 else "member"))
        pw = hash_password("bench-password")
        for i in range(5):
            s.add(User(email=f"board{i}@bench.mx", name=f"Board {i}", role="board_member", password_hash=pw,
                       organization_id=firms[i].id, association_id=assoc.id))
        n_inc = args.records // 5
        n_ref = args.records // 20
        n_pay = args.records - n_inc - n_ref
        for k in range(n_pay):
            inv = today - timedelta(days=10 + 3 * k)
            s.add(PaymentExperience(subject_id=buyer.id, association_id=assoc.id, reporter_org_id=firms[5 + k % 7].id,
                                    invoice_date=inv, amount=5000 + 37 * k, currency="USD" if k % 3 else "MXN",
                                    terms_days=30, due_date=inv + timedelta(days=30),
                                    paid_date=inv + timedelta(days=30 + (k % 9) * 4) if k % 11 else None,
                                    deposit_share=0.3))
        for k in range(n_inc):
            s.add(Incident(subject_id=buyer.id, association_id=assoc.id, reporter_org_id=firms[5 + k % 7].id,
                           type=["late_payment", "unpaid_invoice", "bullying", "unjust_clause"][k % 4],
                           severity=1 + k % 3, occurred_on=today - timedelta(days=5 + 7 * k),
                           description="Pagó tarde y sin aviso. " * 4, status=["hearsay", "verified"][k % 2]))
        for k in range(n_ref):
            s.add(Reference(subject_id=buyer.id, association_id=assoc.id, reporter_org_id=firms[5 + k % 7].id,
                            type="long_contract", occurred_on=today - timedelta(days=30 + k)))
        case = VettingCase(association_id=assoc.id, subject_id=buyer.id, origin="application", status="open")
        s.add(case)
        s.commit()
        case_id = case.id

    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    r = client.post("/login", data={"csrf_token": token, "email": "board4@bench.mx", "password": "bench-password"})
    assert r.status_code == 302, r.status_code

    def run(path: str, n: int) -> list[float]:
        times = []
        from matchmaker.vetting import screening

        for _ in range(n):
            if args.cold:
                screening._SCORES.clear()
            t = time.perf_counter()
            resp = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200, resp.status_code
        return times

    first = client.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert "Bench Buyer" in first and 'data-testid="reasons"' in first, "no score reasons on the page"
    run(f"/vetting/cases/{case_id}", 10)  # warm-up
    times = run(f"/vetting/cases/{case_id}", args.requests)
    q = statistics.quantiles(times, n=100)
    backend = url.split(":", 1)[0]
    print(f"case page, {args.records} records ({n_pay} payments, {n_inc} incidents, {n_ref} references), "
          f"{args.requests} requests on {backend}{', score cache cleared before each' if args.cold else ''}:")
    print(f"  p50 {statistics.median(times):.1f} ms   p95 {q[94]:.1f} ms   max {max(times):.1f} ms   "
          f"target p95 <= 100 ms: {'OK' if q[94] <= 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
