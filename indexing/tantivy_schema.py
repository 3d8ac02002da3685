"""How an :class:`~indexing.contract.IndexSpec` maps onto a tantivy schema, and documents onto it.

Text is analysed in Python (:mod:`indexing.analysis`, the same steps the Elasticsearch
analyzers declare) and handed to tantivy already split, on its ``whitespace`` tokenizer:

============================  =========================================================
``<text>__es`` / ``__en``     Spanish / English stems (term frequencies, for bm25)
``<text>__w``                 folded words with positions (typos, prefixes, phrases)
``<keyword>``                 raw values, fast (filters, facets via aggregations)
``<keyword>__w``              folded words of the values (only for ``complete`` fields)
``<keyword>__min`` / ``__max``  smallest / largest value, fast (sorting multi-valued fields)
``integer`` / ``date``        i64 (dates as epoch ms), ``float`` f64, ``boolean`` bool; fast
``<geo>__lat`` / ``__lon``    f64, fast: bounding box, then exact haversine on the candidates
``id`` (raw, fast, stored), ``version`` (i64, fast), ``_h`` (i64 hash of id, fast), ``_ik`` (u64, the
id's first 8 bytes: orders equal scores by id without reading stored documents), ``_src``
(the normalised document as JSON, stored: :attr:`Query.include_source`, completion)
============================  =========================================================
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import tantivy

from . import analysis
from .contract import IndexSpec


def id_hash(doc_id: str) -> int:
    """Stable signed 64-bit hash of an id (a fast numeric handle on a document)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big", signed=True)


def id_key(doc_id: str) -> int:
    """The first 8 bytes of the id as an unsigned number: orders like the ids themselves
    (ids equal in their first 8 bytes tie, and are then compared in full)."""
    return int.from_bytes(doc_id.encode()[:8].ljust(8, b"\0"), "big")


def build_schema(spec: IndexSpec) -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    sb.add_integer_field("version", fast=True, indexed=False)
    sb.add_integer_field("_h", fast=True, indexed=True)
    sb.add_unsigned_field("_ik", fast=True, indexed=False)
    sb.add_bytes_field("_src", stored=True)
    for f in spec.fields:
        n = f.name
        if f.type == "text":
            sb.add_text_field(f"{n}__es", tokenizer_name="whitespace", index_option="freq")
            sb.add_text_field(f"{n}__en", tokenizer_name="whitespace", index_option="freq")
            sb.add_text_field(f"{n}__w", tokenizer_name="whitespace", index_option="position")
        elif f.type == "keyword":
            sb.add_text_field(n, fast=True, tokenizer_name="raw", index_option="basic")
            sb.add_text_field(f"{n}__min", fast=True, tokenizer_name="raw", index_option="basic")
            sb.add_text_field(f"{n}__max", fast=True, tokenizer_name="raw", index_option="basic")
            if f.complete:
                sb.add_text_field(f"{n}__w", tokenizer_name="whitespace", index_option="position")
        elif f.type in ("integer", "date"):
            sb.add_integer_field(n, fast=True, indexed=True)
        elif f.type == "float":
            sb.add_float_field(n, fast=True, indexed=True)
        elif f.type == "boolean":
            sb.add_boolean_field(n, fast=True, indexed=True)
        elif f.type == "geo_point":
            sb.add_float_field(f"{n}__lat", fast=True, indexed=True)
            sb.add_float_field(f"{n}__lon", fast=True, indexed=True)
    return sb.build()


def sort_field(spec: IndexSpec, name: str, descending: bool) -> str:
    """The fast field a sort on ``name`` reads (multi-valued keywords: min ascending, max descending)."""
    f = spec.field(name)
    if f is not None and f.type == "keyword":
        return f"{name}__max" if descending else f"{name}__min"
    return name


def to_json(spec: IndexSpec, doc: Mapping[str, Any]) -> str:
    """A normalised document (:func:`~indexing.validation.normalize_doc`) as the JSON tantivy's
    ``IndexWriter.add_json`` reads (bytes in base64). A string, so a document can be built in another
    process and handed over cheaply; one value per list entry, as separate ``add_text`` calls would add."""
    src = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    out: dict[str, Any] = {"id": doc["id"], "version": doc["version"], "_h": id_hash(doc["id"]),
                           "_ik": id_key(doc["id"]), "_src": base64.b64encode(src).decode("ascii")}
    for f in spec.fields:
        v = doc.get(f.name)
        if v is None:
            continue
        n = f.name
        if f.type == "text":
            words = analysis.words(v)
            out[f"{n}__es"] = " ".join(analysis.stem_es(words))
            out[f"{n}__en"] = " ".join(analysis.stem_en(words))
            out[f"{n}__w"] = " ".join(words)
        elif f.type == "keyword":
            if not v:
                continue
            out[n] = v
            out[f"{n}__min"] = v[0]
            out[f"{n}__max"] = v[-1]
            if f.complete:  # one value per entry, so a phrase never spans two values
                out[f"{n}__w"] = [" ".join(analysis.words(value)) for value in v]
        elif f.type in ("integer", "date"):
            out[n] = int(v)
        elif f.type == "float":
            out[n] = float(v)
        elif f.type == "boolean":
            out[n] = bool(v)
        elif f.type == "geo_point":
            out[f"{n}__lat"] = v["lat"]
            out[f"{n}__lon"] = v["lon"]
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))
