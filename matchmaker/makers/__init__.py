"""Makers' capability profiles: what a workshop does, how much, how fast, at what quality.

``records`` holds the profile and its processes, product lines, niches and certificates, ``schemas`` the
pydantic request and answer bodies, ``services`` the writes and the public profile (``maker_dict``, never a
maker's clients or prices paid), ``forms`` the profile form, ``pages`` its edit page, ``api`` the
``/api/v1/makers`` routes. Adding a maker field touches this package and a migration.
"""
