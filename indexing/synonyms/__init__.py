"""Trade synonym groups kept as data (``trade.txt``, Solr-style ``a, b, c`` lines).

(searchapp branch copy for testing; the tantivy branch's module wins on merge.)
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TRADE = Path(__file__).with_name("trade.txt")


@lru_cache(maxsize=4)
def load(path: str | Path = TRADE) -> tuple[tuple[str, ...], ...]:
    groups = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            group = tuple(dict.fromkeys(w.strip() for w in line.split(",") if w.strip()))
            if len(group) > 1:
                groups.append(group)
    return tuple(groups)
