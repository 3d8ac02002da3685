"""API figures of issues 2 and 3 on a demo cluster of N makers.

1. filtered list request (``GET /api/v1/makers`` with process, capacity and state filters),
   in process through Flask's test client: p50/p95;
2. a search with text, three filters and facets (``GET /api/v1/search/makers``), in process;
3. through gunicorn (2 workers) on 127.0.0.1 under wrk: a profile read, and a search;
   requests/s and errors.

Run: ``.venv/bin/python bench/bench_api.py --makers 100000`` (needs Debian's ``wrk`` for part 3).
Builds its database and index under bench/out/api-<N>/ once and reuses them.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import free_port, gunicorn_server, warm  # noqa: E402,F401 (free_port: for the benches importing it from here)


def build(out: Path, makers: int) -> dict:
    env = {"MATCHMAKER_DATABASE_URL": f"sqlite:///{out / 'm.db'}", "MATCHMAKER_SEARCH_PATH": str(out / "search"),
           "MATCHMAKER_MODEL_DIR": str(out / "models"), "MATCHMAKER_SECRET_KEY": "bench"}
    os.environ.update(env)
    if not (out / "ready").exists():
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        from matchmaker.cli import upgrade_database
        upgrade_database(env["MATCHMAKER_DATABASE_URL"])
        from matchmaker import create_app, db
        from matchmaker.demo import generate
        from matchmaker.search.rebuild import rebuild_all
        app = create_app()
        with app.app_context():
            t = time.perf_counter()
            generate(db.session(), makers=makers, buyers=300, progress=lambda p, d, n: None)
            print(f"demo data: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        rebuild_all(app)
        print(f"index rebuild: {time.perf_counter() - t:.1f} s")
        (out / "ready").write_text("ok")
    return env


def timed(client, url, headers, n=300) -> tuple[float, float]:
    samples = []
    for _ in range(20):
        client.get(url, headers=headers)
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url, headers=headers)
        samples.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.data[:200])
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * len(samples)) - 1]


def token(app) -> str:
    from matchmaker import db
    from matchmaker.auth import find_user, issue_token
    with app.app_context():
        tok = issue_token(find_user("buyer@demo.matchmaker"))
        db.session().commit()
    return tok


def wrk(url: str, tok: str, seconds: int) -> str:
    if not shutil.which("wrk"):
        return "wrk not installed (apt-get install wrk)"
    script = ROOT / "bench" / "out" / "auth.lua"
    script.write_text(f'wrk.headers["Authorization"] = "Bearer {tok}"\n')
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(script), url],
                         capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if "Requests/sec" in line or "Non-2xx" in line
             or "errors" in line.lower() or "Latency" in line]
    return " | ".join(line.strip() for line in lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    out = ROOT / "bench" / "out" / f"api-{args.makers}"
    env = build(out, args.makers)
    from matchmaker import create_app
    app = create_app()
    tok = token(app)
    headers = {"Authorization": f"Bearer {tok}"}
    client = app.test_client()
    list_url = "/api/v1/makers?process=sewing&process=laundry&min_capacity=5000&state=Jalisco&page=3"
    search_url = ("/api/v1/search/makers?q=pantal%C3%B3n+stretch+lavado+l%C3%A1ser&process=sewing"
                  "&min_quality=standard&state=Jalisco")
    p50, p95 = timed(client, list_url, headers)
    print(f"[{args.makers} makers] filtered list in process: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    p50, p95 = timed(client, search_url, headers)
    print(f"[{args.makers} makers] search text+3 filters+facets in process: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    maker_id = client.get(list_url, headers=headers).json["items"][0]["organization_id"]

    with gunicorn_server(env, workers=2, threads=4) as (base, _):
        warm(base + search_url, headers)  # both workers answered quickly several times: their indices are loaded
        label = f"[{args.makers} makers] gunicorn 2 workers x 4 threads, wrk 2 threads x 16 connections"
        print(f"{label}, profile read: {wrk(f'{base}/api/v1/makers/{maker_id}', tok, args.seconds)}")
        print(f"{label}, search: {wrk(base + search_url, tok, args.seconds)}")


if __name__ == "__main__":
    main()
