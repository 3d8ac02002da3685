"""Buyer and maker talk (issue 14, first slice): shortlists, inquiries, quotes and conversations.

``records`` holds the tables, ``schemas`` the pydantic request bodies (API and page forms),
``services`` the rules (clearance, daily limit, one answer per inquiry, who sees what, outcome
events with their ranking context), ``api`` the JSON endpoints under ``/api/v1``, ``pages`` the
buyer's and maker's pages, ``i18n_es`` the Spanish words.
"""
