"""Benchmark the vendor block of the reputation feature function (issue 15).

Times ``reputation_features`` on a synthetic buyer history alone and with members' purchases from
input vendors added (``purchases=``), so the cost of the vendor block is the difference; the peer is
the buyer-only call on the same machine.

    .venv/bin/python bench/bench_vendor_features.py [--buyers 100000] [--vendors 10000] [--lots 30]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.reputation_features import reputation_features  # noqa: E402
from models.reputation_synth import make_history  # noqa: E402


def purchases(n_vendors: int, lots: int, firms: int, end: pd.Timestamp, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_vendors * lots
    bought = end - pd.to_timedelta(rng.integers(1, 900, n), unit="D")
    promised = bought + pd.to_timedelta(rng.integers(3, 30, n), unit="D")
    late = rng.random(n) < 0.2
    delivered = promised + pd.to_timedelta(np.where(late, rng.integers(1, 40, n), -rng.integers(0, 3, n)), unit="D")
    delivered = delivered.where(rng.random(n) > 0.05)
    claimed = rng.random(n) < 0.1
    return pd.DataFrame({
        "vendor_id": [f"V{i}" for i in rng.integers(0, n_vendors, n)], "reporter_id": rng.integers(0, firms, n),
        "purchased_on": bought, "promised_on": promised, "delivered_on": delivered,
        "quality_vs_sample": rng.choice(["as_sample", "minor_deviation", "major_deviation"], n, p=[.8, .15, .05]),
        "warranty_claimed": claimed, "warranty_honoured": np.where(claimed, rng.random(n) > 0.3, None)})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--buyers", type=int, default=100_000)
    ap.add_argument("--vendors", type=int, default=10_000)
    ap.add_argument("--lots", type=int, default=30)
    args = ap.parse_args()
    print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.1f}", flush=True)
    h = make_history(n_buyers=args.buyers, n_firms=40, seed=7)
    p = purchases(args.vendors, args.lots, 40, h["end"], 7)
    subjects = pd.concat([h["buyers"], pd.DataFrame({"buyer_id": p["vendor_id"].unique(), "first_seen": pd.NaT})])
    print(f"{len(h['payments']):,} invoices, {len(h['buyers']):,} buyers; {len(p):,} lots, "
          f"{p['vendor_id'].nunique():,} vendors", flush=True)
    vendors = pd.DataFrame({"buyer_id": p["vendor_id"].unique(), "first_seen": pd.NaT})
    runs = (("buyers only (peer)", {}, h["buyers"]), ("buyers + vendors", {"purchases": p}, subjects),
            ("vendors only", {"purchases": p, "no_buyers": True}, vendors))
    for label, kw, subj in runs:
        if kw.pop("no_buyers", False):
            h = {**h, "payments": None, "incidents": None, "references": None}
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            f = reputation_features(h["payments"], h["incidents"], h["references"], subj, h["end"], h["fx"], **kw)
            times.append(time.perf_counter() - t0)
        print(f"  {label:<20} best {min(times):.2f} s, median {sorted(times)[1]:.2f} s, {len(f):,} rows")


if __name__ == "__main__":
    main()
