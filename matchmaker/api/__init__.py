"""The JSON API under ``/api/v1``: bearer-token auth, pydantic validation, JSON errors."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from . import resources, search, openapi  # noqa: E402,F401  (routes register on import)
