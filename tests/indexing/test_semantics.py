"""What a search box user expects, on every backend: typos, prefixes, all words first,
exact above fuzzy, trade synonyms both ways, did-you-mean, disjunctive facets, stored
sources and autocomplete (see ``indexing.contract.Query``)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from indexing_fixtures import DOCS, SPEC

from indexing import AnyOf, Query, Range, synonyms, textplan

EXTRA = [
    {"id": "x1", "version": 1, "name": "Playeras y Vaqueros Tonalá", "description": "Playeras de algodón y vaqueros",
     "processes": ["sewing"], "state": "Jalisco"},
    {"id": "x2", "version": 1, "name": "Print Shop GDL", "description": "T-shirt printing for events",
     "processes": ["printing"], "state": "Jalisco"},
    {"id": "x3", "version": 1, "name": "Maquila Textil Lagos", "description": "Maquila de ropa para marcas",
     "processes": ["sewing"], "state": "Jalisco"},
    {"id": "x4", "version": 1, "name": "Juárez Apparel", "description": "Garment assembly plant for brands",
     "processes": ["sewing"], "state": "Chihuahua"},
    {"id": "x5", "version": 1, "name": "Dhaka Knit Composite", "description": "Knitwear exporter from Bangladesh",
     "processes": ["sewing"], "state": "Dhaka"},
]


@pytest.fixture
def sem(backend, spec):
    """The fixture makers plus a few more, with completion on names and processes and the trade synonyms."""
    fields = tuple(replace(f, complete=True) if f.name in ("name", "processes") else f for f in SPEC.fields)
    s = replace(spec, fields=fields, synonyms=synonyms.load())
    backend.ensure_index(s)
    backend.upsert(s.name, DOCS + EXTRA)
    return backend, s


def found(backend, index, text, **kw) -> list[str]:
    return [h.id for h in backend.search(index, Query(text=text, per_page=100, **kw)).hits]


@pytest.mark.parametrize("text, expected", [
    ("garmnet", {"m3"}),             # garment, letters swapped (one edit)
    ("denmi", {"m3", "m6"}),         # denim
    ("Bangaldesh", {"x5"}),          # Bangladesh: ten letters, two edits allowed
    ("lavandria", {"m2"}),           # lavandería without the e
])
def test_one_typo_still_finds(sem, text, expected):
    backend, s = sem
    assert expected <= set(found(backend, s.name, text))


def test_short_words_get_no_typo_allowance(sem):
    backend, s = sem
    assert found(backend, s.name, "hlo", autocorrect=False) == []   # three letters: exact only (not "hilo")


@pytest.mark.parametrize("text, expected", [("pantal", {"m1", "m4"}), ("lavand", {"m2"}), ("Mezcl", {"m1"})])
def test_the_last_word_matches_as_a_prefix(sem, text, expected):
    backend, s = sem
    assert expected <= set(found(backend, s.name, text))


def test_prefix_is_only_for_the_last_word(sem):
    backend, s = sem
    assert found(backend, s.name, "pantal mezclilla", autocorrect=False) == []  # "pantal" is not a finished word


def test_documents_with_all_words_first(backend, spec):
    backend.ensure_index(spec)
    backend.upsert(spec.name, [
        {"id": "a1", "version": 1, "name": "Taller Norte", "description": "stretch denim with laser wash finish"},
        {"id": "a2", "version": 1, "name": "Taller Sur", "description": "denim and laser"},
        {"id": "a3", "version": 1, "name": "Taller Este", "description": "stone wash only"},
        {"id": "a4", "version": 1, "name": "Taller Oeste", "description": "stretch denim, laser cutting"},
    ])
    # four words: at least three must match (two thirds, rounded up)
    assert found(backend, spec.name, "stretch denim laser wash") == ["a1", "a4"]
    # two words: both must match
    assert set(found(backend, spec.name, "denim laser")) == {"a1", "a2", "a4"}
    assert found(backend, spec.name, "stone denim") == []


def test_words_together_rank_above_words_apart(backend, spec):
    backend.ensure_index(spec)
    backend.upsert(spec.name, [
        {"id": "p1", "version": 1, "name": "Uno", "description": "wash denim stone"},
        {"id": "p2", "version": 1, "name": "Dos", "description": "stone wash denim laser used"},
    ])
    assert found(backend, spec.name, "stone wash") == ["p2", "p1"]


def test_exact_match_ranks_above_a_typo_match(backend, spec):
    backend.ensure_index(spec)
    backend.upsert(spec.name, [
        {"id": "e1", "version": 1, "name": "Taller", "description": "denin works"},
        {"id": "e2", "version": 1, "name": "Taller", "description": "denim works"},
    ])
    assert found(backend, spec.name, "denim") == ["e2", "e1"]
    assert found(backend, spec.name, "denin") == ["e1", "e2"]


@pytest.mark.parametrize("text, expected", [
    ("mezclilla", {"m3", "m6"}),     # Spanish query finds English "denim" makers
    ("denim", {"m1", "m4", "m7"}),   # and back
    ("vaquero", {"m3", "m6"}),       # jeans
    ("jeans", {"x1"}),               # vaqueros
    ("playera", {"x2"}),             # T-shirt
    ("t-shirt", {"x1"}),             # playeras
    ("lavandería", {"m3"}),          # garment washes
    ("laundry", {"m2"}),             # Lavandería Industrial
    ("maquila", {"x4"}),             # assembly plant
    ("assembly", {"x3"}),            # Maquila Textil
])
def test_trade_synonyms_work_both_ways(sem, text, expected):
    backend, s = sem
    assert expected <= set(found(backend, s.name, text))


@pytest.mark.parametrize("typo, word", [
    ("mezclila", "mezclilla"),   # one letter missing: finds the "denim" makers as mezclilla does
    ("mezclilal", "mezclilla"),  # two letters swapped
    ("chamara", "chamarra"),     # and "jacket"
    ("sudaderra", "sudadera"),   # "hoodie", "sweatshirt"
])
def test_a_typo_of_a_word_with_synonyms_brings_its_synonyms(sem, typo, word):
    backend, s = sem
    assert set(found(backend, s.name, typo)) == set(found(backend, s.name, word))


def test_a_typo_of_a_synonym_finds_the_denim_only_makers_below_the_word_it_misspells(sem):
    backend, s = sem
    hits = found(backend, s.name, "mezclila")
    assert {"m3", "m6"} <= set(hits)  # described only with "denim" / "jeans"
    assert hits[0] == "m1"            # "Mezclilla Tapatía": the misspelt word itself, in the name
    # the plan both backends follow: the closest entry, then its group, at the typo weight; nothing for a
    # word too short for typos or too far from every entry
    (unit,) = textplan.plan("mezclila", s.synonyms)
    assert unit.synonyms == (("mezclilla",), ("denim",)) and unit.synonym_weight == textplan.FUZZY_WEIGHT
    assert textplan.plan("mez", s.synonyms)[0].synonyms == ()
    assert textplan.plan("mezcal", s.synonyms)[0].synonyms == ()


def test_a_typo_inside_a_multi_word_synonym_brings_its_group(sem):
    """"stone wahs" was two units, "stone" and a typo of "wash", both required: makers described only by
    another member of the group of "stone wash" (deslavado, lavado a la piedra) were not found. And on
    Elasticsearch the phrase "lavado piedra" (stopwords dropped) never matched "lavado a la piedra", whose
    index keeps the dropped words' places: not even "stone wash" found s2."""
    backend, s = sem
    backend.upsert(s.name, [
        {"id": "s1", "version": 1, "name": "Taller Fina", "description": "Deslavado de prendas para marcas",
         "state": "Jalisco"},
        {"id": "s2", "version": 1, "name": "Acabados Bajío", "description": "Lavado a la piedra y enzimático",
         "state": "Guanajuato"},
    ])
    hits = set(found(backend, s.name, "stone wahs"))
    assert {"s1", "s2", "m2"} <= hits  # m2 says "stone wash" itself
    assert hits == set(found(backend, s.name, "stone wash"))
    assert {"s1", "s2"} <= set(found(backend, s.name, "lavado a la piedar"))
    # the plan both backends follow: the entry whose every word is within its typo allowance of the word
    # typed at its place, then its group, at the typo weight
    (unit,) = textplan.plan("stone wahs", s.synonyms)
    assert unit.synonyms[0] == ("stone", "wash") and ("deslavado",) in unit.synonyms
    assert unit.synonym_weight == textplan.FUZZY_WEIGHT
    assert [u.words for u in textplan.plan("stone denim", s.synonyms)] == [("stone",), ("denim",)]
    assert [u.words for u in textplan.plan("stone wsh", s.synonyms)] == [("stone",), ("wsh",)]  # 3 letters: exact


