"""The JSON API under ``/api/v1``: bearer-token auth, pydantic validation, JSON errors."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from . import resources, search, ranking, openapi  # noqa: E402,F401  (routes register on import)
from ..vetting import api as _vetting_api  # noqa: E402,F401  (vetting routes, issue 5)
from ..fairs import api as fairs_api  # noqa: E402,F401  (issue 6: fairs routes register on import)
from ..contact import api as _contact_api  # noqa: E402,F401  (issue 14: shortlists, inquiries, quotes, threads)
from ..consortia import api as _consortia_api  # noqa: E402,F401  (issue 16: coordinators' team builder)
from ..accounts.api import register as _register_accounts  # noqa: E402  (issue 14: sign-up, verification, reset)

_register_accounts(bp)
