"""One contract, run on every backend with the same fixtures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexing import (
    AllOf,
    AnyOf,
    BadQuery,
    GeoDistance,
    NoneOf,
    Query,
    Range,
    SearchBackend,
    SearchResult,
    UnknownIndex,
)
from indexing_fixtures import AGS, DOCS, GDL, many_docs


def ids(result: SearchResult) -> set[str]:
    return {h.id for h in result.hits}


def search(backend, index, **kw) -> SearchResult:
    return backend.search(index, Query(per_page=100, **kw))


def test_is_a_search_backend(backend):
    assert isinstance(backend, SearchBackend)
    assert backend.health()["ok"] is True


def test_ensure_index_is_idempotent(backend, spec):
    backend.ensure_index(spec)
    backend.ensure_index(spec)
    assert backend.versions(spec.name) == {}


def test_unknown_index(backend):
    with pytest.raises(UnknownIndex):
        backend.search("nope_not_here", Query())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("lavandería", {"m2"}),           # accent in query, doc has it too
        ("lavanderia", {"m2"}),           # no accent in query
        ("pantalón", {"m1", "m4"}),       # singular finds plural "pantalones" (Spanish stemming)
        ("pantalones", {"m1", "m4"}),
        ("washes", {"m2", "m3"}),         # English stemming: "wash" and "washes"
        ("jean", {"m3", "m6"}),           # "jeans"
        ("CONFECCION", {"m4"}),           # case and accent folding
        ("bordado", {"m7"}),              # "Bordados" / "Bordado"
        ("laser", {"m1", "m3"}),          # "láser" (es) and "laser" (en)
        ("zzzunknown", set()),
    ],
)
def test_bilingual_text(loaded, text, expected):
    backend, index = loaded
    assert ids(search(backend, index, text=text)) == expected


def test_more_matching_terms_rank_higher(loaded):
    backend, index = loaded
    result = search(backend, index, text="mezclilla stretch dama")
    assert result.hits[0].id == "m1"
    # three words: two of them must match (minimum should match), so "mezclilla" alone is not enough
    assert ids(result) == {"m1"}
    result = search(backend, index, text="mezclilla prendas bordado")
    assert result.hits[0].id == "m7" and "m1" not in ids(result)
    two = search(backend, index, text="mezclilla lavado")  # fewer than three words: all must match
    assert ids(two) == {"m1"}


def test_boost_name_over_description(loaded):
    backend, index = loaded
    # "denim" is in the name of m3 and m6 and only in the description of none else
    result = search(backend, index, text="denim")
    assert ids(result) == {"m3", "m6"}


def test_empty_text_matches_all_sorted_by_id(loaded):
    backend, index = loaded
    result = search(backend, index)
    assert result.total == len(DOCS)
    assert [h.id for h in result.hits] == sorted(d["id"] for d in DOCS)
    assert all(h.score == 0 for h in result.hits)


@pytest.mark.parametrize(
    "text",
    ['a: ( ) " * ? \\ / [ ] { } ~ ^ AND OR NOT', "denim AND (", "*", '"unclosed', "jeans~2^5", "x" * 10_000,
     "mezclilla " * 2000, "\x00\u200b\ufffd", "-denim +jeans | lavado"],
)
def test_special_text_never_raises(loaded, text):
    backend, index = loaded
    result = search(backend, index, text=text)
    assert result.total >= 0


def test_filters(loaded):
    backend, index = loaded
    cases = {
        (AllOf("processes", ("cutting", "sewing")),): {"m1", "m4", "m6"},
        (AnyOf("processes", ("laundry", "printing")),): {"m2", "m3", "m7"},
        (AnyOf("state", ("Jalisco",)), Range("headcount", gte=30, lte=60)): {"m1", "m5", "m7"},
        (Range("monthly_capacity", gte=50000),): {"m2", "m3"},
        (Range("founded", gte="2010-01-01"),): {"m4", "m5", "m6", "m8"},
        (GeoDistance("location", *GDL, km=15),): {"m1", "m4", "m5", "m7"},
        (GeoDistance("location", *AGS, km=10),): {"m2", "m6"},
        (GeoDistance("location", *GDL, km=175),): {"m1", "m2", "m4", "m5", "m6", "m7"},
        (GeoDistance("location", *GDL, km=190),): {"m1", "m2", "m3", "m4", "m5", "m6", "m7"},
        (AnyOf("verified", (True,)),): {"m1", "m2", "m5", "m7"},
        (AllOf("processes", ("sewing",)), AnyOf("certificates", ("WRAP", "OEKO-TEX")),
         GeoDistance("location", *GDL, km=400)): {"m1", "m3"},
    }
    for filters, expected in cases.items():
        assert ids(search(backend, index, filters=filters)) == expected, filters


def test_none_of_excludes_ids_and_keywords_from_hits_totals_and_facets(loaded):
    """What the app uses to hide documents it knows are stale: gone from the page, the total and the facets."""
    backend, index = loaded
    jalisco = (AnyOf("state", ("Jalisco",)),)          # m1 m4 m5 m7
    result = backend.search(index, Query(filters=jalisco + (NoneOf("id", ("m4", "m7", "nope")),),
                                         facets=("processes",), per_page=1))
    assert result.total == 2 and [h.id for h in result.hits] == ["m1"]
    assert result.facets["processes"] == {"finishing": 2, "cutting": 1, "sewing": 1, "packing": 1}
    assert ids(search(backend, index, text="mezclilla", filters=(NoneOf("id", ("m1",)),))) == {"m4", "m7"}
    assert ids(search(backend, index, filters=jalisco + (NoneOf("processes", ("sewing", "printing")),))) == {"m5"}
    assert ids(search(backend, index, filters=jalisco + (NoneOf("id", ()),))) == {"m1", "m4", "m5", "m7"}
    backend.delete(index, ["m5"])
    backend.upsert(index, [{**DOCS[3], "version": 2, "name": "Confección Zapopan"}])  # m4, changed
    assert ids(search(backend, index, filters=jalisco + (NoneOf("id", ("m4",)),))) == {"m1", "m7"}
    with pytest.raises(BadQuery):
        search(backend, index, filters=(NoneOf("headcount", ("1",)),))


def test_text_and_filters(loaded):
    backend, index = loaded
    result = search(backend, index, text="mezclilla", filters=(AnyOf("state", ("Jalisco",)),
                                                               Range("headcount", lte=40)))
    assert ids(result) == {"m4", "m7"}


def test_facets_over_filtered_set(loaded):
    backend, index = loaded
    result = backend.search(index, Query(
        filters=(AnyOf("state", ("Jalisco", "Aguascalientes")),),
        facets=("processes", "state", "certificates"),
        range_facets={"headcount": [(None, 50), (50, 250), (250, None)]},
        per_page=1,
    ))
    assert result.total == 6
    assert len(result.hits) == 1
    # disjunctive: the state facet ignores the state filter, so the other states stay visible
    assert result.facets["state"] == {"Jalisco": 4, "Aguascalientes": 2, "Guanajuato": 1, "Nuevo León": 1}
    assert result.facets["processes"] == {"cutting": 3, "sewing": 3, "finishing": 3, "laundry": 1,
                                          "design": 1, "embroidery": 1, "packing": 1, "printing": 1}
    assert list(result.facets["processes"])[:3] == ["cutting", "finishing", "sewing"]  # count desc, key asc
    assert result.facets["certificates"] == {"WRAP": 3, "ISO9001": 2}
    assert result.facets["headcount"] == {"*-50": 4, "50-250": 2, "250-*": 0}


def test_sorting(loaded):
    backend, index = loaded
    asc = [h.id for h in search(backend, index, sort="headcount").hits]
    assert asc == ["m8", "m6", "m4", "m7", "m1", "m5", "m2", "m3"]
    desc = [h.id for h in search(backend, index, sort="-headcount").hits]
    assert desc == asc[::-1]
    # missing values sort last both ways
    cap = [h.id for h in search(backend, index, sort="-monthly_capacity").hits]
    assert cap[-1] == "m8"
    assert [h.id for h in search(backend, index, sort="-state").hits][:3] == ["m8", "m1", "m4"]
    assert [h.id for h in search(backend, index, sort="founded").hits][0] == "m2"


def test_update_delete_and_stale_versions(loaded):
    backend, index = loaded
    backend.upsert(index, [{**DOCS[0], "version": 2, "description": "Solo overoles", "state": "Colima"}])
    assert ids(search(backend, index, text="overol")) == {"m1"}
    assert ids(search(backend, index, text="stretch")) == set()
    # a replayed, older version must not overwrite the newer one
    backend.upsert(index, [{**DOCS[0], "version": 1}])
    backend.upsert(index, [{**DOCS[0], "version": 2, "description": "same version is ignored"}])
    assert ids(search(backend, index, text="overol")) == {"m1"}
    assert ids(search(backend, index, filters=(AnyOf("state", ("Colima",)),))) == {"m1"}
    backend.delete(index, ["m2", "does-not-exist"])
    assert "m2" not in ids(search(backend, index))
    versions = backend.versions(index)
    assert versions == {d["id"]: (2 if d["id"] == "m1" else 1) for d in DOCS if d["id"] != "m2"}


def test_out_of_order_batch(backend, spec):
    backend.ensure_index(spec)
    backend.upsert(spec.name, [{"id": "x", "version": 3, "name": "tres"}, {"id": "x", "version": 2, "name": "dos"}])
    assert backend.versions(spec.name) == {"x": 3}
    assert ids(search(backend, spec.name, text="tres")) == {"x"}


def test_deep_pagination(backend, spec):
    backend.ensure_index(spec)
    docs = many_docs(250)
    backend.upsert(spec.name, docs)
    for sort in ("headcount", "-headcount", "score", "-state"):
        for text in ("", "taller"):  # "taller": equal scores everywhere, so ties break by id
            full = backend.search(spec.name, Query(text=text, sort=sort, per_page=100, page=1))
            pages = []
            for page in range(1, 20):
                r = backend.search(spec.name, Query(text=text, sort=sort, per_page=13, page=page))
                assert r.total == 250
                pages += [h.id for h in r.hits]
            assert len(pages) == len(set(pages))  # no duplicates
            assert len(pages) == 247  # 19 pages * 13
            full_ids = []
            for page in (1, 2, 3):
                full_ids += [h.id for h in backend.search(
                    spec.name, Query(text=text, sort=sort, per_page=100, page=page)).hits]
            assert pages == full_ids[:247], (sort, text)
            assert len(set(full_ids)) == 250
            assert full.total == 250
    past = backend.search(spec.name, Query(page=30, per_page=100))
    assert past.total == 250 and past.hits == []


@pytest.mark.parametrize(
    "query, field",
    [
        (Query(filters=(AnyOf("colour", ("blue",)),)), "colour"),
        (Query(filters=(AllOf("headcount", ("x",)),)), "headcount"),
        (Query(filters=(Range("state", gte=1),)), "state"),
        (Query(filters=(Range("headcount", gte="many"),)), "headcount"),
        (Query(filters=(GeoDistance("location", 20.6, -103.3, -5),)), "location"),
        (Query(filters=(GeoDistance("location", 95, -103.3, 5),)), "location"),
        (Query(page=0), "page"),
        (Query(per_page=0), "per_page"),
        (Query(per_page=101), "per_page"),
        (Query(page=101, per_page=100), "page"),  # beyond MAX_RESULT_WINDOW
        (Query(sort="colour"), "sort"),
        (Query(sort="description"), "sort"),
        (Query(facets=("headcount",)), "headcount"),
        (Query(range_facets={"state": [(0, 1)]}), "state"),
    ],
)
def test_bad_query(loaded, query, field):
    backend, index = loaded
    with pytest.raises(BadQuery) as err:
        backend.search(index, query)
    assert err.value.field == field
    assert err.value.problem


def test_bad_document_is_rejected(backend, spec):
    backend.ensure_index(spec)
    with pytest.raises(ValueError):
        backend.upsert(spec.name, [{"id": "z", "version": 1, "colour": "blue"}])
    with pytest.raises(ValueError):
        backend.upsert(spec.name, [{"id": "z", "version": 1, "headcount": "many"}])


def test_rebuild_swaps_alias(loaded, spec):
    backend, index = loaded
    seen = []
    new_docs = [{"id": "n1", "version": 7, "name": "Nueva Lavandería", "processes": ["laundry"]},
                {"id": "n2", "version": 1, "name": "New Denim Mill", "processes": ["weaving"]}]
    physical = backend.rebuild(spec, iter(new_docs), progress=seen.append)
    assert physical.startswith(f"{spec.name}_v1_")
    assert seen and seen[-1] == 2
    assert backend.versions(index) == {"n1": 7, "n2": 1}
    assert ids(search(backend, index, text="lavanderia")) == {"n1"}
    assert ids(search(backend, index, text="mezclilla")) == set()  # old docs gone
    # writes after the swap go to the new index
    backend.upsert(index, [{"id": "n3", "version": 1, "name": "Otra"}])
    assert set(backend.versions(index)) == {"n1", "n2", "n3"}
    second = backend.rebuild(spec, [])
    assert second != physical
    assert backend.versions(index) == {}


def test_built_spec_is_what_the_index_was_built_with(backend, spec):
    with pytest.raises(UnknownIndex):
        backend.built_spec(spec.name)
    backend.ensure_index(spec)
    built = backend.built_spec(spec.name)
    assert (built.version, built.synonyms_hash, built.fields) == (spec.version, spec.synonyms_hash, spec.fields)
    newer = replace(spec, version=spec.version + 1, synonyms=(("mezclilla", "denim"),))
    assert newer.synonyms_hash != spec.synonyms_hash
    backend.rebuild(newer, [])
    built = backend.built_spec(spec.name)  # read from the new index, not remembered from the first
    assert (built.version, built.synonyms, built.synonyms_hash) == (newer.version, newer.synonyms,
                                                                     newer.synonyms_hash)
    assert built.synonyms_hash == replace(newer, synonyms=(("mezclilla", "denim"),)).synonyms_hash
