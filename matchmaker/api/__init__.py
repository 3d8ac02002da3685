"""The JSON API under ``/api/v1``: bearer-token auth, pydantic validation, JSON errors.

Each concern keeps its API routes in its own child blueprint (``ApiRoutes`` in ``api.common``):
``api.resources``, ``api.search``, ``api.ranking``, ``api.openapi`` here, and ``vetting.api``,
``fairs.api``, ``contact.api``. ``create_app`` hands them to ``create_blueprint``; this package imports
none of them, so they depend on it and never the other way round.
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
