"""Synonym groups kept as data (``trade.txt``, Solr-style lines).

Each non-comment line is one equivalence group: words or phrases separated by commas,
applied to query text in both directions. :func:`load` returns them in the shape
:attr:`indexing.contract.IndexSpec.synonyms` takes.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse(text: str) -> tuple[tuple[str, ...], ...]:
    """Groups from Solr-style synonym text: ``a, b, c`` per line, ``#`` comments, blank lines ignored.

    One-way rules (``a => b``) are rejected: the contract applies groups both ways."""
    groups: list[tuple[str, ...]] = []
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            raise ValueError(f"line {no}: one-way rules ('=>') are not supported, write an equivalence group")
        terms = tuple(dict.fromkeys(t.strip() for t in line.split(",") if t.strip()))
        if len(terms) >= 2:
            groups.append(terms)
    return tuple(groups)


def load(name: str = "trade") -> tuple[tuple[str, ...], ...]:
    """The groups of ``indexing/synonyms/<name>.txt`` (or of a path to such a file)."""
    path = Path(name) if ("/" in name or name.endswith(".txt")) else HERE / f"{name}.txt"
    return parse(path.read_text(encoding="utf-8"))
