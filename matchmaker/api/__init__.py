"""The JSON API under ``/api/v1``: bearer-token auth, pydantic validation, JSON errors.

Each concern keeps its API routes in its own child blueprint (``ApiRoutes`` in ``api.common``):
``organizations.api``, ``makers.api``, ``buyers.api``, ``requirements.api``, ``accounts.api_tokens``,
``search.api``, ``ranking.api``, ``vetting.api``, ``fairs.api``, ``contact.api``, ..., and ``api.openapi``
here. ``create_app`` hands them to ``create_blueprint``; this package imports none of them, so they depend
on it and never the other way round. ``api.schemas`` holds the answer shapes every route shares (``Error``,
``Page``, ``PageQuery``); ``api.common`` the helpers (body and query parsing, ``paged``, ``get_or_404``,
``saved``).
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint


def create_blueprint(children: Iterable[Blueprint]) -> Blueprint:
    """A fresh ``api`` blueprint (one per application) with every concern's routes nested in it."""
    bp = Blueprint("api", __name__)
    for child in children:
        bp.register_blueprint(child)
    return bp
