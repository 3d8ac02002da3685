"""Page tests: share compiled templates between the many test apps.

An autouse fixture; a test folder of page tests takes it by importing it into its ``conftest.py``
(pytest only reads the conftest files of a test's folder and above).
"""
from __future__ import annotations

import pytest
from jinja2 import BytecodeCache


class _MemoryBytecodeCache(BytecodeCache):
    """Each test builds a fresh app; share compiled templates between them instead of recompiling."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CACHE = _MemoryBytecodeCache()


@pytest.fixture(autouse=True)
def _shared_template_cache(app):
    app.jinja_env.bytecode_cache = _TEMPLATE_CACHE
