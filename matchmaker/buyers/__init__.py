"""Buyers' profiles: what kind of buyer (brand, retailer, store, jobber...), how much, on what payment terms.

``records`` holds the table, ``schemas`` the pydantic request and answer bodies, ``services`` the writes,
``api`` the ``/api/v1/buyers`` routes (buyers have no pages of their own: the directory shows them).
"""
