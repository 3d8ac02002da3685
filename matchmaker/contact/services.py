"""The rules of buyer–maker contact, shared by the JSON API and the pages.

* A shortlist belongs to one requirement of one buyer; adding a maker logs ``shortlisted`` with
  the position and model version that showed it (hidden fields of the ranked list).
* Only a buyer an association's board cleared (approved, or approved with conditions) sends
  inquiries or messages; the refusal says why (not vetted, under review, the board's decision).
* A buyer sends at most ``limit`` inquiries per UTC day: a counter row per buyer and day is
  raised with one conditional UPDATE, so concurrent requests cannot overshoot it.
* A maker answers an inquiry once (accept, or decline with a reason); the inquiry's version
  column makes two concurrent answers end with one winner and a :class:`Conflict` (409).
* Who sees what: the buyer firm and the addressed maker firm, nobody else (association staff
  and the platform admin do not read private threads); a maker's quote only by its maker and
  the inquiring buyer.
* Every step writes its outcome event with the ranking context copied from the shortlist.

Errors are :class:`~matchmaker.errors.DomainError` with an English message id and parameters, worded when shown.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..ranking.features import haversine_km
from ..accounts.records import User
from ..organizations.records import Organization
from ..ranking.records import OutcomeEvent
from ..records import utcnow
from ..requirements.records import Requirement
from ..errors import Conflict
from ..makers.services import maker_dicts
from ..vetting import services as vs
from . import notify as nt
from . import schemas as s
from .records import Inquiry, InquiryDayCount, Message, Quote, Shortlist, ShortlistEntry
from ..errors import DomainError

MAKER_KINDS = ("maker",)
DEFAULT_DAILY_LIMIT = 20


def commit(session: Session, *notices: tuple) -> None:
    """Write ``notices`` (``(inquiry, kind, to_side)``) and commit, all or nothing; a lost race is a Conflict."""
    try:
        if notices:
            session.flush()  # new inquiries get their ids and load their firms for the notice text
        for inq, kind, to_side in notices:
            nt.notify(session, inq, kind, to_side)
        session.commit()
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise Conflict("someone else changed this at the same moment; reload and try again") from exc


def _outcome(session: Session, inq: Inquiry, event: str) -> None:
    session.add(OutcomeEvent(requirement_id=inq.requirement_id, buyer_id=inq.buyer_id, maker_id=inq.maker_id,
                             event=event, rank=inq.rank, model_version=inq.model_version, source="contact",
                             occurred_at=utcnow()))


def _maker(session: Session, maker_id: int, field: str) -> Organization:
    org = session.get(Organization, maker_id)
    if org is None or org.kind not in MAKER_KINDS:
        raise DomainError("invalid", "There is no maker {id}.", field=field, params={'id': maker_id})
    return org


# -- requirements and shortlists ------------------------------------------------------------------

def own_requirement(session: Session, user: User, requirement_id: int, field: str = "requirement_id") -> Requirement:
    """The buyer's own requirement, or 404 (another buyer's requirement is never confirmed)."""
    req = session.get(Requirement, requirement_id)
    if req is None or user.organization_id is None or req.buyer_id != user.organization_id:
        raise DomainError("not_found", "You have no requirement {id}.", field=field, status=404,
                          params={'id': requirement_id})
    return req


def open_requirements(session: Session, buyer_id: int | None) -> list[Requirement]:
    if buyer_id is None:
        return []
    return list(session.scalars(select(Requirement).where(Requirement.buyer_id == buyer_id,
                                                          Requirement.status != "closed")
                                .order_by(Requirement.created_at.desc()).limit(100)))


def _insert_if_missing(session: Session, model, **values) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: two requests creating one row at once both go on."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


def shortlist_for(session: Session, req: Requirement, create: bool = False) -> Shortlist | None:
    sl = session.scalar(select(Shortlist).where(Shortlist.requirement_id == req.id))
    if sl is None and create:
        _insert_if_missing(session, Shortlist, buyer_id=req.buyer_id, requirement_id=req.id, created_at=utcnow())
        sl = session.scalar(select(Shortlist).where(Shortlist.requirement_id == req.id))
    return sl


def add_to_shortlist(session: Session, user: User, req: Requirement, data: s.ShortlistAdd) -> ShortlistEntry:
    _maker(session, data.maker_id, "maker_id")
    sl = shortlist_for(session, req, create=True)
    if any(e.maker_id == data.maker_id for e in sl.entries):
        raise Conflict("this maker is already on the shortlist")
    entry = ShortlistEntry(shortlist_id=sl.id, maker_id=data.maker_id, source=data.source, rank=data.rank,
                           model_version=data.model_version, added_by_id=user.id)
    session.add(entry)
    session.add(OutcomeEvent(requirement_id=req.id, buyer_id=req.buyer_id, maker_id=data.maker_id,
                             event="shortlisted", rank=data.rank, model_version=data.model_version,
                             source="contact", occurred_at=utcnow()))
    commit(session)
    return entry


def remove_from_shortlist(session: Session, req: Requirement, maker_id: int) -> None:
    sl = shortlist_for(session, req)
    entry = next((e for e in sl.entries if e.maker_id == maker_id), None) if sl else None
    if entry is None:
        raise DomainError("not_found", "Maker {id} is not on this shortlist.", field="maker_id", status=404,
                          params={'id': maker_id})
    sl.entries.remove(entry)
    commit(session)


def shortlists_of(session: Session, buyer_id: int | None) -> list[tuple[Shortlist, int]]:
    if buyer_id is None:
        return []
    counts = (select(func.count(ShortlistEntry.id)).where(ShortlistEntry.shortlist_id == Shortlist.id)
              .correlate(Shortlist).scalar_subquery())
    return list(session.execute(select(Shortlist, counts).where(Shortlist.buyer_id == buyer_id)
                                .order_by(Shortlist.id.desc())).all())


def track_records(session: Session, maker_ids: list[int]) -> dict[int, dict]:
    """Counts across the whole cluster, never naming a client: orders, repeat orders, disputes, on time."""
    out = {m: {"orders": 0, "repeat_orders": 0, "disputes": 0, "on_time_share": None} for m in maker_ids}
    if not maker_ids:
        return out
    on_time: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(select(OutcomeEvent.maker_id, OutcomeEvent.event, OutcomeEvent.on_time, func.count())
                           .where(OutcomeEvent.maker_id.in_(maker_ids),
                                  OutcomeEvent.event.in_(("order_placed", "repeat_order", "dispute")))
                           .group_by(OutcomeEvent.maker_id, OutcomeEvent.event, OutcomeEvent.on_time))
    for maker_id, event, ok, n in rows:
        key = {"order_placed": "orders", "repeat_order": "repeat_orders", "dispute": "disputes"}[event]
        out[maker_id][key] += n
        if event != "dispute" and ok is not None:
            on_time[maker_id][0 if ok else 1] += n
    for maker_id, (good, late) in on_time.items():
        out[maker_id]["on_time_share"] = round(good / (good + late), 3)
    return out


def comparison(session: Session, req: Requirement, entries: list[ShortlistEntry]) -> list[dict]:
    """One row per shortlisted maker: the public profile facts a buyer compares, side by side."""
    ids = [e.maker_id for e in entries]
    profiles = maker_dicts(session, ids)
    records = track_records(session, ids)
    buyer = req.buyer
    today = utcnow().date().isoformat()
    inquired = {m: i for m, i in session.execute(
        select(Inquiry.maker_id, Inquiry.id).where(Inquiry.requirement_id == req.id, Inquiry.maker_id.in_(ids)))}
    rows = []
    for e in entries:
        p = profiles.get(e.maker_id)
        distance = None
        if p and None not in (buyer.lat, buyer.lon, p["lat"], p["lon"]):
            distance = round(haversine_km(buyer.lat, buyer.lon, p["lat"], p["lon"]))
        rows.append({
            "maker_id": e.maker_id, "name": e.maker.name, "source": e.source, "rank": e.rank,
            "model_version": e.model_version, "has_profile": p is not None,
            "processes": p["processes"] if p else [],
            "monthly_capacity": p["monthly_capacity"] if p else None,
            "peak_spare_capacity": p["peak_spare_capacity"] if p else None,
            "min_order_qty": p["min_order_qty"] if p else None,
            "sample_lead_days": p["sample_lead_days"] if p else None,
            "order_lead_days": p["order_lead_days"] if p else None,
            "service_tier": p["service_tier"] if p else None,
            "quality_tier": p["quality_tier"] if p else None,
            "size_band": p["size_band"] if p else None,
            "certificates": sorted({c["kind"] for c in p["certificates"] if c["valid_until"] >= today}) if p else [],
            "distance_km": distance,
            "track_record": records[e.maker_id],
            "inquiry_id": inquired.get(e.maker_id),
        })
    return rows


# -- clearance and the daily limit -------------------------------------------------------------

def clearance_refusal(session: Session, buyer_id: int | None) -> DomainError | None:
    """``None`` when an association's board cleared the buyer; else the refusal saying why."""
    if buyer_id is None:
        return DomainError("no_firm", "Your account is not attached to a firm.", field="buyer", status=403)
    if vs.is_cleared(session, buyer_id):
        return None
    standing = vs.standings(session, [buyer_id]).get(buyer_id)
    if vs.under_review(session, [buyer_id]):
        return DomainError("not_cleared",
                           "Your firm's vetting case is under review: you can contact makers once the board "
                            "approves it.",
                           field="buyer", status=403)
    if standing is None:
        return DomainError("not_cleared",
                           "Your firm has not been vetted by an association yet: apply for vetting before "
                            "contacting makers.",
                           field="buyer", status=403)
    return DomainError("not_cleared",
                       "The association's board decided \u201c{outcome}\u201d about your firm: only cleared buyers "
                        "may contact makers.",
                       field="buyer", status=403, params={'outcome': _outcome_label(standing.outcome)})


