"""Test support: talk to OpenSearch-compatible test servers (osmem-server).

The Elasticsearch 9 client sends ``compatible-with=9`` vendor media types,
which OpenSearch-compatible servers reject with 406. :class:`PlainJsonNode`
rewrites them to plain JSON. Pass ``node_class=PlainJsonNode`` through
``open_backend(url, node_class=PlainJsonNode)`` in tests only: production
against real Elasticsearch must not use it.
"""

from __future__ import annotations

from typing import Any

from elastic_transport import Urllib3HttpNode


class PlainJsonNode(Urllib3HttpNode):
    """HTTP node sending ``application/json`` / ``application/x-ndjson``."""

    def perform_request(self, method: str, target: str, body: Any = None, headers: Any = None, **kw: Any):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value and "compatible-with" in value:
                    headers[name] = "application/x-ndjson" if "ndjson" in value else "application/json"
        return super().perform_request(method, target, body=body, headers=headers, **kw)
