"""The new text, facet, source, suggestion and completion semantics on the Elasticsearch backend
(osmem-server here, or a real cluster through MATCHMAKER_TEST_ELASTICSEARCH_URL).

The backend-neutral suite checks the same rules on every backend; these cases pin the
Elasticsearch request itself (post_filter, minimum_should_match) and the buyer-visible cases
of issue 12 (typos, prefixes, all words, synonyms).
"""
from __future__ import annotations

import os
from dataclasses import replace

import pytest
from indexing_fixtures import DOCS

from indexing import AllOf, AnyOf, Query, Range, open_backend
from indexing.elastic_query import min_should_match

SYNONYMS = (("mezclilla", "denim"), ("vaquero", "jeans"), ("playera", "t-shirt"),
            ("lavandería", "laundry", "wash"), ("maquila", "assembly"))


@pytest.fixture
def es(es_target, spec):
    url, options, _ = es_target
    b = open_backend(url, **options)
    fields = tuple(replace(f, complete=True) if f.name in ("name", "state") else f for f in spec.fields)
    s = replace(spec, fields=fields, synonyms=SYNONYMS)
    b.ensure_index(s)
    b.upsert(s.name, DOCS + [
        {"id": "t1", "version": 1, "name": "Playeras Tonalá", "description": "Playeras de algodón estampadas"},
        {"id": "t2", "version": 1, "name": "Shirt House", "description": "Plain t-shirt blanks for brands"},
    ])
    yield b, s.name
    b.client.indices.delete(index=list(b.client.indices.get_alias(name=s.name)))
    b.close()


def hits(b, index, **kw):
    return [h.id for h in b.search(index, Query(per_page=50, **kw)).hits]


def test_min_should_match_rule():
    assert [min_should_match(n) for n in range(1, 8)] == [1, 2, 2, 3, 4, 4, 5]


def test_all_words_preferred_not_any_word(es):
    b, index = es
    # "stretch" and "dama" are only in m1; with one word of three, m4 and m7 (mezclilla) no longer match
    assert hits(b, index, text="mezclilla stretch dama") == ["m1"]
    # two of three words are enough: "laser" + "finishing" without "pantalón"
    assert "m3" in hits(b, index, text="laser finishing pantalón")


def test_phrase_proximity_ranks_higher(es):
    b, index = es
    got = hits(b, index, text="industrial laundry")
    # m2 has "Lavandería industrial" (synonym + adjacent); nobody else holds both
    assert got[0] == "m2"


@pytest.mark.parametrize("typo,expected", [("denmi", {"m3", "m6"}), ("lavandria", {"m2"}),
                                           ("Tlaquepaqe", {"m5"}), ("bordados", {"m7"})])
def test_typos_find_the_maker(es, typo, expected):
    b, index = es
    assert expected <= set(hits(b, index, text=typo))


def test_typo_ranks_below_exact(es):
    b, index = es
    b.upsert(index, [{"id": "x1", "version": 1, "name": "Denim"}, {"id": "x2", "version": 1, "name": "Demim"}])
    got = hits(b, index, text="denim")
    assert got.index("x1") < got.index("x2")


def test_short_words_need_exact_match(es):
    b, index = es
    assert hits(b, index, text="gdx", autocorrect=False) == []  # 3 letters: no edit allowed ("gdl" is not matched)


@pytest.mark.parametrize("prefix,expected", [("pantal", {"m1", "m4"}), ("lavand", {"m2"}), ("Aguasc", {"m6"})])
def test_last_word_matches_as_prefix(es, prefix, expected):
    b, index = es
    assert expected <= set(hits(b, index, text=prefix))


def test_synonyms_both_ways(es):
    b, index = es
    assert {"m3", "m6"} <= set(hits(b, index, text="mezclilla"))       # Spanish finds English
    assert {"m1", "m4", "m7"} <= set(hits(b, index, text="denim"))     # and back
    assert {"t1", "t2"} <= set(hits(b, index, text="playera"))          # one word ↔ a phrase
    assert "t1" in hits(b, index, text="t-shirt")


def test_disjunctive_facets_with_post_filter(es):
    b, index = es
    r = b.search(index, Query(filters=(AnyOf("state", ("Jalisco",)), AnyOf("processes", ("sewing",))),
                              facets=("state", "processes")))
    assert r.total == 2 and {h.id for h in r.hits} == {"m1", "m4"}
    assert r.facets["state"] == {"Jalisco": 2, "Aguascalientes": 1, "Guanajuato": 1}   # sewing makers by state
    assert r.facets["processes"]["sewing"] == 2 and r.facets["processes"]["embroidery"] == 1  # Jalisco by process


def test_allof_still_narrows_its_own_facet(es):
    b, index = es
    r = b.search(index, Query(filters=(AllOf("processes", ("laundry",)),), facets=("processes",)))
    assert r.facets["processes"]["laundry"] == r.total == 2


def test_range_facet_ignores_its_own_range(es):
    b, index = es
    r = b.search(index, Query(filters=(Range("headcount", lte=50),), facets=("state",),
                              range_facets={"headcount": [(None, 50), (50, None)]}))
    assert r.total == 5
    assert r.facets["headcount"] == {"*-50": 5, "50-*": 3}
    assert r.facets["state"]["Jalisco"] == 3


def test_include_source_returns_the_stored_document(es):
    b, index = es
    hit = b.search(index, Query(text="hilos", include_source=True)).hits[0]
    assert hit.id == "m8"
    assert hit.source["name"] == "Hilos del Norte" and hit.source["processes"] == ["supplies"]
    assert hit.source["version"] == 1 and hit.source["id"] == "m8"
    assert b.search(index, Query(text="hilos")).hits[0].source is None


def test_did_you_mean(es):
    b, index = es
    r = b.search(index, Query(text="demin jakcets", autocorrect=False))
    assert r.total == 0 and r.suggestion == "denim jackets"
    assert b.search(index, Query(text=r.suggestion)).total > 0
    assert b.search(index, Query(text="qqqqzz")).suggestion is None
    # a correction that would still find nothing under the filters is not offered
    assert b.search(index, Query(text="demin", filters=(AnyOf("state", ("Nuevo León",)),))).suggestion is None
    assert b.search(index, Query(text="denim")).suggestion is None


def test_complete_names_and_keywords(es):
    b, index = es
    got = b.complete(index, "den")
    assert [(c.id, c.field, c.text) for c in got][:2] == [("m3", "name", "Denim Works León"),
                                                          ("m6", "name", "Aguascalientes Denim Lab")]
    assert [c.text for c in b.complete(index, "denim wo")] == ["Denim Works León"]
    assert [c.text for c in b.complete(index, "lavendería ind")] == ["Lavandería Industrial del Bajío"]  # typo
    assert {c.text for c in b.complete(index, "jal")} == {"Jalisco"}
    assert len(b.complete(index, "a", size=2)) <= 2
    assert b.complete(index, "zzzz") == [] and b.complete(index, "***") == []


def test_request_shape(es):
    b, index = es
    spec = b._spec(index)
    body = b.build_search(spec, Query(text="a b c d mezclilla", filters=(AnyOf("state", ("Jalisco",)),),
                                      facets=("state",))).to_dict()
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"state": ["Jalisco"]}}]}}
    main = body["query"]["bool"]["must"][0]["bool"]["must"][0]["bool"]
    assert main["minimum_should_match"] == 3 and len(main["should"]) == 4  # "a" is a stopword; ceil(8/3)
    assert os.environ.get("MATCHMAKER_TEST_ELASTICSEARCH_URL") or body["aggs"]["f_state"]["terms"]["field"] == "state"
