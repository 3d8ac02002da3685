"""Firms, their owners, the cluster's associations and who belongs to them; the public directory.

``records`` holds the tables (``Organization``, ``OwnershipGroup``, ``Association``, ``Membership``),
``schemas`` the pydantic request and answer bodies, ``services`` the writes (each user's edit of a firm's
record logged by ``audit_edit``), ``pages`` the directory (list and one firm's public page), ``api`` the
``/api/v1/organizations`` and ``/api/v1/associations`` routes.
"""
