"""Run the contract suite on both backends.

Elasticsearch: ``MATCHMAKER_TEST_ELASTICSEARCH_URL`` (a real cluster, no
transport tweak) or else an osmem-server started here on 127.0.0.1 (with
the test-only ``PlainJsonNode`` transport). Only if neither is available are
the Elasticsearch tests skipped, with a warning.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import replace

import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # the repo root, so `indexing` imports without installing
    sys.path.insert(0, _ROOT)

from indexing import open_backend  # noqa: E402
from indexing_fixtures import DOCS, SPEC  # noqa: E402

ES_URL_ENV = "MATCHMAKER_TEST_ELASTICSEARCH_URL"
_names = itertools.count()


@pytest.fixture(scope="session")
def es_target():
    """(url, client options, kind) of the Elasticsearch to test against."""
    url = os.environ.get(ES_URL_ENV)
    if url:
        yield url, {}, "elasticsearch"
        return
    try:
        from osmem_server import OsmemServer
    except ImportError:
        pytest.fail(f"neither osmem-server (pinned in requirements.txt) nor {ES_URL_ENV} is available: "
                    "the Elasticsearch backend would go untested", pytrace=False)
    from tests.support.osmem_transport import PlainJsonNode

    server = OsmemServer.start(japanese=False)
    try:
        yield server.url, {"node_class": PlainJsonNode}, "osmem"
    finally:
        server.close()


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(request, tmp_path):
    if request.param == "embedded":
        b = open_backend(str(tmp_path / "search"))
        b.kind = "embedded"
    else:
        url, options, kind = request.getfixturevalue("es_target")
        b = open_backend(url, request_timeout=10, **options)
        b.kind = kind
    yield b
    if request.param != "embedded":  # leave a real cluster clean
        names = list(b.client.indices.get(index=f"makers_{os.getpid()}_*", expand_wildcards="all"))
        for name in names:
            b.client.indices.delete(index=name)
    b.close()


@pytest.fixture
def spec():
    """A fresh index name per test so tests never share state."""
    return replace(SPEC, name=f"makers_{os.getpid()}_{next(_names)}")


@pytest.fixture
def loaded(backend, spec):
    backend.ensure_index(spec)
    backend.upsert(spec.name, DOCS)
    return backend, spec.name