def _outcome_label(code: str) -> str:
    from ..i18n import locale
    from ..taxonomy import VETTING_OUTCOMES
    try:
        lang = locale()
    except RuntimeError:
        lang = "en"
    return VETTING_OUTCOMES.label(code, lang) if code in VETTING_OUTCOMES else code


def _take_quota(session: Session, buyer_id: int, count: int, limit: int) -> None:
    """Raise today's counter by ``count`` unless that passes ``limit`` (atomic, in this transaction)."""
    day = utcnow().date()
    _insert_if_missing(session, InquiryDayCount, buyer_id=buyer_id, day=day, sent=0)
    done = session.execute(update(InquiryDayCount)
                           .where(InquiryDayCount.buyer_id == buyer_id, InquiryDayCount.day == day,
                                  InquiryDayCount.sent + count <= limit)
                           .values(sent=InquiryDayCount.sent + count)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        used = session.scalar(select(InquiryDayCount.sent).where(InquiryDayCount.buyer_id == buyer_id,
                                                                 InquiryDayCount.day == day)) or 0
        session.rollback()
        raise DomainError("daily_limit", "You may send {limit} inquiries a day; {left} are left today.",
                          field="maker_ids", status=429,
                          params={'limit': limit, 'left': max(0, limit - used)})


# -- inquiries -------------------------------------------------------------------------------------

def send_inquiries(session: Session, user: User, data: s.InquiryIn, limit: int) -> list[Inquiry]:
    refusal = clearance_refusal(session, user.organization_id)
    if refusal is not None:
        raise refusal
    req = own_requirement(session, user, data.requirement_id)
    if req.status != "open":
        raise DomainError("requirement_not_open",
                          "Open the requirement before sending it to makers: makers see only open requirements.",
                          field="requirement_id", status=409)
    for maker_id in data.maker_ids:
        _maker(session, maker_id, "maker_ids")
    taken = set(session.scalars(select(Inquiry.maker_id).where(Inquiry.requirement_id == req.id,
                                                               Inquiry.maker_id.in_(data.maker_ids))))
    if taken:
        names = ", ".join(session.get(Organization, m).name for m in sorted(taken))
        raise DomainError("already_sent", "This requirement was already sent to {names}.",
                          field="maker_ids", status=409, params={'names': names})
    sl = shortlist_for(session, req)
    context = {e.maker_id: (e.rank, e.model_version) for e in sl.entries} if sl else {}
    _take_quota(session, req.buyer_id, len(data.maker_ids), limit)
    now = utcnow()
    out = []
    for maker_id in data.maker_ids:
        rank, version = context.get(maker_id, (None, None))
        inq = Inquiry(requirement_id=req.id, buyer_id=req.buyer_id, maker_id=maker_id, sent_by_id=user.id,
                      message=data.message, rank=rank, model_version=version, created_at=now, last_activity_at=now)
        session.add(inq)
        out.append(inq)
        _outcome(session, inq, "contacted")
    commit(session, *[(inq, "inquiry", "maker") for inq in out])
    return out


def side_of(user: User, inq: Inquiry) -> str | None:
    """``buyer`` or ``maker`` when the user acts for that firm of the inquiry; else None."""
    if user is None or user.organization_id is None:
        return None
    if user.role == "buyer_user" and user.organization_id == inq.buyer_id:
        return "buyer"
    if user.role == "maker_user" and user.organization_id == inq.maker_id:
        return "maker"
    return None


def visible_inquiry(session: Session, user: User, inquiry_id: int) -> tuple[Inquiry, str]:
    inq = session.get(Inquiry, inquiry_id)
    side = side_of(user, inq) if inq is not None else None
    if side is None:
        raise DomainError("not_found", "There is no inquiry {id} for your firm.", field="inquiry_id",
                          status=404, params={'id': inquiry_id})
    return inq, side


def inquiries_for(session: Session, user: User, status: str | None = None, requirement_id: int | None = None,
                  limit: int = 50, offset: int = 0) -> tuple[list[Inquiry], int]:
    """A maker's inbox or a buyer's sent inquiries, most recent activity first."""
    if user.organization_id is None:
        return [], 0
    own = Inquiry.maker_id if user.role == "maker_user" else Inquiry.buyer_id
    stmt = select(Inquiry).where(own == user.organization_id)
    if status:
        stmt = stmt.where(Inquiry.status == status)
    if requirement_id:
        stmt = stmt.where(Inquiry.requirement_id == requirement_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(Inquiry.last_activity_at.desc(), Inquiry.id.desc())
                           .limit(limit).offset(offset)).all()
    return list(rows), total


def _check_version(inq: Inquiry, version: int | None) -> None:
    if version is not None and version != inq.version:
        raise Conflict("the inquiry changed since you read it; reload and try again")


def answer(session: Session, user: User, inq: Inquiry, data: s.AnswerIn) -> Inquiry:
    if side_of(user, inq) != "maker":
        raise DomainError("forbidden", "Only the maker the inquiry was sent to may answer it.",
                          field="decision", status=403)
    _check_version(inq, data.version)
    if inq.status != "sent":
        raise Conflict("this inquiry has already been answered")
    if data.decision == "decline" and data.reason is None:
        raise DomainError("invalid", "Choose a reason for declining.", field="reason")
    inq.status = "accepted" if data.decision == "accept" else "declined"
    inq.decline_reason = data.reason if data.decision == "decline" else None
    inq.decline_note = data.note if data.decision == "decline" else ""
    inq.answered_by_id, inq.answered_at = user.id, utcnow()
    inq.last_activity_at = inq.answered_at
    if data.decision == "decline":
        _outcome(session, inq, "declined")
    commit(session, (inq, "accepted" if data.decision == "accept" else "declined", "buyer"))
    return inq


def add_quote(session: Session, user: User, inq: Inquiry, data: s.QuoteIn) -> Quote:
    if side_of(user, inq) != "maker":
        raise DomainError("forbidden", "Only the maker the inquiry was sent to may quote.",
                          field="unit_price", status=403)
    if inq.status == "declined":
        raise Conflict("you declined this inquiry; a declined inquiry takes no quote")
    first = session.scalar(select(func.count(Quote.id)).where(Quote.inquiry_id == inq.id)) == 0
    now = utcnow()
    if inq.status == "sent":  # quoting answers the inquiry
        inq.status, inq.answered_by_id, inq.answered_at = "accepted", user.id, now
    inq.last_activity_at = now  # bumps the version: a concurrent decline loses with a 409
    quote = Quote(inquiry_id=inq.id, maker_id=inq.maker_id, created_by_id=user.id, created_at=now,
                  **data.model_dump())
    session.add(quote)
    if first:
        _outcome(session, inq, "quoted")
    commit(session, (inq, "quote", "buyer"))
    return quote


def quotes_of(session: Session, inq: Inquiry) -> list[Quote]:
    return list(session.scalars(select(Quote).where(Quote.inquiry_id == inq.id).order_by(Quote.id)))


def quote_table(session: Session, req: Requirement) -> list[dict]:
    """The latest quote of each maker on one requirement, cheapest first (the buyer's comparison)."""
    latest = (select(func.max(Quote.id)).join(Inquiry, Inquiry.id == Quote.inquiry_id)
              .where(Inquiry.requirement_id == req.id).group_by(Quote.inquiry_id))
    rows = session.execute(select(Quote, Inquiry, Organization.name)
                           .join(Inquiry, Inquiry.id == Quote.inquiry_id)
                           .join(Organization, Organization.id == Inquiry.maker_id)
                           .where(Quote.id.in_(latest))).all()
    today = utcnow().date()
    out = [dict(quote_dict(q), maker_name=name, inquiry_status=inq.status, expired=q.valid_until < today,
                meets_quantity=q.moq <= req.quantity, meets_lead_time=q.lead_time_days <= req.lead_time_days)
           for q, inq, name in rows]
    return sorted(out, key=lambda r: (r["expired"], r["currency"], r["unit_price"]))


BUYER_EVENT_FIELDS = {"sample_requested": "sample_requested_at", "sample_approved": "sample_approved_at",
                      "order_placed": "order_placed_at"}


def record_event(session: Session, user: User, inq: Inquiry, event: str) -> Inquiry:
    if side_of(user, inq) != "buyer":
        raise DomainError("forbidden", "Only the buyer who sent the inquiry records its progress.",
                          field="event", status=403)
    if inq.status == "declined":
        raise Conflict("the maker declined this inquiry")
    attr = BUYER_EVENT_FIELDS[event]
    if getattr(inq, attr) is not None:
        raise Conflict("{event} is already recorded for this inquiry", params={"event": event})
    if event == "sample_approved" and inq.sample_requested_at is None:
        raise DomainError("out_of_order", "Request a sample before approving it.", field="event",
                          status=409)
    if event == "order_placed" and inq.status != "accepted":
        raise DomainError("out_of_order", "The maker has not accepted this inquiry yet.", field="event",
                          status=409)
    now = utcnow()
    setattr(inq, attr, now)
    inq.last_activity_at = now
    _outcome(session, inq, event)
    commit(session, *([(inq, "sample_requested", "maker")] if event == "sample_requested" else []))
    return inq


# -- conversations ------------------------------------------------------------------------------

def thread(session: Session, user: User, inq: Inquiry, mark_read: bool = True) -> list[Message]:
    """The inquiry's messages, oldest first; the reader's opening marks the other side's messages read."""
    side = side_of(user, inq)
    if mark_read and side is not None:
        result = session.execute(update(Message).where(Message.inquiry_id == inq.id, Message.side != side,
                                                       Message.read_at.is_(None))
                                 .values(read_at=utcnow()).execution_options(synchronize_session=False))
        if result.rowcount:
            session.commit()
    return list(session.scalars(select(Message).where(Message.inquiry_id == inq.id).order_by(Message.id)))


def send_refusal(session: Session, user: User, inq: Inquiry) -> DomainError | None:
    """Why this user cannot write in the thread now (a buyer whose clearance was withdrawn), or None."""
    if side_of(user, inq) == "buyer":
        return clearance_refusal(session, inq.buyer_id)
    return None


def send_message(session: Session, user: User, inq: Inquiry, data: s.MessageIn) -> Message:
    side = side_of(user, inq)
    if side is None:
        raise DomainError("not_found", "There is no inquiry {id} for your firm.", field="inquiry_id",
                          status=404, params={'id': inq.id})
    refusal = send_refusal(session, user, inq)
    if refusal is not None:
        raise refusal
    now = utcnow()
    msg = Message(inquiry_id=inq.id, side=side, author_id=user.id, body=data.body, created_at=now)
    session.add(msg)
    # a plain UPDATE of the activity time, outside the optimistic lock: a message never races an answer
    session.execute(update(Inquiry.__table__).where(Inquiry.__table__.c.id == inq.id)
                    .values(last_activity_at=now))
    commit(session, (inq, "reply", "maker" if side == "buyer" else "buyer"))
    return msg


def unread_counts(session: Session, user: User | None) -> int:
    """The nav's number: the user's unread notifications (of every kind: contact, vetting, fairs)."""
    if user is None:
        return 0
    return nt.unread(session, user.id)


# -- plain data for the API ---------------------------------------------------------------------

def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def entry_dict(e: ShortlistEntry) -> dict:
    return {"maker_id": e.maker_id, "name": e.maker.name, "source": e.source, "rank": e.rank,
            "model_version": e.model_version, "added_at": _iso(e.created_at)}


def inquiry_dict(inq: Inquiry, side: str) -> dict:
    data = {"id": inq.id, "requirement_id": inq.requirement_id, "requirement_title": inq.requirement.title,
            "buyer_id": inq.buyer_id, "buyer_name": inq.buyer.name, "maker_id": inq.maker_id,
            "maker_name": inq.maker.name, "message": inq.message, "status": inq.status,
            "decline_reason": inq.decline_reason, "decline_note": inq.decline_note,
            "answered_at": _iso(inq.answered_at), "sample_requested_at": _iso(inq.sample_requested_at),
            "sample_approved_at": _iso(inq.sample_approved_at), "order_placed_at": _iso(inq.order_placed_at),
            "created_at": _iso(inq.created_at), "last_activity_at": _iso(inq.last_activity_at),
            "version": inq.version}
    if side == "buyer":  # the ranking context is the buyer's own
        data.update(rank=inq.rank, model_version=inq.model_version)
    return data


def quote_dict(q: Quote) -> dict:
    return {"id": q.id, "inquiry_id": q.inquiry_id, "maker_id": q.maker_id, "unit_price": q.unit_price,
            "currency": q.currency, "lead_time_days": q.lead_time_days, "moq": q.moq,
            "valid_until": q.valid_until.isoformat(), "notes": q.notes, "created_at": _iso(q.created_at),
            "consortium_proposal_id": q.consortium_proposal_id}


def message_dict(m: Message) -> dict:
    return {"id": m.id, "side": m.side, "body": m.body, "created_at": _iso(m.created_at),
            "read_at": _iso(m.read_at)}

