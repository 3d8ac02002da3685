"""Ratings pages: rate an order or a vendor purchase, the rated firm's "ratings received" page with
its answer form, and the association board's view of its members' ratings of a firm.

Also two Jinja helpers for other concerns' pages: ``rating_panel(order, side)`` behind
``ratings/_order_panel.html`` (whether this side may rate now, has rated, or when it opens) and
``ratings_summary(org)`` behind ``ratings/_summary.html`` (the aggregates the reader may see).
Same services as the JSON API; forms are WTForms with a CSRF token; a refusal is shown beside
its field (or at the top) with a 4xx status and nothing written.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from pydantic import ValidationError

from .. import db
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..orders.records import Order
from ..organizations.records import Organization
from ..vendors.records import VendorPurchase
from . import access
from . import eligibility as el
from . import schemas as s
from . import services as svc
from .forms import AnswerForm, answer_form, posted_direction, rate_form
from .labels import category_label, direction_label
from .records import CATEGORIES
from ..access import allow, ASSOC_STAFF, BOARD, BUYERS, MAKERS, VENDORS
from ..errors import DomainError

bp = Blueprint("ratings", __name__, url_prefix="/ratings")

@bp.app_context_processor
def _helpers():
    return {"rating_panel": rating_panel, "ratings_summary": ratings_summary, "category_label": category_label,
            "direction_label": direction_label}


def rating_panel(order, side: str | None) -> dict | None:
    """The panel's state for the signed-in side of ``order``: ``open`` (with the form's URL), ``rated``,
    ``opens`` (with the date), ``no_evidence`` (``orders.evidence``) or ``never``; ``None`` for anyone who is
    not that side. ``counts`` is False once the order stopped being evidence: a rating given stays stored
    but counts in no figure (its author is told so)."""
    elig = el.for_order(db.session(), current_actor(), order, side)
    if elig is None:
        return None
    if elig.rated:
        state = "rated"
    elif not elig.evidence:
        state = "no_evidence"
    elif elig.opens_on is None:
        state = "never"
    else:
        state = "open" if elig.open_on(el.today()) else "opens"
    # a rating given counts only while its order is evidence (``orders.evidence.counted_ratings``)
    return {"state": state, "opens_on": elig.opens_on, "direction": elig.direction, "counts": elig.evidence,
            "url": url_for("ratings.rate_order", order_id=order.id)}


def ratings_summary(org) -> list[dict]:
    """The aggregates of ``org`` the reader may see, one per direction it receives."""
    actor = current_actor()
    return [svc.aggregate(db.session(), org.id, d) for d in svc.directions_received(org.kind)
            if access.can_read_aggregates(actor, org.id, d)]


# -- rating ----------------------------------------------------------------------------------------

def _rate(basis: str, basis_id: int, record, subject: str, back: str | None):
    sess = db.session()
    actor = current_actor()
    elig = el.for_basis(sess, actor, basis, basis_id)
    if elig is None:
        abort(404)
    ratee = sess.get(Organization, elig.ratee_org_id)
    form = rate_form(elig.direction)
    context = {"elig": elig, "ratee": ratee, "subject": subject, "back": back, "record": record,
               "categories": CATEGORIES[elig.direction], "today": el.today()}
    if request.method == "GET":
        return render_template("ratings/rate.html", form=form, problems=Problems(), **context)
    problems = Problems()
    if not form.validate():
        problems.top.append(_("The form expired; try again."))
        return render_template("ratings/rate.html", form=form, problems=problems, **context), 400
    try:
        svc.check_open(elig, basis)  # rated meanwhile (409), not open yet (422): said before any field
    except DomainError as exc:
        problems.top.append(exc.text())
        return render_template("ratings/rate.html", form=form, problems=problems, **context), exc.status
    scores = {}
    for category in CATEGORIES[elig.direction]:
        raw = (form[category].data or "").strip()
        if raw == "":
            continue
        if raw not in {"1", "2", "3", "4", "5"}:
            problems.add(category, _("Choose a score from 1 to 5."))
        else:
            scores[category] = int(raw)
    comment = form.comment.data or ""
    if len(comment) > s.MAX_COMMENT:
        problems.add("comment", _("At most {n} characters.", n=s.MAX_COMMENT))
    if not scores and not problems:
        problems.top.append(_("Score at least one category."))
        problems.add(CATEGORIES[elig.direction][0], _("Score at least one category."))
    if "\x00" in comment:
        problems.add("comment", _("Remove the control characters."))
    if problems:
        return render_template("ratings/rate.html", form=form, problems=problems, **context), 422
    try:
        svc.rate(sess, actor, basis, basis_id, scores, comment)
    except DomainError as exc:
        sess.rollback()
        if exc.status == 404:
            abort(404)
        problems.top.append(exc.text())
        return render_template("ratings/rate.html", form=form, problems=problems, **context), exc.status
    flash(_("Thank you: your rating was recorded. The rated firm sees only aggregates, never who rated."),
          "success")
    return redirect(back or url_for(request.endpoint, **request.view_args))


@bp.route("/orders/<int:order_id>", methods=["GET", "POST"])
@allow(MAKERS | BUYERS)
def rate_order(order_id: int):
    order = db.session().get(Order, order_id)
    back = _order_page(order_id)
    subject = _("Order {ref}", ref=(order.reference or f"#{order.id}")) if order else ""
    return _rate("order", order_id, order, subject, back)


@bp.route("/vendor-purchases/<int:purchase_id>", methods=["GET", "POST"])
@allow(MAKERS)
def rate_purchase(purchase_id: int):
    purchase = db.session().get(VendorPurchase, purchase_id)
    subject = _("Purchase of {lot}", lot=(purchase.lot or f"#{purchase.id}")) if purchase else ""
    return _rate("vendor_purchase", purchase_id, purchase, subject, None)


def _order_page(order_id: int) -> str | None:
    """The order's page, when the orders concern has one (built alongside)."""
    from flask import current_app

    if "orders.view" in current_app.view_functions:
        return url_for("orders.view", order_id=order_id)
    return None


