"""Issue 12: the engine's answers to the bench's maker searches, to compare two versions of the engine.

Writes one JSON line per search (total, ids, scores rounded, facets, did-you-mean) for the app's 400 distinct
searches (bench_issue12_gunicorn.distinct_search_urls) and variants of them: field sorts, pages 2-3, text
without filters, typos, unfinished last words, synonym phrases, geo radius, words with no hit. Run it from
two checkouts on the same index and compare (``--compare A B``): ids, totals, facets and suggestions must be
equal, scores within 1e-4.

Run: ``.venv/bin/python bench/check_search_answers.py --makers 10000 --out /tmp/a.jsonl`` (``--index DIR``
for another backend directory), then ``... --compare /tmp/a.jsonl /tmp/b.jsonl``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_issue12_gunicorn import distinct_search_urls  # noqa: E402

EXTRA = ("pantalonez mezclila", "mezclila", "jeens stretch", "costrua denim", "lavado a la piedra",
         "stone wash jeans", "screen printing playera", "garment making", "t-shirts bordados", "vaqueros",
         "pantal", "mezc", "denim bord", "la", "xyzzy qwerty", "uniformes escolares camisa sudadera chamarra",
         "lavanderia deslavado", "embroidery", "acabados finishing lavado", "tela fabric algodon")


def searches(n: int) -> list[tuple[str, dict]]:
    out = []
    for url in distinct_search_urls(n):
        out.append(("distinct", dict(parse_qsl(urlsplit(url).query))))
    for i, (_, args) in enumerate(out[:40]):
        q = args["q"].split()
        out.append(("sort", {**args, "sort": ("capacity", "name", "lead_time", "size")[i % 4]}))
        out.append(("page", {**args, "page": str(2 + i % 2)}))
        out.append(("text only", {"q": args["q"]}))
        out.append(("typo", {**args, "q": " ".join(w[:2] + w[3:] if len(w) > 5 else w for w in q)}))
        out.append(("prefix", {"q": " ".join(q[:-1] + [q[-1][:4]]), "state": args["state"]}))
        out.append(("geo", {"q": args["q"], "near": "20.67,-103.35", "radius_km": str(50 + 100 * (i % 3))}))
        out.append(("sort text only", {"q": args["q"], "sort": ("name", "capacity")[i % 2]}))
    for text in EXTRA:
        out.append(("extra", {"q": text}))
        out.append(("extra filtered", {"q": text, "process": "sewing", "min_quality": "standard"}))
    return out


def answer(be, args: dict) -> dict:
    from werkzeug.datastructures import MultiDict

    from matchmaker.search.queries import maker_query

    r = be.search("makers", maker_query(MultiDict(args)))
    return {"args": urlencode(args), "total": r.total, "ids": [h.id for h in r.hits],
            "scores": [round(h.score, 4) for h in r.hits], "facets": r.facets, "suggestion": r.suggestion}


def compare(a: str, b: str) -> int:
    left = [json.loads(line) for line in open(a)]
    right = [json.loads(line) for line in open(b)]
    assert len(left) == len(right), (len(left), len(right))
    bad = 0
    for x, y in zip(left, right):
        assert x["args"] == y["args"]
        diff = [k for k in ("total", "ids", "facets", "suggestion") if x[k] != y[k]]
        if len(x["scores"]) != len(y["scores"]) or any(abs(s - t) > 1e-4 for s, t in zip(x["scores"], y["scores"])):
            diff.append("scores")
        if diff:
            bad += 1
            print(x["label"], x["args"], diff)
    hits, suggested = sum(x["total"] > 0 for x in left), sum(bool(x["suggestion"]) for x in left)
    print(f"{len(left)} searches compared, {bad} differ; {hits} with hits, {suggested} with a suggestion")
    return bad


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=10000)
    ap.add_argument("--distinct", type=int, default=400)
    ap.add_argument("--index", help="a backend directory (default: the app's bench index of --makers)")
    ap.add_argument("--out")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = ap.parse_args()
    if args.compare:
        sys.exit(1 if compare(*args.compare) else 0)
    from indexing import open_backend

    be = open_backend(str(args.index or ROOT / "bench" / "out" / f"api-{args.makers}" / "search"), result_cache=0)
    with open(args.out, "w") as fh:
        for label, a in searches(args.distinct):
            fh.write(json.dumps({"label": label, **answer(be, a)}, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
