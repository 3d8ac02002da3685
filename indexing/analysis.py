"""Bilingual (Spanish + English) text analysis, done the same way everywhere.

The embedded backend analyses text in Python with these functions; the
Elasticsearch backend declares analyzers built from the same pieces
(:func:`es_analysis_settings`): split on anything but letters and digits,
lowercase, ASCII folding, one shared stopword list and the Snowball
stemmers. So "lavandería" matches "lavanderia", "pantalones" matches
"pantalón", "washes" matches "wash" on both backends, and both agree on
which documents match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer  # PyStemmer: C Snowball stemmers, same algorithms as Lucene's SnowballFilter

#: Longest query we analyse: more terms add cost, not precision.
MAX_QUERY_TERMS = 32
#: Longest single token kept (Lucene's standard max_token_length is 255).
MAX_TOKEN_LEN = 64

_TOKEN_RE = re.compile(r"[^\W_]+")  # runs of letters/digits == Java [\p{L}\p{N}]+
_EXTRA_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ı": "i"})

#: Function words dropped in both languages (already folded). Kept short on
#: purpose: words that are also trade terms in the other language are left out.
STOPWORDS: frozenset[str] = frozenset(
    """
    a al algo ante con contra como cual de del desde donde durante e el ella ellos en entre era es esa ese
    eso esta este esto estos estas fue ha hay la las le les lo los mas me mi muy ni no nos o os otra otro
    para pero por que se ser si sin sobre son su sus tambien te tu un una uno unos unas y ya yo
    an and are as at be been but by for from has have in into is it its of on or our so such than that
    the their them then there these they this those to was we were which with you your
    """.split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents: ``"Lavandería ÑANDÚ"`` -> ``"lavanderia nandu"``."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_EXTRA_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 17)
def _word(token: str) -> str:
    """One token folded and cut, or "" for a stopword (kept per token: indexing folds the same words
    over and over, and folding character by character was most of its Python time)."""
    token = fold(token)[:MAX_TOKEN_LEN]
    return token if token not in STOPWORDS else ""


def words(text: str) -> list[str]:
    """Folded tokens without stopwords, in order (duplicates kept)."""
    return [w for w in map(_word, _TOKEN_RE.findall(text)) if w]


_ES = Stemmer.Stemmer("spanish")
_EN = Stemmer.Stemmer("english")


def stem_es(tokens: list[str]) -> list[str]:
    return _ES.stemWords(tokens)


def stem_en(tokens: list[str]) -> list[str]:
    return _EN.stemWords(tokens)


def query_words(text: str, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Distinct searchable words of user text, at most ``limit``.

    Everything that is not a letter or digit is a separator, so query
    syntax characters can never reach an engine's parser.
    """
    seen: dict[str, None] = {}
    for tok in _TOKEN_RE.finditer(text):
        w = fold(tok.group())[:MAX_TOKEN_LEN]
        if w and w not in STOPWORDS:
            seen.setdefault(w, None)
            if len(seen) >= limit:
                break
    return list(seen)


@lru_cache(maxsize=1)
def es_analysis_settings() -> dict:
    """Elasticsearch ``settings.analysis`` equivalent to this module."""
    return {
        # Non letters/digits become spaces, then the standard tokenizer splits on
        # them: same tokens as _TOKEN_RE. (A "pattern" tokenizer would be the
        # direct equivalent, but osmem-server ignores it at index time.)
        "char_filter": {
            "mm_separators": {"type": "pattern_replace", "pattern": r"[^\p{L}\p{N}]+", "replacement": " "}
        },
        "filter": {
            "mm_stop": {"type": "stop", "stopwords": sorted(STOPWORDS)},
            "mm_trunc": {"type": "truncate", "length": MAX_TOKEN_LEN},
            "mm_stem_es": {"type": "snowball", "language": "Spanish"},
            "mm_stem_en": {"type": "snowball", "language": "English"},
        },
        "analyzer": {
            "mm_es": {
                "type": "custom",
                "char_filter": ["mm_separators"],
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "mm_trunc", "mm_stop", "mm_stem_es"],
            },
            "mm_en": {
                "type": "custom",
                "char_filter": ["mm_separators"],
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "mm_trunc", "mm_stop", "mm_stem_en"],
            },
        },
    }
