"""Search indexing for Matchmaker, independent of the app.

Works on plain documents (dicts with ``id`` and ``version``) and plain
:class:`Query` objects. Two backends implement one contract
(:class:`SearchBackend`): an embedded tantivy index (default, no server,
:mod:`indexing.tantivy_backend`) and Elasticsearch. Pick one with :func:`open_backend`.
"""

from __future__ import annotations

from typing import Any

from .contract import (
    MAX_PER_PAGE,
    MAX_RESULT_WINDOW,
    AllOf,
    AnyOf,
    BadQuery,
    Completion,
    Field,
    GeoDistance,
    Hit,
    IndexSpec,
    IndexUnavailable,
    NoneOf,
    Query,
    Range,
    SearchBackend,
    SearchError,
    SearchResult,
    UnknownIndex,
)

__all__ = [
    "MAX_PER_PAGE", "MAX_RESULT_WINDOW", "AllOf", "AnyOf", "BadQuery", "Completion", "Field", "GeoDistance", "Hit",
    "IndexSpec", "IndexUnavailable", "NoneOf", "Query", "Range", "SearchBackend", "SearchError", "SearchResult",
    "UnknownIndex", "open_backend",
]


def open_backend(url_or_path: str, **options: Any) -> SearchBackend:
    """Open a backend from a URL or path.

    - ``"http://..."`` / ``"https://..."``: :class:`~indexing.elastic.ElasticsearchBackend`;
      ``options`` go to it and on to the Elasticsearch client.
    - ``"embedded:///abs/dir"`` or a plain directory path:
      :class:`~indexing.tantivy_backend.TantivyBackend` (option ``busy_timeout``: seconds a
      writer waits for another process's write lock).
    """
    if url_or_path.startswith(("http://", "https://")):
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend(url_or_path, **options)
    if url_or_path.startswith("embedded://"):
        url_or_path = url_or_path[len("embedded://"):]
    if "://" in url_or_path:
        raise ValueError(f"unsupported search backend URL {url_or_path!r}")
    from .tantivy_backend import TantivyBackend

    return TantivyBackend(url_or_path, **options)
