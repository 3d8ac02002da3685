"""Requirement pages: buyers list, create and edit their own; others see open ones."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import db
from .. import permissions as perm
from ..auth import current_actor
from ..errors import Conflict
from ..forms import CONFLICT_MESSAGE, Problems, schema_defaults, validate_form
from ..i18n import gettext as _
from ..i18n import locale
from .forms import RequirementForm
from .records import Requirement
from .schemas import RequirementIn, RequirementPut
from .services import create_requirement, replace_requirement, requirement_dict
from ..access import allow, ADMIN, BUYERS, SIGNED_IN

from ..errors import DomainError

bp = Blueprint("requirements", __name__)


@bp.get("/requirements")
@allow(BUYERS)
def mine():
    user = current_actor()
    rows = db.session().scalars(
        select(Requirement).where(Requirement.buyer_id == user.organization_id)
        .order_by(Requirement.created_at.desc(), Requirement.id.desc())).all() if user.organization_id else []
    return render_template("requirements/mine.html", rows=rows)


@bp.route("/requirements/new", methods=["GET", "POST"])
@allow(BUYERS)
def new():
    user = current_actor()
    if user.organization_id is None:
        abort(403)
    if request.method == "GET":
        return _render(RequirementForm(data=schema_defaults(RequirementIn)), Problems(), None, 200)
    form = RequirementForm()
    form.validate()  # CSRF only; the rules are pydantic's
    data, problems = validate_form(form, RequirementIn)
    if data is None:
        return _render(form, problems, None, 422)
    req = create_requirement(db.session(), user.organization_id, user.id, data)
    flash(_("Saved."), "success")
    return redirect(url_for("requirements.view", req_id=req.id))


def _visible(req_id: int) -> Requirement:
    req = db.session().get(Requirement, req_id)
    if req is None or not perm.can_view_requirement(current_actor(), req):
        abort(404)  # do not confirm that a private requirement exists
    return req


@bp.route("/requirements/<int:req_id>/edit", methods=["GET", "POST"])
@allow(BUYERS | ADMIN)
def edit(req_id: int):
    req = _visible(req_id)
    if not perm.can_edit_requirement(current_actor(), req):
        abort(403)
    if request.method == "GET":
        return _render(RequirementForm(data=requirement_dict(req)), Problems(), req, 200)
    form = RequirementForm()
    form.validate()
    data, problems = validate_form(form, RequirementPut)
    if data is None:
        return _render(form, problems, req, 422)
    sess = db.session()
    try:
        replace_requirement(sess, req, data)
    except Conflict:
        sess.rollback()
        return _render(form, Problems(top=[_(CONFLICT_MESSAGE)]), req, 409)
    flash(_("Saved."), "success")
    return redirect(url_for("requirements.view", req_id=req.id))


@bp.get("/requirements/<int:req_id>")
@allow(SIGNED_IN)
def view(req_id: int):
    req = _visible(req_id)
    can_edit = perm.can_edit_requirement(current_actor(), req)
    ranking, ranking_error = None, None
    if can_edit and req.status != "closed":
        ranking, ranking_error = _ranking(req)
    return render_template("requirements/view.html", req=req, can_edit=can_edit, ranking=ranking,
                           ranking_error=ranking_error)


def _ranking(req):
    """The learned ranking of makers for the owner's requirement, or why there is none."""
    from models.registry import ModelRegistry

    from ..ranking.serving import rank_requirement
    from ..search.service import SearchUnavailable

    try:
        return rank_requirement(db.session(), ModelRegistry(current_app.config["MODEL_DIR"]), req, k=10,
                                lang=locale()), None
    except SearchUnavailable:
        return None, _("Search is temporarily unavailable; please try again in a moment.")
    except DomainError as exc:
        return None, exc.text()


def _render(form, problems: Problems, req, status: int):
    return render_template("requirements/form.html", form=form, problems=problems, req=req), status
