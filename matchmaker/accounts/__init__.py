"""Accounts a foreign buyer opens alone (issue 14, item 5): sign-up, email verification, password reset.

``records`` holds the sign-up table, ``tokens`` the signed, time-limited, single-use links,
``throttle`` the limits on sign-ups and emailed links, ``schemas`` the pydantic request bodies
(API and page forms), ``services`` the rules and the emails (queued in the contact outbox in the
same transaction), ``pages`` the public pages, ``api`` the JSON endpoints under ``/api/v1`` (their Spanish is in the
gettext catalog).

A self-service account is created inactive (so no sign-in path, page or API token, lets it in)
and becomes active when its email is verified; then the buyer is led to the vetting application.
"""
