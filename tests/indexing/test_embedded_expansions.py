"""The embedded engine's typo and prefix expansions, looked up once per commit (indexing/tantivy_terms.py):
the same documents and scores as tantivy's own automaton queries, and a commit's new terms are seen."""
from __future__ import annotations

import dataclasses

from indexing_fixtures import DOCS, SPEC
from tantivy import Query as TQ

from indexing import Query, open_backend
from indexing.tantivy_terms import TermExpansions, any_term


def _typos(word: str) -> set[str]:
    """One deletion, transposition, substitution and insertion at each place, and a two-edit variant."""
    out = {word}
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1:])
        out.add(word[:i] + "x" + word[i + 1:])
        out.add(word[:i] + "q" + word[i:])
        if i + 1 < len(word):
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    out.add("z" + word[1:-1])
    return {w for w in out if len(w) >= 2}


def _matches(searcher, q) -> dict[tuple, float]:
    n = searcher.num_docs
    return {(a.segment_ord, a.doc): round(s, 5) for s, a in searcher.search(q, n, count=False).hits}


def test_expansions_match_the_same_documents_with_the_same_scores_as_the_automaton(tmp_path):
    be = open_backend(str(tmp_path))
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS[:5])
    be.upsert(SPEC.name, DOCS[5:])   # two segments
    p = be._open(SPEC.name)
    searcher, schema, expansions = p.searcher(), p.schema, TermExpansions()
    checked = 0
    for field in ("name__w", "description__w"):
        vocabulary = [t for t, _ in searcher.terms_with_prefix(field, "")]
        assert len(vocabulary) > 20
        for word in sorted({typo for t in vocabulary for typo in _typos(t)}):
            for distance, prefix in ((1, False), (2, False), (0, True)):
                terms = expansions.lookup(searcher, field, word, distance, prefix)
                if terms is None:       # too many terms: the automaton query is kept
                    continue
                auto = TQ.boost_query(TQ.fuzzy_term_query(schema, field, word, distance=distance, prefix=prefix), 0.7)
                assert _matches(searcher, any_term(schema, field, terms, 0.7)) == _matches(searcher, auto), \
                    (field, word, distance, prefix, terms)
                checked += bool(terms)
    assert checked > 500


def test_a_typo_finds_a_word_a_later_commit_added(tmp_path):
    be = open_backend(str(tmp_path), result_cache=0)
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    assert be.search(SPEC.name, Query(text="overolez")).total == 0
    be.upsert(SPEC.name, [{"id": "m99", "version": 1, "name": "Overoles Tonalá"}])
    result = be.search(SPEC.name, Query(text="overolez"))     # "overoles" within two edits, new in this commit
    assert [h.id for h in result.hits] == ["m99"]


def _addresses(searcher, q) -> set[tuple[int, int]]:
    return {(a.segment_ord, a.doc) for _, a in searcher.search(q, searcher.num_docs, count=False).hits}


def test_the_counting_query_matches_the_same_documents_as_the_scoring_one(tmp_path):
    """The counting passes (total of a field sort, facets, did-you-mean) use one union of ``__w`` terms per
    word (:meth:`TextQuery.matching`): the same documents as the scoring clauses, word by word and under
    the minimum-should-match of several words, with synonyms (one word and phrases), typos and prefixes."""
    import itertools
    import random

    from indexing import synonyms, textplan

    spec = dataclasses.replace(SPEC, synonyms=synonyms.load())
    be = open_backend(str(tmp_path))
    be.ensure_index(spec)
    be.upsert(spec.name, DOCS[:4])
    be.upsert(spec.name, DOCS[4:])   # two segments
    p = be._open(spec.name)
    searcher, text = p.searcher(), p.searching.text
    lookup = p.searching.memo.terms.on(searcher)
    vocabulary = sorted({t for f in ("name__w", "description__w") for t, _ in searcher.terms_with_prefix(f, "")})
    words = vocabulary + ["denim", "jeans", "sewing", "stone wash", "lavado a la piedra", "pantalon", "pantalones",
                          "washes", "bordados", "mezclila", "costrua", "lavanderai", "deni", "bord", "xyzzy", "la"]
    rng = random.Random(5)
    texts = words + [" ".join(rng.sample(words, n)) for n in (2, 3, 4, 5) for _ in range(150)]
    texts += [" ".join(c) for c in itertools.combinations(["mezclilla", "denim", "jeans", "costura"], 3)]
    nonempty = 0
    for t in texts:
        units = textplan.plan(t, spec.synonyms)
        scoring, counting = text.build(units, lookup, phrases=False), text.matching(units, lookup)
        if scoring is None:     # stopwords only
            assert counting is None
            continue
        expected = _addresses(searcher, scoring)
        assert _addresses(searcher, counting) == expected, t
        nonempty += bool(expected)
    assert nonempty > 200


def test_a_prefix_of_many_terms_is_counted_whole(tmp_path):
    """Beyond MAX_TERMS terms a word's terms are one term set: every document is still counted and faceted."""
    be = open_backend(str(tmp_path), result_cache=0)
    be.ensure_index(SPEC)
    names = [f"Pa{a}{b}x Taller" for a in "bcdfghjklm" for b in "aeiou"]     # 50 words starting with "pa"
    be.upsert(SPEC.name, [{"id": f"t{i:02d}", "version": 1, "name": n, "state": ("Jalisco", "Puebla")[i % 2]}
                          for i, n in enumerate(names)])
    result = be.search(SPEC.name, Query(text="taller pa", facets=("state",), sort="headcount"))
    assert result.total == 50
    assert result.facets["state"] == {"Jalisco": 25, "Puebla": 25}


def test_a_search_still_on_the_older_commit_does_not_hide_a_new_document(tmp_path):
    # a search took its searcher, another writer committed a new maker, a second search reloaded; the
    # first then remembered its (older) vocabulary: searches on the new commit must still find the maker
    # in totals and field sorts (which match words through the remembered stems), not only by score
    be = open_backend(str(tmp_path))
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    p = be._open(SPEC.name)
    in_flight = Query(text="overoles tonala", sort="headcount")
    memo, old = p.searching.memo, p.searcher()          # the first search, as cached_search starts it
    writer = open_backend(str(tmp_path))                 # another process's writer
    writer.upsert(SPEC.name, [{"id": "m99", "version": 1, "name": "Overoles Tonalá", "headcount": 12}])
    writer.close()
    assert be.search(SPEC.name, Query(text="overoles tonala")).total == 1   # reloads
    from indexing.validation import check_query
    filters, sort = check_query(p.spec, in_flight)
    assert p.searching.search(old, in_flight, filters, sort, memo).total == 0  # the older commit's answer
    for sort_by in (None, "headcount", "-headcount"):
        r = be.search(SPEC.name, Query(text="overoles tonala", sort=sort_by))
        assert r.total == 1 and [h.id for h in r.hits] == ["m99"], sort_by