def test_synonyms_come_from_the_data_file():
    groups = synonyms.load()
    assert ("mezclilla", "denim") in groups
    assert any({"lavandería", "laundry", "wash"} <= set(g) for g in groups)
    assert synonyms.parse("# comment\n\na, b # trailing\nc,d,c\n") == (("a", "b"), ("c", "d"))
    with pytest.raises(ValueError):
        synonyms.parse("a => b")


def test_did_you_mean_when_nothing_matches(sem):
    backend, s = sem
    # two edits from "denim": too far for six letters; searched as typed only
    result = backend.search(s.name, Query(text="denmii", autocorrect=False))
    assert result.total == 0 and result.hits == []
    assert result.suggestion == "denim" and result.corrected is None
    assert backend.search(s.name, Query(text="denim")).suggestion is None
    assert backend.search(s.name, Query(text="qqqqqqxz")).suggestion is None


def test_a_text_that_matches_nothing_is_searched_as_its_correction(sem):
    backend, s = sem
    result = backend.search(s.name, Query(text="denmii", facets=("state",), per_page=100))
    expected = backend.search(s.name, Query(text="denim", facets=("state",), per_page=100))
    assert result.corrected == result.suggestion == "denim"
    assert expected.total > 0 and expected.corrected is None
    assert (result.total, [h.id for h in result.hits], result.facets) == (
        expected.total, [h.id for h in expected.hits], expected.facets)
    # the correction is run under the same filters, and only when it finds something under them
    jalisco = backend.search(s.name, Query(text="denmii", filters=(AnyOf("state", ("Jalisco",)),), per_page=100))
    assert jalisco.corrected == "denim" and {h.id for h in jalisco.hits} == set(
        found(backend, s.name, "denim", filters=(AnyOf("state", ("Jalisco",)),)))
    nowhere = backend.search(s.name, Query(text="denmii", filters=(AnyOf("state", ("Sonora",)),)))
    assert (nowhere.total, nowhere.corrected, nowhere.suggestion) == (0, None, None)
    # a text that matches is never corrected, nor one without a correction
    assert backend.search(s.name, Query(text="denim")).corrected is None
    assert backend.search(s.name, Query(text="qqqqqqxz")).corrected is None