# -- the rated firm --------------------------------------------------------------------------------

def _own_org():
    actor = current_actor()
    org = db.session().get(Organization, actor.organization_id) if actor.organization_id else None
    if org is None:
        abort(404)
    return org


def _render_received(org, problems: Problems | None = None, failed: AnswerForm | None = None, status: int = 200):
    sess = db.session()
    sections = []
    for direction in svc.directions_received(org.kind):
        form = failed if failed is not None and failed.direction.data == direction else answer_form(
            direction, formdata=None)
        sections.append({"summary": svc.aggregate(sess, org.id, direction), "form": form})
    return render_template("ratings/received.html", org=org, sections=sections,
                           problems=problems or Problems()), status


@bp.get("/received")
@allow(MAKERS | BUYERS | VENDORS)
def received():
    return _render_received(_own_org())


@bp.post("/received/answer")
@allow(MAKERS | BUYERS | VENDORS)
def answer():
    org = _own_org()
    direction = posted_direction()
    if direction not in svc.directions_received(org.kind):
        abort(404)
    form = answer_form(direction)
    problems = Problems()
    if not form.validate():
        problems.top.append(_("The form expired; try again."))
        return _render_received(org, problems, form, 400)
    category = form.category.data or None
    try:
        if form.action.data == "withdraw":
            svc.delete_answer(db.session(), current_actor(), org, direction, category)
            flash(_("Your answer was withdrawn."), "success")
            return redirect(url_for("ratings.received"))
        if "\x00" in (form.body.data or ""):
            problems.add("body", _("Remove the control characters."))
            return _render_received(org, problems, form, 422)
        body = s.RatingAnswerIn(direction=direction, category=category, body=form.body.data or "")
        svc.set_answer(db.session(), current_actor(), org, body.direction, body.category, body.body)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            name = str(err["loc"][0]) if err["loc"] else "body"
            problems.add(name if name in {"body", "category"} else "body", _answer_problem(err))
        return _render_received(org, problems, form, 422)
    except DomainError as exc:
        db.session().rollback()
        for f in exc.fields:
            problems.add(f["field"], f["problem"])
        if not exc.fields:
            problems.top.append(exc.text())
        return _render_received(org, problems, form, exc.status)
    flash(_("Your answer is published beside your ratings."), "success")
    return redirect(url_for("ratings.received"))


def _answer_problem(err: dict) -> str:
    if err["type"] in {"string_too_long"}:
        return _("At most {n} characters.", n=s.MAX_ANSWER)
    if err["loc"] and err["loc"][0] == "category":
        return _("Choose a category of this rating.")
    return _("Write an answer.")


# -- the association's board -----------------------------------------------------------------------

def _association():
    assoc = access.board_association(current_actor())
    if assoc is None:
        abort(404)
    return assoc


@bp.get("/board")
@allow(BOARD | ASSOC_STAFF)
def board():
    rows = svc.rated_in_association(db.session(), _association())
    return render_template("ratings/board.html", rows=rows)


@bp.get("/board/<int:org_id>")
@allow(BOARD | ASSOC_STAFF)
def board_firm(org_id: int):
    assoc = _association()
    sess = db.session()
    org = sess.get(Organization, org_id)
    if org is None:
        abort(404)
    actor = current_actor()
    sections = [{"summary": svc.aggregate(sess, org.id, d, association_id=assoc),
                 "comments": svc.board_comments(sess, org.id, d, assoc) if access.can_read_comments(actor, assoc)
                 else None} for d in svc.directions_received(org.kind)]
    return render_template("ratings/board_firm.html", org=org, sections=sections)
