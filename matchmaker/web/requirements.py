"""Requirement pages for buyers."""
from flask import Blueprint

bp = Blueprint("requirements", __name__)


@bp.get("/requirements")
def mine():
    return "mine"


@bp.route("/requirements/new", methods=["GET", "POST"])
def new():
    return "new"


@bp.route("/requirements/<int:req_id>/edit", methods=["GET", "POST"])
def edit(req_id: int):
    return str(req_id)


@bp.get("/requirements/<int:req_id>")
def view(req_id: int):
    return str(req_id)
