"""Organization directory pages."""
from flask import Blueprint

bp = Blueprint("directory", __name__)


@bp.get("/organizations")
def organizations():
    return "directory"


@bp.get("/organizations/<int:org_id>")
def organization(org_id: int):
    return str(org_id)
