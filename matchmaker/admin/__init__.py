"""Admin and staff pages: model and index health, users and roles, association memberships, and
the association staff's pending work. One blueprint, ``admin``, under ``/admin`` (``pages``)."""
from .pages import bp  # noqa: F401
