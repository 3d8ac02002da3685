"""Maker profile edit page."""
from flask import Blueprint

bp = Blueprint("makers", __name__)


@bp.route("/makers/<int:org_id>/edit", methods=["GET", "POST"])
def edit(org_id: int):
    return str(org_id)
