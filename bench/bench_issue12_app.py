"""Issue 12, app side: the whole search request, before and after, in one run.

1. filtered maker list ``GET /api/v1/makers`` (3 filters, page 3) in process: the SQL path it had
   (forced) beside the index path it has now; p50/p95;
2. search with text + three filters + facets ``GET /api/v1/search/makers`` in process, p50/p95, and each
   step alone (bearer token check, parameter parsing, engine, hydration of the page);
3. autocomplete ``GET /api/v1/search/complete?q=lav`` in process;
4. a cProfile of 200 searches: where the time goes (top entries by cumulative time);
5. through gunicorn (2 workers × 4 threads) on 127.0.0.1 under wrk (2 threads × 16 connections, on the
   same 2 cores as the server): search and filtered-list requests/s and errors.

Run: ``.venv/bin/python bench/bench_issue12_app.py --makers 1400`` (also ``--makers 10000``). Needs Debian's
``wrk``. Builds its database and index under bench/out/api-<N>/ once (shared with bench_api.py).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import build, timed, token, wrk  # noqa: E402

from bench.harness import gunicorn_server, warm  # noqa: E402

LIST_URL = "/api/v1/makers?process=sewing&min_capacity=2000&state=Jalisco&page=3"
SEARCH_URL = ("/api/v1/search/makers?q=pantal%C3%B3n+stretch+lavado+l%C3%A1ser&process=sewing"
              "&min_quality=standard&state=Jalisco")
COMPLETE_URL = "/api/v1/search/complete?q=lav"


def in_process(makers: int, n: int) -> None:
    from matchmaker import create_app
    from matchmaker.search import lists

    label = f"[{makers} makers]"
    app = create_app()
    tok = token(app)
    headers = {"Authorization": f"Bearer {tok}"}
    client = app.test_client()

    real = lists.list_makers

    def sql_only(*a, **k):
        raise lists.NotServable("bench: the SQL path of before")

    lists.list_makers = sql_only
    before = client.get(LIST_URL, headers=headers).json
    p50, p95 = timed(client, LIST_URL, headers, n)
    print(f"{label} filtered list, SQL (before): p50 {p50:.1f} ms, p95 {p95:.1f} ms, total {before['total']}")
    lists.list_makers = real
    after = client.get(LIST_URL, headers=headers).json
    assert after["total"] == before["total"], (after["total"], before["total"])
    assert [m["organization_id"] for m in after["items"]] == [m["organization_id"] for m in before["items"]]
    p50, p95 = timed(client, LIST_URL, headers, n)
    print(f"{label} filtered list, index (after): p50 {p50:.1f} ms, p95 {p95:.1f} ms, same total and page")

    from matchmaker.search import service
    from matchmaker.makers.services import maker_dicts
    from_sources = service.maker_page
    service.maker_page = lambda session, hits: maker_dicts(session, [int(h.id) for h in hits])
    p50, p95 = timed(client, SEARCH_URL, headers, n)
    print(f"{label} search text+3 filters+facets, page hydrated from the database (before): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    service.maker_page = from_sources
    p50, p95 = timed(client, SEARCH_URL, headers, n)
    print(f"{label} search text+3 filters+facets, page from the index's sources (after): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    steps(app, tok, n)
    if makers <= 2000:  # the embedded engine's complete() is a TEMP scan of every source until tantivy lands
        p50, p95 = timed(client, COMPLETE_URL, headers, n)
        print(f"{label} autocomplete 'lav' (TEMP embedded scan): p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(200):
        client.get(SEARCH_URL, headers=headers)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
    print(f"{label} cProfile of 200 searches, top 30 by cumulative time:")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


def steps(app, tok: str, n: int) -> None:
    """Each step of the search request alone, p50 in ms: token check, parsing, engine, hydration."""
    import statistics

    from sqlalchemy import select
    from werkzeug.datastructures import MultiDict

    from matchmaker import db
    from matchmaker.auth import _digest
    from matchmaker.accounts.records import ApiToken, User
    from matchmaker.search.documents import MAKERS
    from matchmaker.search.queries import maker_query
    from matchmaker.search.service import run_search
    from matchmaker.makers.services import maker_dicts

    from urllib.parse import parse_qsl, urlsplit
    args = MultiDict(parse_qsl(urlsplit(SEARCH_URL).query))
    digest = _digest(tok)

    def p50(fn) -> float:
        for _ in range(10):
            fn()
        out = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
        return statistics.median(out)

    with app.test_request_context():
        sess = db.session()
        q = maker_query(args)
        ids = [int(h.id) for h in run_search(MAKERS, q).hits]
        token_q = (select(User, ApiToken.revoked, ApiToken.expires_at)
                   .join(ApiToken, ApiToken.user_id == User.id).where(ApiToken.token_hash == digest))
        parts = {
            "bearer token check (one indexed query)": p50(lambda: sess.execute(token_q).first()),
            "parse parameters": p50(lambda: maker_query(args)),
            "engine search (text, 3 filters, 5 facets)": p50(lambda: run_search(MAKERS, q)),
            f"hydrate {len(ids)} profiles (5 queries)": p50(lambda: maker_dicts(sess, ids)),
        }
    for name, ms in parts.items():
        print(f"    step p50: {name}: {ms:.2f} ms")


def through_gunicorn(makers: int, env: dict, seconds: int) -> None:
    from matchmaker import create_app
    tok = token(create_app())
    label = f"[{makers} makers] gunicorn 2 workers x 4 threads, wrk 2 threads x 16 connections (same 2 cores)"
    with gunicorn_server(env, workers=2, threads=4) as (base, _):
        warm(base + SEARCH_URL, {"Authorization": f"Bearer {tok}"})
        print(f"{label}, search: {wrk(base + SEARCH_URL, tok, seconds)}")
        print(f"{label}, filtered list: {wrk(base + LIST_URL, tok, seconds)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=1400)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--skip-gunicorn", action="store_true")
    args = ap.parse_args()
    env = build(ROOT / "bench" / "out" / f"api-{args.makers}", args.makers)
    in_process(args.makers, args.n)
    if not args.skip_gunicorn:
        through_gunicorn(args.makers, env, args.seconds)


if __name__ == "__main__":
    main()
