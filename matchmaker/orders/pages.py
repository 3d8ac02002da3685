"""Order pages: the list of the firm's orders, the maker's "new order" form (and either side's order
from a fair meeting whose follow-up named one), and the order page both sides share: terms with
each side's confirmation, milestones planned against actual, deliveries, invoices with payments,
disputes and answers, closing. The figure forms are in ``pages_figures``.

Same services and schemas as the JSON API (``orders.api``). Forms carry a CSRF token; a refusal is
shown beside the field it concerns (and at the top) with a 4xx status, and nothing is written.
Another firm's order is a 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from pydantic import ValidationError

from .. import db, paging
from .. import taxonomy as tx
from ..auth import current_actor
from ..forms import Problems, describe, parse
from ..i18n import gettext as _
from ..organizations.records import Organization
from ..records import utcnow
from ..security import small_int
from ..errors import LOST_RACE, Conflict
from . import buyer_lookup as lookup
from . import figures
from . import schemas as s
from . import services as svc
from . import views
from .forms import TERM_FORM, CloseForm, ConfirmForm, NewOrderForm, OrderPageForm, TermsForm
from .access import visible_order
from .labels import context as label_context
from .records import MILESTONES, STATUSES, Order
from ..access import allow, side_of, MAKERS, TALKERS
from ..errors import DomainError

bp = Blueprint("orders", __name__)
PER_PAGE = 20


@bp.context_processor
def _labels():
    return label_context()


def problems_of(exc: ValidationError) -> Problems:
    """Each pydantic error beside its field (a rule about two fields names its own), in the reader's language."""
    problems = Problems()
    for err in exc.errors(include_url=False):
        ctx = err.get("ctx") or {}
        name = str(ctx.get("field") or (err["loc"][0] if err["loc"] else "top"))
        problems.add(name, describe(err))
    return problems


def refused(exc: DomainError) -> Problems:
    problems = Problems()
    problems.add(exc.field, exc.text())
    problems.top.append(exc.text())
    return problems


def conflict_problems(exc: Conflict) -> Problems:
    """A refused step at the top of the order page, in the reader's language: the service's own sentence,
    except a lost race (the page reloaded the order, so it says "here is what it says now"). Chosen by the
    refusal's message id, the constant the service raised, never by its text."""
    if exc.message_id in (figures.MILESTONE_CHANGED, figures.CHANGED_AT_ONCE["milestone"]):
        return Problems(top=[_("Someone changed this milestone at the same moment; here are its dates now. "
                               "Check them and record yours again.")])
    if exc.message_id in (LOST_RACE, svc.CHANGED_AT_ONCE, svc.CHANGED_SINCE_READ, *figures.CHANGED_AT_ONCE.values()):
        return Problems(top=[_("Someone changed this order at the same moment; here is what it says now.")])
    return Problems(top=[exc.text()])


def payload(form: OrderPageForm, names) -> dict:
    """The filled-in fields of the form (empty ones left out, so the schema applies its default or says
    what is missing)."""
    return form.payload(names)


def order_or_404(order_id: int) -> tuple[Order, str]:
    try:
        return visible_order(db.session(), current_actor(), order_id)
    except DomainError:
        abort(404)


def render_order(order: Order, side: str, problems: Problems | None = None, which: str = "", status: int = 200,
                 form: OrderPageForm | None = None):
    sess = db.session()
    if status >= 400:
        sess.rollback()
    data = views.order_dict(sess, order, side)
    return render_template("orders/view.html", order=order, o=data, side=side, problems=problems or Problems(),
                           which=which, form=form.values() if (which and form is not None) else {}, stages=MILESTONES,
                           term_form=TERM_FORM, currencies=tx.CURRENCIES, today=utcnow().date()), status


def act(order: Order, side: str, which: str, fn, *args, success: str, anchor: str = "",
        form: OrderPageForm | None = None):
    """Run one service step for the order page: done → back to the page; refused → the page again with why."""
    sess = db.session()
    try:
        fn(*args)
    except Conflict as exc:
        sess.rollback()
        sess.refresh(order)
        return render_order(order, side, conflict_problems(exc), which, 409, form)
    except DomainError as exc:
        return render_order(order, side, refused(exc), which, exc.status, form)
    flash(success, "success")
    return redirect(url_for("orders.view", order_id=order.id, _anchor=anchor))


# -- the list ------------------------------------------------------------------------------------------

@bp.get("/orders")
@allow(TALKERS)
def index():
    actor, sess = current_actor(), db.session()
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    page = paging.page_arg()
    rows, total = svc.orders_for(sess, actor, status or None, PER_PAGE, paging.offset(page, PER_PAGE))
    pages = paging.page_count(total, PER_PAGE)
    if (past := paging.to_last_page(page, pages)) is not None:
        return past
    items = views.summary_dicts(sess, rows, lambda o: side_of(actor, o))
    return render_template("orders/index.html", items=items, total=total, page=page, pages=pages, status=status,
                           statuses=STATUSES, can_enter=actor.role == "maker_user")


# -- a new order -----------------------------------------------------------------------------------------

def _meeting_context(meeting_id: int | None):
    """(pair names, problem) of the fair meeting a new order is recorded from."""
    if meeting_id is None:
        return None
    try:
        buyer_id, maker_id, side = svc.meeting_pair(db.session(), current_actor(), meeting_id)
    except DomainError as exc:
        if exc.status == 404:
            abort(404)
        return {"problem": exc.text(), "id": meeting_id}
    sess = db.session()
    return {"id": meeting_id, "buyer": sess.get(Organization, buyer_id), "maker": sess.get(Organization, maker_id),
            "side": side, "problem": None}


