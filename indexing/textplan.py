"""How user text becomes a query, the same for every backend (see :class:`indexing.contract.Query`).

:func:`plan` cuts the text into *units*: a unit is one query word, or a run of words that
forms a synonym phrase (or a typo of one, :func:`typo_phrase`), together with its alternatives
from the index's synonym groups. A
backend turns each unit into "exact (stemmed) or fuzzy, or prefix for the last word, or a
synonym", requires :func:`minimum_should_match` of the units and boosts the words as a phrase.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from . import analysis

#: Score factor of a typo (fuzzy) match against an exact one, and of a prefix match.
FUZZY_WEIGHT = 0.2
PREFIX_WEIGHT = 0.5
SYNONYM_WEIGHT = 0.8
#: Words shorter than this are not completed as prefixes (one letter would expand to everything).
MIN_PREFIX = 2


def fuzziness(word: str) -> int:
    """Edits allowed for a typo: none below 4 letters, one for 4-7, two beyond (``fuzziness: AUTO:4,8``)."""
    n = len(word)
    return 0 if n < 4 else 1 if n < 8 else 2


def minimum_should_match(units: int) -> int:
    """Every unit when fewer than three, else two thirds of them rounded up."""
    return units if units < 3 else math.ceil(2 * units / 3)


@dataclass(frozen=True)
class Unit:
    words: tuple[str, ...]                      # folded query words (one, or a synonym phrase)
    synonyms: tuple[tuple[str, ...], ...] = ()  # alternatives, each a tuple of folded words
    prefix: bool = False                        # the user may still be typing this (last) word
    #: score factor of the alternatives: a typo of a synonym's word brings its group at the typo weight
    synonym_weight: float = SYNONYM_WEIGHT


def _fold_phrase(phrase: str) -> tuple[str, ...]:
    return tuple(analysis.words(phrase))


@lru_cache(maxsize=64)
def synonym_table(groups: tuple[tuple[str, ...], ...]) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Folded phrase -> the other folded phrases of its groups."""
    table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in groups:
        phrases = [p for p in dict.fromkeys(_fold_phrase(g) for g in group) if p]
        for p in phrases:
            alts = table.setdefault(p, [])
            alts.extend(q for q in phrases if q != p and q not in alts)
    return {k: tuple(v) for k, v in table.items()}


def plan(text: str, groups: tuple[tuple[str, ...], ...] = ()) -> list[Unit]:
    """The units of ``text`` (at most ``analysis.MAX_QUERY_TERMS`` words), in order."""
    words = analysis.query_words(text)
    table = synonym_table(groups) if groups else {}
    longest = max((len(k) for k in table), default=1)
    units: list[Unit] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            key = tuple(words[i : i + size])
            if key in table:
                units.append(Unit(key, table[key]))
                i += size
                break
            if size > 1 and (typo := typo_phrase(key, groups)):  # "stone wahs": a typo inside "stone wash"
                units.append(Unit(key, typo, synonym_weight=FUZZY_WEIGHT))
                i += size
                break
        else:
            typo = typo_synonyms(words[i], groups) if table else ()
            units.append(Unit((words[i],), typo, synonym_weight=FUZZY_WEIGHT) if typo else Unit((words[i],)))
            i += 1
    if units and len(units[-1].words) == 1 and len(units[-1].words[0]) >= MIN_PREFIX:
        last = units[-1]
        units[-1] = Unit(last.words, last.synonyms, prefix=True, synonym_weight=last.synonym_weight)
    return units


@lru_cache(maxsize=4096)
def typo_synonyms(word: str, groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """For a folded ``word`` that is no synonym itself: the one-word synonym entries closest to it within
    ``fuzziness(word)`` edits (a typo of "mezclilla": "mezclila"), each followed by the rest of its group,
    so a typo of a word finds what the word finds. Empty when none is that close."""
    allowed = fuzziness(word)
    if not allowed:
        return ()
    table = synonym_table(groups)
    best, keys = allowed + 1, []
    for key in table:
        if len(key) != 1 or abs(len(key[0]) - len(word)) > allowed:
            continue
        d = edit_distance(word, key[0], allowed + 1)
        if d < best:
            best, keys = d, [key]
        elif d == best:
            keys.append(key)
    out: list[tuple[str, ...]] = []
    for key in keys if best <= allowed else []:
        out.extend(a for a in (key, *table[key]) if a != (word,) and a not in out)
    return tuple(out)


@lru_cache(maxsize=4096)
def typo_phrase(words: tuple[str, ...], groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """For folded ``words`` (two or more) that are no synonym phrase themselves: the multi-word synonym
    entries of as many words closest to them, each word within ``fuzziness`` edits of the entry's word at
    its place (a typo inside "stone wash": "stone wahs"), each entry followed by the rest of its group, as
    :func:`typo_synonyms` does for one word. Empty when no entry is that close."""
    table = synonym_table(groups)
    best, keys = None, []
    for key in table:
        if len(key) != len(words) or key == words:
            continue
        total = 0
        for typed, entry in zip(words, key):
            allowed = fuzziness(typed)
            d = edit_distance(typed, entry, allowed + 1) if typed != entry else 0
            if d > allowed:
                break
            total += d
        else:
            if best is None or total < best:
                best, keys = total, [key]
            elif total == best:
                keys.append(key)
    out: list[tuple[str, ...]] = []
    for key in keys:
        out.extend(a for a in (key, *table[key]) if a != words and a not in out)
    return tuple(out)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a transposition is one edit), capped at ``limit``."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[-1], limit)
