"""Monitoring pages: the buyer's dashboard of its makers and the maker's of its buyers (figures per
relationship, slips first, paginated), one relationship with its charts and orders, the
association's anonymised view of buyers, and the panel the order page includes
(``monitoring/_order_panel.html``, through the ``monitoring_order_panel`` template global).

Same figures as the JSON API (``monitoring.views``). A bad "as of" date is shown beside its field
with a 400 and the figures as of today.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for

from .. import db, paging
from ..auth import current_actor
from ..i18n import gettext as _
from ..organizations.records import Organization
from . import access, views
from .charts import charts
from .labels import FIGURE_LABELS
from ..access import allow, BUYERS, MAKERS, MONITORING_ASSOCIATION

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
PER_PAGE = 20


@bp.app_context_processor
def _globals():
    def monitoring_order_panel(order_id: int, as_of: date | None = None) -> dict:
        data = views.order(db.session(), order_id, as_of or date.today())
        data["charts"] = charts(data["series"], f"order-{order_id}") if data["figures"] else []
        return data

    return {"monitoring_order_panel": monitoring_order_panel, "figure_label": lambda k: _(FIGURE_LABELS[k])}


def _as_of() -> tuple[date, str | None]:
    raw = request.args.get("as_of", "")
    if not raw:
        return date.today(), None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return date.today(), _("Give a date as YYYY-MM-DD.")


def _paged(compute):
    """(``compute(page)`` for the asked page, the redirect to the last page when the asked one is past it, as
    every list does: never "Page 999 of 2" over an empty table)."""
    page = paging.page_arg()
    data = compute(page)
    return data, paging.to_last_page(page, data["pages"])


def _render(template: str, error: str | None, **context):
    return render_template(template, as_of_error=error, as_of_value=request.args.get("as_of", ""),
                           **context), (400 if error else 200)


@bp.get("/")
@allow(BUYERS | MAKERS | MONITORING_ASSOCIATION)
def index():
    role = current_actor().role
    if role == "buyer_user":
        return redirect(url_for("monitoring.buyer_dashboard"))
    if role == "maker_user":
        return redirect(url_for("monitoring.maker_dashboard"))
    return redirect(url_for("monitoring.association"))


def _dashboard(side: str):
    actor = current_actor()
    access.side_of(actor)
    today, error = _as_of()
    data, past = _paged(lambda page: views.relationships(db.session(), side, actor.organization_id, today, page,
                                                       PER_PAGE))
    if past is not None:
        return past
    return _render("monitoring/dashboard.html", error, data=data, side=side, today=today)


@bp.get("/buyer")
@allow(BUYERS)
def buyer_dashboard():
    return _dashboard("buyer")


@bp.get("/maker")
@allow(MAKERS)
def maker_dashboard():
    return _dashboard("maker")


def _relationship(counterpart_id: int):
    actor = current_actor()
    side, other = access.counterpart(db.session(), actor, counterpart_id)
    today, error = _as_of()
    data, past = _paged(lambda page: views.relationship(db.session(), side, actor.organization_id, other, today, page,
                                                  PER_PAGE))
    if past is not None:
        return past
    return _render("monitoring/relationship.html", error, data=data, side=side, today=today,
                   charts=charts(data["series"], "relationship"))


@bp.get("/buyer/makers/<int:maker_id>")
@allow(BUYERS)
def buyer_relationship(maker_id: int):
    return _relationship(maker_id)


@bp.get("/maker/buyers/<int:buyer_id>")
@allow(MAKERS)
def maker_relationship(buyer_id: int):
    return _relationship(buyer_id)


@bp.get("/association")
@allow(MONITORING_ASSOCIATION)
def association():
    today, error = _as_of()
    association_id = access.association_of(current_actor())
    data, past = _paged(lambda page: views.association_buyers(db.session(), association_id, today, page, PER_PAGE))
    if past is not None:
        return past
    return _render("monitoring/association.html", error, data=data, today=today)


@bp.get("/association/buyers/<int:buyer_id>")
@allow(MONITORING_ASSOCIATION)
def association_buyer(buyer_id: int):
    sess = db.session()
    association_id = access.association_of(current_actor())
    buyer = sess.get(Organization, buyer_id)
    today, error = _as_of()
    data = views.association_buyer(sess, association_id, buyer, today) if buyer is not None else None
    if data is None:
        raise access.not_found("buyer")
    return _render("monitoring/association_buyer.html", error, data=data, today=today,
                   charts=charts(data["series"], "buyer"))
