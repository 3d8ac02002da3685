"""Text semantics of the Elasticsearch backend (``Query.text`` and ``complete``), kept apart from
the client plumbing in :mod:`indexing.elastic`.

How the contract's rules become one ``bool`` query (see :func:`text_query`):

* the text is cut into words by :func:`indexing.analysis.query_words` (never parsed as syntax);
* synonym groups of the spec are matched on the word sequence, longest first, comparing folded
  words and their Spanish/English stems (``pantalones`` finds the group of ``pantalón``). A
  matched span is one *unit*: the unit matches if any member of its group matches;
* every unit is a clause: ``multi_match`` of the exact word (weight 1) OR the same with
  ``fuzziness: "AUTO:4,8"`` (no edit below 4 letters, one for 4–7, two beyond; weight 0.4,
  so exact matches rank above typo matches) OR, for the last unit, a prefix of the word (the
  user is still typing; weight 0.4) OR each synonym (weight 0.8, a multi-word synonym as a
  phrase);
* the units are the ``should`` clauses of one ``bool`` with ``minimum_should_match`` = every
  unit when fewer than three, else ``ceil(2n/3)``: all words preferred (bm25 sums), some
  allowed;
* the whole text as a ``phrase`` with slop 3 is an extra ``should`` (weight 2): words close
  together rank higher.

Synonyms are expanded here, at query time, rather than with a ``synonym_graph`` filter in the
index settings: the same rule as the embedded backend, a changed list needs no reindex, and it
works on osmem-server (which ignores ``synonym_graph``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from elasticsearch.dsl import Q

from . import analysis, textplan
from .contract import IndexSpec

#: Sub-field of every ``text`` field and of ``complete=True`` keyword fields: folded words
#: without stemming, read by the term suggester ("did you mean") and by prefix completion.
WORDS = "w"
#: ``fuzziness`` of the contract: 0 edits below 4 letters, 1 for 4–7, 2 from 8.
FUZZINESS = "AUTO:4,8"
FUZZY_WEIGHT = 0.4
PREFIX_WEIGHT = 0.4
SYNONYM_WEIGHT = 0.8
PHRASE_WEIGHT = 2.0
PHRASE_SLOP = 3
MIN_PREFIX = 2


def min_should_match(n: int) -> int:
    """The contract's rule: every word when fewer than three, else ceil(2n/3)."""
    return n if n < 3 else math.ceil(2 * n / 3)


def _forms(words: Sequence[str]) -> set[tuple[str, ...]]:
    """A word sequence as folded words and as Spanish / English stems."""
    w = list(words)
    return {tuple(w), tuple(analysis.stem_es(w)), tuple(analysis.stem_en(w))}


