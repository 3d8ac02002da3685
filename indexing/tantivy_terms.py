"""A word's typo (fuzzy) and prefix expansions on one commit, as index terms, kept until the next commit.

tantivy answers ``fuzzy_term_query`` (and a prefix query) with an automaton weight: for every search, on
every segment, it walks the term dictionary with a Levenshtein automaton and reads the *whole* posting
list of every matching term into a bitset of the segment's size, however selective the filters beside it
are. On the bench's 100k makers that was most of a search's time. The terms themselves change only with a
commit, so they are looked up once per commit (:class:`TermExpansions`) and the clause becomes a
disjunction-max of constant-score term queries (:func:`any_term`), which scores exactly as the automaton
did (the clause's boost when any of the terms is present, whatever their number) and, being made of term
postings, is skipped through by the filters instead of read whole.

Typo distance is the optimal string alignment distance (a transposition is one edit), as tantivy's
``fuzzy_term_query(..., transposition_cost_one=True)`` and :func:`indexing.textplan.edit_distance` count it.
"""

from __future__ import annotations

import threading

import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA
from tantivy import Query as TQ

#: Beyond this many terms, one automaton pass (tantivy's own query) is cheaper than that many postings.
MAX_TERMS = 24
#: Most expansions remembered per commit (words typed repeat; a new commit starts afresh).
MAX_MEMO = 20_000


class TermExpansions:
    """Per physical index: the current commit's terms of each ``__w`` field, by length, and the
    expansions already looked up. :meth:`forget` is called when the searcher moves to a new commit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        self.by_length: dict[str, dict[int, list[str]]] = {}
        self.memo: dict[tuple[str, str, int, bool], tuple[str, ...] | None] = {}

    def _terms(self, searcher: tantivy.Searcher, field: str) -> dict[int, list[str]]:
        by_length = self.by_length.get(field)
        if by_length is None:
            by_length = {}
            for term, _ in searcher.terms_with_prefix(field, ""):
                by_length.setdefault(len(term), []).append(term)
            self.by_length[field] = by_length
        return by_length

    def lookup(self, searcher: tantivy.Searcher, field: str, word: str, distance: int,
               prefix: bool) -> tuple[str, ...] | None:
        """The terms of ``field`` within ``distance`` edits of ``word`` (``prefix``: the terms starting with
        it), or None when there are more than MAX_TERMS."""
        key = (field, word, distance, prefix)
        memo = self.memo
        if key in memo:
            return memo[key]
        if prefix:
            terms = [t for t, _ in searcher.terms_with_prefix(field, word, limit=MAX_TERMS + 1)]
        else:
            by_length = self._terms(searcher, field)
            terms = []
            for n in range(len(word) - distance, len(word) + distance + 1):
                if n in by_length:
                    terms += [t for t, _, _ in process.extract(word, by_length[n], scorer=OSA.distance,
                                                               score_cutoff=distance, limit=None)]
        out = tuple(sorted(terms)) if len(terms) <= MAX_TERMS else None
        with self._lock:
            if len(memo) >= MAX_MEMO:
                memo.clear()
            memo[key] = out
        return out

    def on(self, searcher: tantivy.Searcher) -> Lookup:
        return Lookup(self, searcher)


class Lookup:
    """:class:`TermExpansions` bound to one searcher (what a query being built asks)."""

    def __init__(self, expansions: TermExpansions, searcher: tantivy.Searcher) -> None:
        self.expansions, self.searcher = expansions, searcher

    def __call__(self, field: str, word: str, distance: int, prefix: bool) -> tuple[str, ...] | None:
        return self.expansions.lookup(self.searcher, field, word, distance, prefix)


def any_term(schema: tantivy.Schema, field: str, terms: tuple[str, ...], score: float) -> TQ:
    """``score`` for a document holding any of ``terms`` in ``field``: what an automaton query boosted by
    ``score`` gives it (its scorer is a constant ``score``, however many of its terms match)."""
    if not terms:
        return TQ.empty_query()
    clauses = [TQ.const_score_query(TQ.term_query(schema, field, t), score) for t in terms]
    return clauses[0] if len(clauses) == 1 else TQ.disjunction_max_query(clauses)
