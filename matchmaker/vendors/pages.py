"""Input-vendor pages: the vendor's public page (members read it), the vendor's profile form, a
member's purchase record form and list, and the board's list of purchases with reporters.

Same services and schemas as the JSON API; forms are WTForms with a CSRF token, pydantic decides,
and every refusal is shown beside its field (or at the top) with a 4xx status and nothing written.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from .. import db
from ..vetting.access import can_review_association
from .. import taxonomy as tx
from ..auth import current_actor
from ..forms import CodeChecks, CodeSelect, NumberField, Problems, WordListField, validate_form
from ..i18n import gettext as _
from ..security import small_int
from ..errors import Conflict
from . import schemas as s
from . import services as svc
from ..access import allow, ADMIN, PURCHASERS, REVIEWERS, VENDORS, VENDOR_READERS
from ..errors import DomainError, show_on_form

bp = Blueprint("vendors", __name__, url_prefix="/vendors")


class VendorProfileForm(FlaskForm):
    version = HiddenField()
    supplies = CodeChecks("What you supply", vocab=tx.VENDOR_SUPPLIES)
    denim_oz_min = NumberField("Lightest denim (oz)", step="0.5")
    denim_oz_max = NumberField("Heaviest denim (oz)", step="0.5")
    denim_finishes = CodeChecks("Denim finishes", vocab=tx.DENIM_FINISHES)
    trims = CodeChecks("Trims", vocab=tx.TRIM_KINDS)
    brands_serviced = WordListField("Machine brands serviced")
    min_lot = NumberField("Minimum lot")
    min_lot_unit = StringField("Unit of the minimum lot")
    delivery_days = NumberField("Delivery time (days)")
    repair_response_days = NumberField("Repair response (days)")
    credit_terms_days = NumberField("Credit terms offered (days)")
    about = TextAreaField("About")


class PurchaseForm(FlaskForm):
    vendor_id = SelectField("Vendor", validate_choice=False)
    lot = StringField("What was bought")
    purchased_on = StringField("Purchased on", render_kw={"type": "date"})
    promised_on = StringField("Promised delivery", render_kw={"type": "date"})
    delivered_on = StringField("Delivered on", render_kw={"type": "date"})
    amount = NumberField("Amount", step="0.01")
    currency = CodeSelect("Currency", vocab=tx.CURRENCIES, blank=False)
    quality_vs_sample = CodeSelect("Quality against the sample", vocab=tx.PURCHASE_QUALITY)
    warranty_claimed = BooleanField("A warranty claim was made")
    warranty_honoured = SelectField("Warranty honoured", validate_choice=False)
    note = TextAreaField("Note (board and staff only)")


def _viewer_association():
    return svc.viewer_association(db.session(), current_actor())


@bp.get("/<int:org_id>")
@allow(VENDOR_READERS)
def view(org_id: int):
    """The vendor's page: profile, standing and purchase figures (aggregates; never who bought)."""
    sess = db.session()
    try:
        org = svc.vendor_org(sess, org_id)
    except DomainError:
        abort(404)
    user = current_actor()
    vendor = svc.vendor_view(sess, org, _viewer_association(), user)
    own = svc.own_purchases(sess, user, org.id) if user.role in ("maker_user", "board_member") else []
    return render_template("vendors/view.html", org=org, vendor=vendor, own_purchases=own,
                           can_edit=svc.can_edit_profile(user, org),
                           can_review=can_review_association(user, user.association_id),
                           can_record=user.role in ("maker_user", "board_member"))


@bp.route("/<int:org_id>/profile", methods=["GET", "POST"])
@allow(VENDORS | ADMIN)
def edit(org_id: int):
    sess = db.session()
    try:
        org = svc.vendor_org(sess, org_id)
    except DomainError:
        abort(404)
    user = current_actor()
    if not svc.can_edit_profile(user, org):
        abort(403)
    current = svc.profile_dict(org, sess.get(svc.VendorProfile, org.id))
    if request.method == "GET":
        form = VendorProfileForm(data={k: v for k, v in current.items() if k != "version"})
        form.version.data = current["version"] or ""
        return _render_profile(org, form, Problems(), 200)
    form = VendorProfileForm()
    form.validate()  # the CSRF token only (CSRFProtect has already refused a POST without one)
    data, problems = validate_form(form, s.VendorProfilePut)
    if data is None:
        return _render_profile(org, form, problems, 422)
    if data.version == 0:
        data.version = None
    try:
        svc.put_profile(sess, user, org, data)
    except Conflict:
        sess.rollback()
        return _render_profile(org, form, Problems(top=[_("Someone else changed this profile meanwhile. Reload "
                                                          "the page and apply your change again.")]), 409)
    except DomainError as exc:
        sess.rollback()
        problems = Problems()
        show_on_form(exc, form, problems)
        return _render_profile(org, form, problems, exc.status)
    flash(_("Saved."), "success")
    return redirect(url_for("vendors.view", org_id=org.id))


def _render_profile(org, form, problems: Problems, status: int):
    return render_template("vendors/edit.html", org=org, form=form, problems=problems), status


def _purchase_form() -> PurchaseForm:
    form = PurchaseForm()
    user = current_actor()
    form.vendor_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(i), n) for i, n in svc.vendor_choices(db.session(), exclude=user.organization_id)]
    form.warranty_honoured.choices = [SelectChoice("", "—"), SelectChoice("true", _("Yes")),
                                      SelectChoice("false", _("No"))]
    if request.method == "GET":
        form.vendor_id.data = str(small_int(request.args.get("vendor_id", ""), 0) or "")
        form.currency.data = "MXN"
    return form


@bp.route("/purchases/new", methods=["GET", "POST"])
@allow(PURCHASERS)
def record_purchase():
    """A member firm records a lot it bought from a vendor (its association's board and staff, and the
    platform admin, see who)."""
    form = _purchase_form()
    if request.method == "GET":
        return _render_purchase(form, Problems(), 200)
    form.validate()
    data, problems = validate_form(form, s.PurchaseIn)
    if data is None:
        return _render_purchase(form, problems, 422)
    sess = db.session()
    try:
        row = svc.record_purchase(sess, current_actor(), data)
    except DomainError as exc:
        sess.rollback()
        problems = Problems()
        if exc.status == 404:
            problems.add("vendor_id", _("Choose a vendor from the list."))
        elif exc.status == 403:
            problems.top.append(_("Only a member firm of an association records purchases from vendors."))
        else:
            problems.add("vendor_id", _("A firm cannot report a purchase from itself."))
        return _render_purchase(form, problems, exc.status)
    flash(_("Purchase recorded. Only your association's board and staff and the platform administrator see "
            "that it came from your firm."), "success")
    return redirect(url_for("vendors.view", org_id=row.vendor_id))


def _render_purchase(form, problems: Problems, status: int):
    return render_template("vendors/purchase.html", form=form, problems=problems), status


@bp.get("/purchases")
@allow(PURCHASERS)
def my_purchases():
    return render_template("vendors/purchases.html", items=svc.own_purchases(db.session(), current_actor()),
                           board=False, org=None)


@bp.get("/<int:org_id>/purchases")
@allow(REVIEWERS)
def board_purchases(org_id: int):
    """The board's and staff's list: every purchase in their association, with buying firm and reporter."""
    sess = db.session()
    try:
        items = svc.board_purchases(sess, current_actor(), org_id)
    except DomainError as exc:
        abort(exc.status)
    return render_template("vendors/purchases.html", items=items, board=True, org=svc.vendor_org(sess, org_id))
