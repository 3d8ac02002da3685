"""JSON endpoints of monitoring, on the ``api`` blueprint (``/api/v1/monitoring/...``): the same figures
as the pages (``monitoring.views``). A buyer's or maker's user reads its own relationships and
orders (others' are 404); association staff and board members read the anonymised buyers' view."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request

from .. import db
from ..api.common import ApiRoutes, page_args, reject_unknown_args
from ..api.openapi import operation
from ..auth import current_actor
from ..i18n import gettext
from ..organizations.records import Organization
from . import access, views
from . import schemas as s
from ..access import allow, BUYERS, MAKERS, MONITORING_ASSOCIATION
from ..errors import DomainError

bp = ApiRoutes("monitoring", __name__)


def as_of() -> date:
    """``?as_of=YYYY-MM-DD`` (default today); anything else is a 400 naming the parameter."""
    raw = request.args.get("as_of")
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        text = gettext("Give a date as YYYY-MM-DD.")
        raise DomainError("invalid_parameter", text, status=400,
                          fields=[{"field": "as_of", "problem": text}]) from None


def _no_paging() -> None:
    reject_unknown_args({"as_of"})
    extra = sorted({"page", "per_page"} & set(request.args))
    if extra:
        raise DomainError("unknown_parameter", "unknown query parameter(s): {names}",
                          status=400, params={"names": ", ".join(extra)},
                          fields=[{"field": name, "problem": "unknown parameter"} for name in extra])


@bp.get("/monitoring/relationships")
@allow(BUYERS | MAKERS)
@operation("The caller's relationships (a buyer's makers or a maker's buyers): targets against actuals, slips "
           "first", query=s.MonitoringQuery, responses={200: s.Relationships}, errors=(400,))
def monitoring_relationships():
    reject_unknown_args({"as_of"})
    actor = current_actor()
    side = access.side_of(actor)
    page, per_page = page_args()
    return jsonify(views.relationships(db.session(), side, actor.organization_id, as_of(), page, per_page))


@bp.get("/monitoring/relationships/<int:counterpart_id>")
@allow(BUYERS | MAKERS)
@operation("One relationship: its figures, monthly targets against actuals, slips and orders",
           query=s.MonitoringQuery, responses={200: s.Relationship}, errors=(400, 404))
def monitoring_relationship(counterpart_id: int):
    reject_unknown_args({"as_of"})
    actor = current_actor()
    side, other = access.counterpart(db.session(), actor, counterpart_id)
    page, per_page = page_args()
    return jsonify(views.relationship(db.session(), side, actor.organization_id, other, as_of(), page, per_page))


@bp.get("/monitoring/orders/<int:order_id>")
@allow(BUYERS | MAKERS)
@operation("One order's targets against actuals, monthly series and slips (its two sides only)",
           query=s.AsOfQuery, responses={200: s.OrderMonitoringDetail}, errors=(400, 404))
def monitoring_order(order_id: int):
    _no_paging()
    _side, order = access.order_side(db.session(), current_actor(), order_id)
    data = views.order(db.session(), order.id, as_of())
    if data["figures"] is None:
        raise access.not_found("order")
    return jsonify(data)


@bp.get("/monitoring/association/buyers")
@allow(MONITORING_ASSOCIATION)
@operation("Each buyer's record across the association's member makers, anonymised (no maker named; figures "
           "withheld below three member firms)", query=s.MonitoringQuery, responses={200: s.AssociationBuyers},
           errors=(400,))
def monitoring_association_buyers():
    reject_unknown_args({"as_of"})
    page, per_page = page_args()
    return jsonify(views.association_buyers(db.session(), access.association_of(current_actor()), as_of(),
                                            page, per_page))


@bp.get("/monitoring/association/buyers/<int:buyer_id>")
@allow(MONITORING_ASSOCIATION)
@operation("One buyer's anonymised record across the association's members, with its monthly series",
           query=s.AsOfQuery, responses={200: s.AssociationBuyer}, errors=(400, 404))
def monitoring_association_buyer(buyer_id: int):
    _no_paging()
    sess = db.session()
    association = access.association_of(current_actor())
    buyer = sess.get(Organization, buyer_id)
    data = views.association_buyer(sess, association, buyer, as_of()) if buyer is not None else None
    if data is None:
        raise access.not_found("buyer")
    return jsonify(data)