class Synonyms:
    """The spec's groups, indexed by every form of every member."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self.groups = tuple(tuple(g) for g in groups)
        self.members: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self.longest = 1
        #: a multi-word member's words as written, stopwords included, for its phrase query: the index
        #: keeps the place of a stopword it drops, so "lavado piedra" is no phrase of "lavado a la piedra"
        self.written: dict[tuple[str, ...], str] = {}
        for group in groups:
            phrases = [tuple(analysis.words(m)) for m in group]
            for member, p in zip(group, phrases):
                if len(p) > 1:
                    self.written.setdefault(p, member)
            phrases = [p for p in phrases if p]
            for p in phrases:
                others = [o for o in phrases if o != p]
                for form in _forms(p):
                    bucket = self.members.setdefault(form, [])
                    bucket.extend(o for o in others if o not in bucket)
                self.longest = max(self.longest, len(p))

    def units(self, words: Sequence[str]) -> list[tuple[tuple[str, ...], list[tuple[str, ...]], float]]:
        """``words`` cut into units (a word or a synonym phrase) with the unit's alternatives and their
        weight: a word that is no synonym but a typo of one (:func:`textplan.typo_synonyms`), or words
        with a typo inside a multi-word synonym (:func:`textplan.typo_phrase`), bring the closest entry's
        group at the typo weight."""
        out, i = [], 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                span = tuple(words[i:i + size])
                alts = next((self.members[f] for f in _forms(span) if f in self.members), None)
                if alts is None and size > 1 and self.groups:  # "stone wahs": a typo inside "stone wash"
                    typo = list(textplan.typo_phrase(span, self.groups))
                    if typo:
                        out.append((span, typo, FUZZY_WEIGHT))
                        i += size
                        break
                if alts is None and size == 1 and self.groups:
                    typo = list(textplan.typo_synonyms(span[0], self.groups))
                    if typo:
                        out.append((span, typo, FUZZY_WEIGHT))
                        i += 1
                        break
                if alts is not None or size == 1:
                    out.append((span, [a for a in (alts or []) if a != span], SYNONYM_WEIGHT))
                    i += size
                    break
        return out


def text_fields(spec: IndexSpec) -> list[str]:
    return [f"{f.name}{sub}^{f.boost}" for f in spec.of_type("text") for sub in ("", ".en")]


def text_query(spec: IndexSpec, words: list[str], synonyms: Synonyms | None = None) -> Any:
    """The contract's text semantics for ``words`` (already cut by ``analysis.query_words``)."""
    fields = text_fields(spec)
    synonyms = synonyms or Synonyms(())
    units = synonyms.units(words)
    clauses = []
    for n, (span, alts, alt_weight) in enumerate(units):
        text = " ".join(span)
        last = n == len(units) - 1
        should = [Q("multi_match", query=text, fields=fields, type="most_fields", operator="and")]
        if len(span) == 1:
            should.append(Q("multi_match", query=text, fields=fields, type="most_fields",
                            fuzziness=FUZZINESS, boost=FUZZY_WEIGHT))
            if last and len(text) >= MIN_PREFIX:
                # bool_prefix analyses the word (its stem is a prefix of the indexed stem) ...
                should.append(Q("multi_match", query=text, fields=fields, type="bool_prefix", boost=PREFIX_WEIGHT))
                # ... and the folded word itself, for stems shorter than the typed prefix
                should += [Q("prefix", **{f.split("^")[0]: {"value": text, "boost": PREFIX_WEIGHT}})
                           for f in fields]
        else:
            should.append(Q("multi_match", query=synonyms.written.get(span, text), fields=fields, type="phrase",
                            boost=1.0))
        for alt in alts:
            kind = "most_fields" if len(alt) == 1 else "phrase"
            should.append(Q("multi_match", query=synonyms.written.get(alt, " ".join(alt)), fields=fields, type=kind,
                            boost=alt_weight))
        clauses.append(Q("bool", should=should, minimum_should_match=1))
    if len(clauses) == 1:
        return clauses[0]
    main = Q("bool", should=clauses, minimum_should_match=min_should_match(len(clauses)))
    phrase = Q("multi_match", query=" ".join(words), fields=fields, type="phrase", slop=PHRASE_SLOP,
               boost=PHRASE_WEIGHT)
    # Lucene's slop also forgives order (a swap costs 2), tantivy's does not: the words side by side in
    # the order typed earn as much again, so both engines put "stone wash" above "wash … stone"
    exact = Q("multi_match", query=" ".join(words), fields=fields, type="phrase", boost=PHRASE_WEIGHT)
    return Q("bool", must=[main], should=[phrase, exact])


def complete_query(spec: IndexSpec, words: list[str]) -> Any:
    """Documents whose completable values hold every earlier word (exact or with a typo) and a word
    starting with the last one; values whose words come in that order rank first."""
    fields = [f"{f.name}.{WORDS}" for f in spec.fields if f.complete]
    text = " ".join(words)
    clauses = []
    for n, word in enumerate(words):
        if n == len(words) - 1:
            clauses.append(Q("bool", should=[Q("prefix", **{f: {"value": word}}) for f in fields],
                             minimum_should_match=1))
        else:
            clauses.append(Q("multi_match", query=word, fields=fields, fuzziness=FUZZINESS))
    return Q("bool", must=clauses, should=[
        Q("multi_match", query=text, fields=fields, type="phrase_prefix", boost=2.0),
        *(Q("prefix", **{f"{f}": {"value": words[0], "boost": 0.5}}) for f in fields),
    ])


def value_completes(value: str, words: list[str]) -> bool:
    """Whether ``value`` has a word starting with the last typed word (the check per value of a
    multi-valued field, since the engine matched the document, not the value)."""
    own = analysis.words(value)
    return any(w.startswith(words[-1]) for w in own)
