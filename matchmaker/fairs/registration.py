"""Creating a fair and registering its participants (one by one, from a CSV, or removed again)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..catalog import N_
from ..organizations.records import Membership, Organization
from . import gating
from . import schemas as fs
from .agendas import sync_calendar
from .core import (BUYER_KINDS, MAKER_KINDS, cut_slots, current_run, fair_days, fair_slots, is_over,
                   participant_for_org, run_meetings)
from .records import (Fair, FairBreak, FairChange, FairFollowUp, FairMeeting, FairPairSetting, FairParticipant,
                      FairRequest, FairSession, FairTable)
from ..errors import DomainError

#: The fair-over refusals of registering and of changing settings: once the fair is over, who attended
#: and under which settings is what its meetings, outcomes and report were made of.
REGISTRATION_CLOSED = N_("the fair is over: its participants stay as they attended it")
SETTINGS_KEPT = N_("the fair is over: its settings stay as they were when it was held")


def refuse_registration_if_over(fair: Fair) -> None:
    if is_over(fair):
        raise DomainError("conflict", REGISTRATION_CLOSED, field="participants", status=409)


def refuse_settings_if_over(fair: Fair) -> None:
    if is_over(fair):
        raise DomainError("conflict", SETTINGS_KEPT, field="settings", status=409)


# -- fairs -------------------------------------------------------------------------------------

def create_fair(session: Session, data: fs.FairIn, association_id: int, user_id: int | None) -> Fair:
    slots = cut_slots(data.sessions, data.breaks, data.slot_minutes)
    if not slots:
        raise DomainError("invalid", "the breaks leave no meeting slot in any session", field="breaks")
    fair = Fair(association_id=association_id, name=data.name, venue=data.venue, timezone=data.timezone,
                slot_minutes=data.slot_minutes, request_deadline=data.request_deadline,
                default_min_meetings=data.default_min_meetings, default_max_meetings=data.default_max_meetings,
                fill_minimums=data.fill_minimums, created_by_id=user_id)
    fair.sessions = [FairSession(label=s.label, starts_at=s.start, ends_at=s.end) for s in data.sessions]
    fair.breaks = [FairBreak(label=b.label, starts_at=b.start, ends_at=b.end) for b in data.breaks]
    fair.tables = [FairTable(label=t.label) for t in data.tables]
    session.add(fair)
    session.commit()
    return fair


def update_settings(session: Session, fair: Fair, data: fs.FairSettingsIn) -> Fair:
    """Change the organizer's scheduling options; they apply from the next scheduling run. Refused (409)
    once the fair is over."""
    refuse_settings_if_over(fair)
    fair.fill_minimums = data.fill_minimums
    session.commit()
    return fair


def fair_dict(fair: Fair, with_slots: bool = True) -> dict:
    data = {
        "id": fair.id, "association_id": fair.association_id, "name": fair.name, "venue": fair.venue,
        "timezone": fair.timezone, "slot_minutes": fair.slot_minutes, "days": fair_days(fair),
        "request_deadline": fair.request_deadline.isoformat() if fair.request_deadline else None,
        "default_min_meetings": fair.default_min_meetings, "default_max_meetings": fair.default_max_meetings,
        "fill_minimums": bool(fair.fill_minimums),
        "sessions": [{"id": s.id, "label": s.label, "start": s.starts_at.isoformat(), "end": s.ends_at.isoformat()}
                     for s in fair.sessions],
        "breaks": [{"id": b.id, "label": b.label, "start": b.starts_at.isoformat(), "end": b.ends_at.isoformat()}
                   for b in fair.breaks],
        "tables": [{"id": t.id, "label": t.label} for t in fair.tables],
    }
    if with_slots:
        data["slots"] = [{"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()}
                         for s in fair_slots(fair)]
    return data


def register(session: Session, fair: Fair, data: fs.ParticipantIn, user_id: int | None,
             by_organizer: bool, as_history: bool = False) -> FairParticipant:
    """Register one firm. Refused (409) once the fair is over, unless ``as_history``: only the demo
    generator, which builds a past fair as it was held, passes it."""
    if not as_history:
        refuse_registration_if_over(fair)
    org = session.get(Organization, data.organization_id)
    if org is None:
        raise DomainError("not_found", "no organization {id}", field="organization_id", status=404,
                          params={'id': data.organization_id})
    if org.kind in BUYER_KINDS:
        side = "buyer"
    elif org.kind in MAKER_KINDS:
        side = "maker"
    else:
        raise DomainError("invalid",
                          "{name} is neither a buyer nor a maker; only buyers and makers attend fairs",
                          field="organization_id", params={'name': org.name})
    if participant_for_org(session, fair, org.id) is not None:
        raise DomainError("conflict", "{name} is already registered for this fair", field="organization_id",
                          status=409, params={'name': org.name})
    if side == "buyer" and not gating.buyer_may_attend(session, org.id, fair.association_id):
        raise DomainError("not_cleared", "buyer {name} is not cleared by the hosting association's "
                        "vetting ({standing}); only cleared buyers may register",
                          field="organization_id",
                          params={'name': org.name, 'standing': buyer_standing(session, fair, org.id)})
    if side == "maker" and not by_organizer and not _is_member(session, fair.association_id, org.id):
        raise DomainError("not_member", "{name} is not a member of the hosting association; "
                        "the organizer may add it",
                          field="organization_id", status=403, params={'name': org.name})
    p = FairParticipant(fair_id=fair.id, organization_id=org.id, side=side, registered_by_id=user_id,
                        min_meetings=fair.default_min_meetings if data.min_meetings is None else data.min_meetings,
                        max_meetings=fair.default_max_meetings if data.max_meetings is None else data.max_meetings,
                        unavailable=[])
    p.organization = org
    _apply_participant(session, fair, p, data.fixed_table_id, data.unavailable)
    session.add(p)
    session.commit()
    return p


def buyer_standing(session: Session, fair: Fair, buyer_id: int) -> str:
    """Why a buyer is not cleared, in English (pages translate the phrase)."""
    return gating.NOT_CLEARED.get(gating.standings(session, [buyer_id], fair.association_id)[buyer_id],
                                  N_("not cleared"))


#: the fewest characters of a firm's name the registration search looks for (shorter matches nearly every firm)
SEARCH_MIN = 2


def registration_candidates(session: Session, fair: Fair, query: str, limit: int = 20) -> list[dict]:
    """Firms the organizer may register whose name contains ``query``: buyers, with whether they are
    cleared and why not, and member makers. Already registered firms are left out."""
    text = " ".join(query.split())[:100]
    if len(text) < SEARCH_MIN:
        return []
    registered = select(FairParticipant.organization_id).where(FairParticipant.fair_id == fair.id)
    like = f"%{text.replace('%', '').replace('_', ' ')}%"
    buyers = session.scalars(select(Organization).where(Organization.kind.in_(BUYER_KINDS),
                                                        Organization.name.ilike(like),
                                                        Organization.id.not_in(registered))
                             .order_by(Organization.name).limit(limit)).all()
    makers = session.scalars(select(Organization).where(Organization.kind.in_(MAKER_KINDS),
                                                        Organization.name.ilike(like),
                                                        Organization.id.not_in(registered))
                             .order_by(Organization.name).limit(limit)).all()
    members = set(session.scalars(select(Membership.organization_id).where(
        Membership.association_id == fair.association_id,
        Membership.organization_id.in_([m.id for m in makers]))))
    standing = gating.standings(session, [b.id for b in buyers], fair.association_id)
    out = [{"organization_id": b.id, "name": b.name, "country": b.country, "side": "buyer",
            "offered": standing[b.id] == "cleared",
            "reason": None if standing[b.id] == "cleared" else gating.NOT_CLEARED[standing[b.id]]} for b in buyers]
    out += [{"organization_id": m.id, "name": m.name, "country": m.country, "side": "maker", "offered": True,
             "reason": None, "member": m.id in members} for m in makers]
    out.sort(key=lambda r: (not r["offered"], r["name"].lower()))
    return out[:limit]


def register_rows(session: Session, fair: Fair, rows: list[dict], user_id: int | None) -> list[dict]:
    """Register each CSV row's firm (by ``organization_id`` or exact ``name``); one report line per row:
    ``{"row", "firm", "registered", "error"}`` with ``row`` the line number in the file (header = 1).
    Once the fair is over the whole file is refused (409), before any row."""
    refuse_registration_if_over(fair)
    report = []
    for number, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        ident, name = row.get("organization_id", ""), row.get("name", "")
        org = None
        try:
            if ident:
                if not ident.isdigit():
                    raise DomainError("invalid", "{value} is not an organization id",
                                      field="organization_id", params={'value': ident})
                org = session.get(Organization, int(ident))
                if org is None:
                    raise DomainError("not_found", "no organization {id}", field="organization_id",
                                      status=404, params={'id': ident})
            elif name:
                found = session.scalars(select(Organization).where(
                    func.lower(Organization.name) == name.lower()).limit(2)).all()
                if len(found) != 1:
                    message = N_("no single firm is called {name}") if found else N_("no firm is called {name}")
                    raise DomainError("invalid", message, field="name", params={'name': name})
                org = found[0]
            else:
                raise DomainError("invalid", "the row names no firm", field="organization_id")
            register(session, fair, fs.ParticipantIn(organization_id=org.id), user_id, by_organizer=True)
            report.append({"row": number, "firm": org.name, "registered": True, "error": None})
        except DomainError as exc:
            session.rollback()
            report.append({"row": number, "firm": org.name if org is not None else (name or ident),
                           "registered": False, "error": exc})
    return report


PARTICIPANT_KEPT = N_("the fair is over: {name} stays registered, with its meetings and their outcomes")


def remove_participant(session: Session, fair: Fair, p: FairParticipant) -> int:
    """Unregister a firm: its marks go, its meetings in the current schedule are released (the
    counterparts' calendars show them as called off). Returns how many meetings were released.
    Once the fair is over its meetings are history (held, no-show, follow-ups, the report): refused."""
    if is_over(fair):
        raise DomainError("conflict", PARTICIPANT_KEPT, field="participants", status=409,
                          params={"name": p.organization.name})
    run = current_run(session, fair)
    released = 0
    for m in run_meetings(session, run):
        if p.id in (m.buyer_participant_id, m.maker_participant_id):
            released += m.status in ("scheduled", "held")
    session.flush()
    # history of earlier runs and repairs names the participant: it goes with it
    for model, cols in ((FairChange, ("participant_id", "counterpart_id")),
                        (FairRequest, ("from_participant_id", "to_participant_id")),
                        (FairMeeting, ("buyer_participant_id", "maker_participant_id")),
                        (FairPairSetting, ("buyer_participant_id", "maker_participant_id")),
                        (FairFollowUp, ("buyer_participant_id", "maker_participant_id"))):
        table = model.__table__
        session.execute(table.delete().where(table.c.fair_id == fair.id)
                        .where((table.c[cols[0]] == p.id) | (table.c[cols[1]] == p.id)))
    session.delete(p)
    session.flush()
    session.expire_all()
    sync_calendar(session, fair)
    session.commit()
    return released


def _is_member(session: Session, association_id: int, org_id: int) -> bool:
    return session.scalar(select(Membership.id).where(Membership.association_id == association_id,
                                                      Membership.organization_id == org_id)) is not None


def update_participant(session: Session, fair: Fair, p: FairParticipant, data: fs.ParticipantPatch) -> FairParticipant:
    refuse_settings_if_over(fair)
    sent = data.model_fields_set
    if "min_meetings" in sent and data.min_meetings is not None:
        p.min_meetings = data.min_meetings
    if "max_meetings" in sent:
        p.max_meetings = data.max_meetings
    if p.max_meetings is not None and p.min_meetings > p.max_meetings:
        raise DomainError("invalid", "min_meetings must not exceed max_meetings", field="min_meetings")
    _apply_participant(session, fair, p, data.fixed_table_id if "fixed_table_id" in sent else p.fixed_table_id,
                       data.unavailable if data.unavailable is not None else p.unavailable)
    session.commit()
    return p


def _apply_participant(session: Session, fair: Fair, p: FairParticipant, fixed_table_id, unavailable) -> None:
    slots = [s.id for s in fair_slots(fair)]
    unknown = sorted(set(unavailable) - set(slots))
    if unknown:
        raise DomainError("invalid", "unknown slot(s) {unknown}; slots are {slots}", field="unavailable",
                          params={'unknown': ", ".join(unknown), 'slots': ", ".join(slots)})
    if not set(slots) - set(unavailable):
        raise DomainError("invalid", "{name} would have no available slot; leave at least one slot free",
                          field="unavailable", params={'name': p.organization.name})
    if fixed_table_id is not None:
        if p.side != "maker":
            raise DomainError("invalid", "only a maker may keep a fixed table", field="fixed_table_id")
        if fixed_table_id not in {t.id for t in fair.tables}:
            raise DomainError("invalid", "table {id} is not a table of this fair", field="fixed_table_id",
                              params={'id': fixed_table_id})
        other = session.scalar(select(FairParticipant).where(
            FairParticipant.fair_id == fair.id, FairParticipant.fixed_table_id == fixed_table_id,
            FairParticipant.id != (p.id or -1)))
        if other is not None:
            raise DomainError("conflict", "this table is already the fixed table of {name}",
                              field="fixed_table_id", status=409, params={'name': other.organization.name})
    p.fixed_table_id = fixed_table_id
    p.unavailable = [s for s in slots if s in set(unavailable)]
