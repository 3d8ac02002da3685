"""Admin and staff pages: model and index health, users and roles, association memberships, and
the association staff's pending work. One blueprint, ``admin``, under ``/admin``."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import i18n as _catalog  # noqa: E402,F401  (registers the Spanish strings)
from . import pages  # noqa: E402,F401  (the routes)
