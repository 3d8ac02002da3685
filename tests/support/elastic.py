"""Where the Elasticsearch-backend tests run: a real cluster, or osmem-server started here.

``MATCHMAKER_TEST_ELASTICSEARCH_URL`` names a real cluster (no transport tweak). Otherwise
an in-memory OpenSearch-compatible osmem-server is started on 127.0.0.1, and the client
gets the test-only ``PlainJsonNode`` transport because that server refuses the ES 9
client's ``compatible-with=9`` media type.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class ElasticTarget:
    url: str
    options: dict = field(default_factory=dict)
    kind: str = "osmem"


def start_target():
    """Yield an :class:`ElasticTarget`; a generator for a session fixture."""
    url = os.environ.get("MATCHMAKER_TEST_ELASTICSEARCH_URL")
    if url:
        yield ElasticTarget(url, {}, "elasticsearch")
        return
    from osmem_server import OsmemServer

    from tests.support.osmem_transport import PlainJsonNode

    server = OsmemServer.start(japanese=False)
    try:
        yield ElasticTarget(server.url, {"node_class": PlainJsonNode}, "osmem")
    finally:
        server.close()
