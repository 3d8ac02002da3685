"""API bearer tokens checked without a database round trip per request, revocation still immediate.

See :mod:`matchmaker.tokens.cache`; the table is in :mod:`matchmaker.tokens.records`.
"""
