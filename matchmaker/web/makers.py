"""Maker profile edit page: the same pydantic schemas and services as ``PUT /api/v1/makers/<id>``."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .. import db, services
from .. import permissions as perm
from .. import validation as v
from ..auth import current_actor
from ..forms import MakerProfileForm, Problems, maker_form_data, validate_form
from ..i18n import gettext as _
from ..schema import Organization
from ..catalog import N_

bp = Blueprint("makers", __name__)

CONFLICT_MESSAGE = N_("Someone else saved this record while you were editing. Reload and apply your changes again.")


@bp.route("/makers/<int:org_id>/edit", methods=["GET", "POST"])
def edit(org_id: int):
    sess = db.session()
    org = sess.get(Organization, org_id)
    if org is None or org.kind != "maker":
        abort(404)
    if not perm.can_edit_maker_profile(current_actor(), org):
        abort(403)
    profile = org.maker_profile
    if request.method == "GET":
        form = MakerProfileForm(data=maker_form_data(services.maker_dict(profile, org) if profile else None))
        return _render(org, form, Problems(), 200)

    form = MakerProfileForm()
    form.validate()  # the CSRF token only (CSRFProtect has already refused a POST without one)
    schema = v.MakerProfilePut if profile is not None else v.MakerProfileIn
    data, problems = validate_form(form, schema)
    if data is None:
        return _render(org, form, problems, 422)
    try:
        if profile is None:
            services.create_maker_profile(sess, org, data, current_actor())
        else:
            services.replace_maker_profile(sess, profile, data, current_actor())
    except services.Conflict:
        sess.rollback()
        return _render(org, form, Problems(top=[_(CONFLICT_MESSAGE)]), 409)
    flash(_("Saved."), "success")
    return redirect(url_for("directory.organization", org_id=org.id))


def _render(org, form, problems: Problems, status: int):
    return render_template("makers/edit.html", org=org, form=form, problems=problems), status