def named_buyer(sess, text: str):
    """(the buyer firm the typed name resolves to, None) or (None, the problem beside the buyer field)."""
    buyer, candidates = lookup.resolve(sess, text)
    if buyer is not None:
        return buyer, None
    problems = Problems()
    if not candidates:
        problems.add("buyer_id", _("No buyer firm is called “{name}”; check the spelling or type part of the name.",
                                   name=text.strip()[:100]))
    else:
        names = "; ".join(lookup.label(o) for o in candidates[:lookup.LIMIT])
        problems.add("buyer_id", _("Several buyer firms match “{name}”: {names}. Type the full name.",
                                   name=text.strip()[:100], names=names))
    return None, problems


def _render_new(problems: Problems | None = None, status: int = 200, meeting=None, form: NewOrderForm | None = None):
    actor = current_actor()
    return render_template("orders/new.html", problems=problems or Problems(),
                           form=form.values() if form is not None else {},
                           meeting=meeting, currencies=tx.CURRENCIES, term_form=TERM_FORM,
                           is_maker=actor.role == "maker_user"), status


@bp.get("/orders/buyers")
@allow(MAKERS)
def buyer_suggestions():
    """The new-order form's buyer field, as the maker types: buyer firms matching ``q`` (JSON, this session)."""
    return jsonify({"items": lookup.suggestions(db.session(), request.args.get("q", ""))})


@bp.get("/orders/new")
@allow(TALKERS)
def new():
    meeting = _meeting_context(small_int(request.args.get("fair_meeting_id")))
    if meeting is None and current_actor().role != "maker_user":
        flash(_("A buyer records an order by accepting a quote, or from a fair meeting's follow-up."), "info")
        return redirect(url_for("orders.index"))
    return _render_new(meeting=meeting)


@bp.post("/orders/new")
@allow(TALKERS)
def create():
    form = NewOrderForm()
    raw_meeting = form.text("fair_meeting_id")
    meeting_id = small_int(raw_meeting)
    meeting = _meeting_context(meeting_id) if meeting_id else None
    data = payload(form, (*TERM_FORM, "buyer_id", "requirement_id", "started_on"))
    buyer_problem = None
    if raw_meeting:
        data["fair_meeting_id"] = raw_meeting
    elif not data.get("buyer_id") and form.text("buyer_name"):
        buyer, buyer_problem = named_buyer(db.session(), form.text("buyer_name"))
        if buyer is not None:
            data["buyer_id"] = str(buyer.id)
    try:
        body = s.OrderIn.model_validate(data)
    except ValidationError as exc:
        # every field's problem in one round, the typed buyer name's among them
        problems = problems_of(exc)
        if buyer_problem is not None:
            problems.fields.pop("buyer_id", None)
            problems.fields.update(buyer_problem.fields)
        elif not raw_meeting and not data.get("buyer_id"):  # the origin rule runs only once the fields pass
            problems.add("buyer_id", _("Choose the buyer, or the fair meeting the order came from."))
        return _render_new(problems, 422, meeting, form)
    sess = db.session()
    try:
        order = svc.create_order(sess, current_actor(), body)
    except Conflict as exc:
        return _render_new(conflict_problems(exc), 409, meeting, form)
    except DomainError as exc:
        sess.rollback()
        return _render_new(refused(exc), exc.status, meeting, form)
    flash(_("Order recorded: the other side is asked to confirm its terms."), "success")
    return redirect(url_for("orders.view", order_id=order.id))


# -- one order -------------------------------------------------------------------------------------------

@bp.get("/orders/<int:order_id>")
@allow(TALKERS)
def view(order_id: int):
    order, side = order_or_404(order_id)
    return render_order(order, side)


@bp.post("/orders/<int:order_id>/terms")
@allow(TALKERS)
def terms(order_id: int):
    order, side = order_or_404(order_id)
    form = TermsForm()
    # the form is prefilled with the terms: a field sent empty was emptied on purpose; the schema clears an
    # optional term so emptied and refuses a required one beside its field; a field not sent is kept
    data = {k: form.text(k) or None for k in TERM_FORM if form[k].raw_data}
    data["version"] = form.text("version")
    body, problems = parse(s.TermsPatch, data, problems_of)
    if problems:
        return render_order(order, side, problems, "terms", 422, form)
    if order.status == "open" and body.version == order.version and not svc.term_changes(order, body):
        flash(_("Nothing changed: the terms are as they were."), "info")  # nothing recorded, nobody told
        return redirect(url_for("orders.view", order_id=order.id, _anchor="terms"))
    return act(order, side, "terms", svc.update_terms, db.session(), order, side, current_actor(), body,
               success=_("Terms changed: the other side is asked to confirm them."), anchor="terms", form=form)


@bp.post("/orders/<int:order_id>/confirm")
@allow(TALKERS)
def confirm(order_id: int):
    order, side = order_or_404(order_id)
    form = ConfirmForm()
    body, problems = parse(s.ConfirmIn, {"version": form.text("version")}, problems_of)
    if problems:
        return render_order(order, side, problems, "confirm", 422, form)
    return act(order, side, "confirm", svc.confirm_terms, db.session(), order, side, body.version,
               success=_("You confirmed the terms."), anchor="terms", form=form)


@bp.post("/orders/<int:order_id>/close")
@allow(TALKERS)
def close(order_id: int):
    order, side = order_or_404(order_id)
    form = CloseForm()
    body, problems = parse(s.CloseIn, {"status": form.text("status"), "version": form.text("version")}, problems_of)
    if problems:
        return render_order(order, side, problems, "close", 422, form)
    done = _("Order closed.") if body.status == "closed" else _("Order cancelled.")
    return act(order, side, "close", svc.close, db.session(), order, side, body, success=done, form=form)
