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

from . import analysis

#: Beyond this many terms, one automaton pass (tantivy's own query) is cheaper than that many postings.
MAX_TERMS = 24
#: Most terms kept for a term set (:meth:`Lookup.expanded`); beyond, the scoring clauses are used.
MAX_SET_TERMS = 4096
#: Most expansions remembered per commit (words typed repeat; a new commit starts afresh).
MAX_MEMO = 20_000
#: Most terms whose stems are remembered across commits.
MAX_STEMMED = 500_000


class TermExpansions:
    """One commit of one physical index: the terms of each ``__w`` field, by length, and the expansions
    already looked up. A new commit gets a new instance (:meth:`indexing.tantivy_search.Searching.forget`
    swaps it, never clears this one), so a search still running on the older commit fills only its own."""

    def __init__(self, stemmed: dict[str, tuple[str, str]] | None = None) -> None:
        self._lock = threading.Lock()
        #: term -> its (Spanish, English) stems, shared by the commits of one index (stemming 30,000 terms
        #: costs ≈ 50 ms; a term's stems never change)
        self._stemmed: dict[str, tuple[str, str]] = {} if stemmed is None else stemmed
        self.by_length: dict[str, dict[int, list[str]]] = {}
        #: field -> (Spanish stem -> terms, English stem -> terms)
        self.stems: dict[str, tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]] = {}
        self.memo: dict[tuple[str, str, int, bool], tuple[str, ...] | None] = {}

    def _terms(self, searcher: tantivy.Searcher, field: str) -> dict[int, list[str]]:
        by_length = self.by_length.get(field)
        if by_length is None:
            by_length = {}
            for term, _ in searcher.terms_with_prefix(field, ""):
                by_length.setdefault(len(term), []).append(term)
            self.by_length[field] = by_length
        return by_length

    def same_stem(self, searcher: tantivy.Searcher, field: str, word: str) -> tuple[str, ...]:
        """The terms of ``field`` (a text field's ``__w``) whose Spanish stem is ``word``'s or whose English
        stem is: the documents with one of them are exactly those with ``word``'s stem in ``__es`` or
        ``__en`` (each document's stems are its words' stems, :func:`indexing.tantivy_schema.to_document`)."""
        maps = self.stems.get(field)
        if maps is None:
            terms = [t for length in self._terms(searcher, field).values() for t in length]
            stemmed = self._stemmed
            got = {t: stemmed.get(t) for t in terms}
            new = [t for t, pair in got.items() if pair is None]
            fresh = dict(zip(new, zip(analysis.stem_es(new), analysis.stem_en(new))))
            got.update(fresh)
            with self._lock:
                if len(stemmed) + len(fresh) > MAX_STEMMED:
                    stemmed.clear()
                stemmed.update(fresh)
            es: dict[str, list[str]] = {}
            en: dict[str, list[str]] = {}
            for t, (s_es, s_en) in got.items():
                es.setdefault(s_es, []).append(t)
                en.setdefault(s_en, []).append(t)
            maps = ({k: tuple(v) for k, v in es.items()}, {k: tuple(v) for k, v in en.items()})
            self.stems[field] = maps
        s_es, s_en = analysis.stem_es([word])[0], analysis.stem_en([word])[0]
        return maps[0].get(s_es, ()) + maps[1].get(s_en, ())

    def lookup(self, searcher: tantivy.Searcher, field: str, word: str, distance: int,
               prefix: bool, cap: int = MAX_TERMS) -> tuple[str, ...] | None:
        """The terms of ``field`` within ``distance`` edits of ``word`` (``prefix``: the terms starting with
        it), or None when there are more than ``cap`` (at most MAX_SET_TERMS)."""
        key = (field, word, distance, prefix)
        memo = self.memo
        if key in memo:
            out = memo[key]
        else:
            if prefix:
                terms = [t for t, _ in searcher.terms_with_prefix(field, word, limit=MAX_SET_TERMS + 1)]
            else:
                by_length = self._terms(searcher, field)
                terms = []
                for n in range(len(word) - distance, len(word) + distance + 1):
                    if n in by_length:
                        terms += [t for t, _, _ in process.extract(word, by_length[n], scorer=OSA.distance,
                                                                   score_cutoff=distance, limit=None)]
            out = tuple(sorted(terms)) if len(terms) <= MAX_SET_TERMS else None
            with self._lock:
                if len(memo) >= MAX_MEMO:
                    memo.clear()
                memo[key] = out
        return out if out is not None and len(out) <= cap else None

    def on(self, searcher: tantivy.Searcher) -> Lookup:
        return Lookup(self, searcher)


class Lookup:
    """:class:`TermExpansions` bound to one searcher (what a query being built asks)."""

    def __init__(self, expansions: TermExpansions, searcher: tantivy.Searcher) -> None:
        self.expansions, self.searcher = expansions, searcher

    def __call__(self, field: str, word: str, distance: int, prefix: bool) -> tuple[str, ...] | None:
        return self.expansions.lookup(self.searcher, field, word, distance, prefix)

    def expanded(self, field: str, word: str, distance: int, prefix: bool) -> tuple[str, ...] | None:
        """As a call, up to MAX_SET_TERMS terms (for a term set, which reads each posting list once)."""
        return self.expansions.lookup(self.searcher, field, word, distance, prefix, MAX_SET_TERMS)

    def same_stem(self, field: str, word: str) -> tuple[str, ...]:
        return self.expansions.same_stem(self.searcher, field, word)


def any_term(schema: tantivy.Schema, field: str, terms: tuple[str, ...], score: float) -> TQ:
    """``score`` for a document holding any of ``terms`` in ``field``: what an automaton query boosted by
    ``score`` gives it (its scorer is a constant ``score``, however many of its terms match)."""
    if not terms:
        return TQ.empty_query()
    clauses = [TQ.const_score_query(TQ.term_query(schema, field, t), score) for t in terms]
    return clauses[0] if len(clauses) == 1 else TQ.disjunction_max_query(clauses)
