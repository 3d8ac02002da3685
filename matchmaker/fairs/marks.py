"""Meeting requests (must / would_like / no, with an optional expiry) and rule-score recommendations."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import N_
from ..makers.records import MakerProfile
from .core import get_participant, is_over, now_local, participants, requests_open
from .recommend import buyer_needs, pair_score
from .records import Fair, FairParticipant, FairRequest
from ..errors import DomainError

# -- requests -------------------------------------------------------------------------------------

#: The fair-over refusal of marks: once the fair is over, the marks are what its schedule was computed from
#: (and what its report reads), so neither a participant nor the organizer changes them any more.
MARKS_KEPT = N_("the fair is over: its meeting requests stay as they were when it was held")


def request_live(r: FairRequest, now: datetime) -> bool:
    """A mark counts until its own expiry (venue time), if it has one."""
    return r.expires_at is None or now <= r.expires_at


def set_request(session: Session, fair: Fair, source: FairParticipant, to_participant_id: int, mark: str | None,
                by_organizer: bool = False, expires_at: datetime | None = None,
                as_history: bool = False) -> FairRequest | None:
    """Set (or, with ``mark=None``, withdraw) one mark. Refused (409) once the fair is over, for the
    organizer too, unless ``as_history``: only the demo generator, which builds a past fair as it was
    held, passes it. Before that, a participant's mark is refused after the request deadline."""
    if is_over(fair) and not as_history:
        raise DomainError("conflict", MARKS_KEPT, field="mark", status=409)
    if expires_at is not None:
        if expires_at.tzinfo is not None:
            expires_at = expires_at.astimezone(ZoneInfo(fair.timezone)).replace(tzinfo=None)
        if expires_at <= now_local(fair):
            raise DomainError("invalid", "the expiry date must be in the future.", field="expires_at")
    if not by_organizer and not requests_open(fair):
        raise DomainError("deadline_passed",
                          "the request deadline ({deadline}) has passed; requests are closed", field="mark",
                          status=409, params={'deadline': f"{fair.request_deadline:%Y-%m-%d %H:%M}"})
    target = get_participant(session, fair, to_participant_id)
    if target is None:
        raise DomainError("invalid", "participant {id} is not registered for this fair",
                          field="to_participant_id", params={'id': to_participant_id})
    if target.side == source.side:
        raise DomainError("invalid", "{name} is on your side of the fair; requests go between buyers "
                        "and makers",
                          field="to_participant_id", params={'name': target.organization.name})
    row = session.scalar(select(FairRequest).where(FairRequest.fair_id == fair.id,
                                                   FairRequest.from_participant_id == source.id,
                                                   FairRequest.to_participant_id == target.id))
    if mark is None:
        if row is not None:
            session.delete(row)
        session.commit()
        return None
    if row is None:
        row = FairRequest(fair_id=fair.id, from_participant_id=source.id, to_participant_id=target.id, mark=mark)
        session.add(row)
    row.mark = mark
    row.expires_at = expires_at
    session.commit()
    return row


def marks_of(session: Session, fair: Fair, participant: FairParticipant) -> tuple[dict[int, str], dict[int, str]]:
    """(marks this participant gave, by counterpart; marks received, by counterpart).

    Received marks are only must/would_like: a "no" from the other side is never revealed."""
    given = dict(session.execute(select(FairRequest.to_participant_id, FairRequest.mark).where(
        FairRequest.fair_id == fair.id, FairRequest.from_participant_id == participant.id)).all())
    now = now_local(fair)
    received = {r.from_participant_id: r.mark for r in session.scalars(select(FairRequest).where(
        FairRequest.fair_id == fair.id, FairRequest.to_participant_id == participant.id,
        FairRequest.mark != "no")) if request_live(r, now)}
    return given, received


def expiries_of(session: Session, fair: Fair, participant: FairParticipant) -> dict[int, datetime]:
    """Expiry dates of the marks this participant gave, by counterpart."""
    return dict(session.execute(select(FairRequest.to_participant_id, FairRequest.expires_at).where(
        FairRequest.fair_id == fair.id, FairRequest.from_participant_id == participant.id,
        FairRequest.expires_at.is_not(None))).all())


def all_requests(session: Session, fair: Fair) -> list[FairRequest]:
    return list(session.scalars(select(FairRequest).where(FairRequest.fair_id == fair.id).order_by(FairRequest.id)))


def request_dict(r: FairRequest) -> dict:
    return {"from_participant_id": r.from_participant_id, "to_participant_id": r.to_participant_id, "mark": r.mark,
            "expires_at": r.expires_at.isoformat() if r.expires_at else None,
            "updated_at": r.updated_at.isoformat() if r.updated_at else None}


# -- recommendations -----------------------------------------------------------------------------

def _score(session: Session, buyer: FairParticipant, maker: FairParticipant, needs_cache: dict, lang: str = "en"):
    if buyer.organization_id not in needs_cache:
        needs_cache[buyer.organization_id] = buyer_needs(session, buyer.organization_id)
    return pair_score(needs_cache[buyer.organization_id], session.get(MakerProfile, maker.organization_id), lang)


def recommendations(session: Session, fair: Fair, participant: FairParticipant, limit: int = 10,
                    lang: str = "en") -> list[dict]:
    """Counterparts ranked by the rule score, with reasons; those already marked are left out."""
    given, _ = marks_of(session, fair, participant)
    other_side = "maker" if participant.side == "buyer" else "buyer"
    cache: dict = {}
    out = []
    for other in participants(session, fair, other_side):
        if other.id in given:
            continue
        buyer, maker = (participant, other) if participant.side == "buyer" else (other, participant)
        rec = _score(session, buyer, maker, cache, lang)
        if rec.score > 0:
            out.append({"participant_id": other.id, "name": other.organization.name,
                        "organization_id": other.organization_id, "score": rec.score, "reasons": rec.reasons})
    out.sort(key=lambda r: (-r["score"], r["name"]))
    return out[:limit]