def test_facets_are_disjunctive(sem):
    backend, s = sem
    result = backend.search(s.name, Query(filters=(AnyOf("processes", ("laundry",)), AnyOf("state", ("Jalisco",))),
                                          facets=("processes", "state"), per_page=1))
    assert result.total == 0
    # processes ignores its own filter (Jalisco makers by process); state ignores the state filter
    assert result.facets["processes"] == {"sewing": 4, "cutting": 2, "finishing": 2, "printing": 2,
                                          "embroidery": 1, "packing": 1}
    assert result.facets["state"] == {"Aguascalientes": 1, "Guanajuato": 1}
    selected = backend.search(s.name, Query(filters=(AnyOf("processes", ("laundry", "printing")),),
                                            facets=("processes",)))
    assert selected.total == 4 and selected.facets["processes"]["sewing"] == 8


def test_include_source_returns_the_stored_document(sem):
    backend, s = sem
    hit = backend.search(s.name, Query(text="tapatía", include_source=True)).hits[0]
    assert hit.id == "m1"
    assert hit.source["id"] == "m1" and hit.source["version"] == 1
    assert hit.source["name"] == "Mezclilla Tapatía"
    assert hit.source["processes"] == ["cutting", "finishing", "sewing"]
    assert hit.source["headcount"] == 45 and hit.source["verified"] is True
    assert backend.search(s.name, Query(text="tapatía")).hits[0].source is None


def test_complete_names_and_taxonomy_terms(sem):
    backend, s = sem
    first = backend.complete(s.name, "mezc")[0]
    assert (first.id, first.field, first.text) == ("m1", "name", "Mezclilla Tapatía")
    assert [c.text for c in backend.complete(s.name, "denim w")] == ["Denim Works León"]
    assert "Denim Works León" in [c.text for c in backend.complete(s.name, "denmi wor")]  # typo in a done word
    assert [c.text for c in backend.complete(s.name, "lavand")][:1] == ["Lavandería Industrial del Bajío"]
    sew = [c for c in backend.complete(s.name, "sew") if c.field == "processes"]
    assert [c.text for c in sew] == ["sewing"]
    assert len(backend.complete(s.name, "a", size=3)) <= 3
    assert backend.complete(s.name, "") == [] and backend.complete(s.name, "zzzq") == []


def test_complete_on_an_index_without_completion_fields(backend, spec):
    backend.ensure_index(spec)
    backend.upsert(spec.name, DOCS)
    assert backend.complete(spec.name, "mezc") == []


def test_several_selected_facets_each_ignore_only_their_own_filter(sem):
    """Checked against a count over the fixture documents themselves."""
    backend, s = sem
    docs = DOCS + EXTRA
    procs, states, lo, hi = {"sewing", "laundry"}, {"Jalisco", "Guanajuato"}, 20, 200
    flts = (AnyOf("processes", tuple(sorted(procs))), AnyOf("state", tuple(sorted(states))),
            Range("headcount", gte=lo, lte=hi))
    buckets = [(None, 50), (50, None)]
    r = backend.search(s.name, Query(filters=flts, facets=("processes", "state"),
                                     range_facets={"headcount": buckets}))

    def keep(d, skip):
        ok_p = skip == "p" or bool(procs & set(d.get("processes", [])))
        ok_s = skip == "s" or d.get("state") in states
        ok_h = skip == "h" or (d.get("headcount") is not None and lo <= d["headcount"] <= hi)
        return ok_p and ok_s and ok_h

    def counts(field, skip):
        out: dict[str, int] = {}
        for d in docs:
            if keep(d, skip):
                vals = d.get(field, [])
                for v in ([vals] if isinstance(vals, str) else vals):
                    out[v] = out.get(v, 0) + 1
        return out

    assert r.total == sum(keep(d, None) for d in docs)
    assert r.facets["processes"] == counts("processes", "p")
    assert r.facets["state"] == counts("state", "s")
    in_h = [d["headcount"] for d in docs if keep(d, "h") and d.get("headcount") is not None]
    assert r.facets["headcount"] == {"*-50": sum(h < 50 for h in in_h), "50-*": sum(h >= 50 for h in in_h)}
