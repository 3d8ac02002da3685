"""Consortium proposals: optimise, lock, re-optimise, and members confirming their part
(sending the offer as a contact quote is ``offer``).

The optimizer runs as a job (``matchmaker.jobs``), never inside a web request. Every
write checks the proposal's ``version`` so two coordinators' edits end in one winner and
a 409 (``Conflict``) for the other. Explanations are stored as message codes; pages and
the API translate them for the reader.
"""
from __future__ import annotations

from sqlalchemy import String, case, cast, select, update
from sqlalchemy.orm import Session, object_session

from scheduling.consortia import build_teams, explain, plan, prefilter

from .. import jobs
from .. import taxonomy as tx
from ..db import like_escape
from ..contact.records import Quote
from ..contact.quotes import quote_dict
from ..i18n import format_number, gettext
from ..records import utcnow
from ..requirements.records import Requirement
from .problem import PER_STAGE, build, requirement_stages, single_firm_can_serve
from .records import Part, Proposal
from ..errors import Conflict, DomainError
from ..catalog import N_

JOB = "consortium"
#: The optimizer's time limit for the three alternatives, in seconds.
TIME_LIMIT = 5.0
ALTERNATIVES = 3


def invalid(field: str, message: str, **params) -> DomainError:
    """A 422 naming ``field``; worded when shown, in the reader's language."""
    return DomainError("invalid", message, field=field, params=params)


def is_coordinator(user) -> bool:
    org = getattr(user, "organization", None)
    return user is not None and user.role == "maker_user" and org is not None and org.kind == "coordinator"


def _two_stages_or_more():
    """SQL for ``len(requirement_stages(r)) >= 2``: the JSON list of processes, as text, holds each code
    quoted (``["cutting", "sewing"]``) on SQLite and PostgreSQL alike, so a page is read, not every row."""
    text = cast(Requirement.processes, String)
    hits = [case((text.like(f'%"{like_escape(code)}"%', escape="\\"), 1), else_=0)
            for code in tx.PROCESS_STAGES.codes]
    return sum(hits[1:], hits[0]) >= 2


def serveable(visible):
    """Open requirements the coordinator may see with two stages or more (a select, unordered)."""
    return select(Requirement).where(visible, Requirement.status == "open", _two_stages_or_more())


def requirements_to_serve(session: Session, user, visible, limit: int | None = None,
                          offset: int = 0) -> list[tuple[Requirement, Proposal | None]]:
    """Open requirements the coordinator may see with two stages or more, newest first (``limit`` of them
    from ``offset``, when given), each with the coordinator's proposal if any."""
    stmt = serveable(visible).order_by(Requirement.created_at.desc(), Requirement.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    reqs = session.scalars(stmt).all()
    mine = {p.requirement_id: p for p in session.scalars(
        select(Proposal).where(Proposal.coordinator_id == user.organization_id,
                               Proposal.requirement_id.in_([r.id for r in reqs])))}
    return [(r, mine.get(r.id)) for r in reqs]


def _team_cost(problem, team, cost: dict) -> float | None:
    """The team's cost per finished piece: each stage's members' costs weighted by their units."""
    volume = {s.code: s.volume for s in problem.stages}
    parts = [(cost.get((a.stage, a.maker)), a.units / volume[a.stage]) for a in team.assignments]
    if any(c is None for c, _ in parts):
        return None
    return round(sum(c * share for c, share in parts), 2)


#: The solver's status of a team (``scheduling.consortia``), shown translated on the proposal page.
TEAM_STATUSES = (N_("optimal"), N_("feasible"))


def _team_dict(problem, team, names: dict[int, str]) -> dict:
    cost = {(c.stage, c.maker): c.unit_cost for c in problem.candidates}
    return {
        "assignments": [{"stage": a.stage, "maker_id": int(a.maker), "maker": names.get(int(a.maker), a.maker),
                         "units": a.units, "fit": a.fit, "lead_days": a.lead_days,
                         "unit_cost": cost.get((a.stage, a.maker))} for a in team.assignments],
        "unit_cost": _team_cost(problem, team, cost),
        "objective": round(team.objective, 4), "terms": {k: round(v, 4) for k, v in team.terms.items()},
        "lead_days": team.lead_days, "bound": None if team.bound is None else round(team.bound, 4),
        "gap": None if team.gap is None else round(team.gap, 6), "status": team.status,
        "plan": [{"stage": stage, "start": start, "end": end} for stage, start, end in plan(problem, team)],
        "explanations": [
            {"stage": e.stage, "makers": [int(m) for m in e.makers],
             "runner_up": int(e.runner_up) if e.runner_up else None,
             "reasons": [_reason(r, names) for r in e.reasons],
             "runner_up_reasons": [_reason(r, names) for r in e.runner_up_reasons]}
            for e in explain(problem, team)],
    }


def _reason(r, names: dict[int, str]) -> dict:
    params = dict(r.params)
    for key in ("maker", "partner"):
        if key in params:
            params[key] = names.get(int(params[key]), params[key])
    return {"code": r.code, "params": params}


def committed_elsewhere(session: Session, coordinator_id: int, requirement_id: int) -> dict[int, int]:
    """Units each maker was already asked for in this coordinator's other sent proposals."""
    rows = session.execute(select(Part.maker_id, Part.units).join(Proposal, Proposal.id == Part.proposal_id)
                           .where(Proposal.coordinator_id == coordinator_id, Proposal.status == "sent",
                                  Proposal.requirement_id != requirement_id, Part.status != "declined")).all()
    out: dict[int, int] = {}
    for maker_id, units in rows:
        out[maker_id] = out.get(maker_id, 0) + units
    return out


def solve(session: Session, proposal: Proposal) -> None:
    """Optimise the proposal's requirement with its locks; store the alternatives in place."""
    req = proposal.requirement
    built = build(session, req, proposal.coordinator_id, proposal.locks,
                  committed_elsewhere(session, proposal.coordinator_id, req.id),
                  small_share=proposal.small_share or 0.0)
    problem = prefilter(built.problem, PER_STAGE)
    result = build_teams(problem, k=ALTERNATIVES, time_limit=TIME_LIMIT)
    proposal.alternatives = [_team_dict(problem, t, built.names) for t in result.teams]
    proposal.greedy = _team_dict(problem, result.greedy, built.names) if result.greedy else None
    proposal.shortfalls = dict(result.shortfalls)
    proposal.seconds = round(result.seconds, 3)
    proposal.note = "single_firm_possible" if single_firm_can_serve(built) else ""
    proposal.chosen = 0
    proposal.updated_at = utcnow()


def start(session: Session, req: Requirement, user, locks: dict | None = None,
          version: int | None = None, small_share: float | None = None) -> tuple[Proposal, str]:
    """Create or update the coordinator's proposal for ``req`` and queue its optimisation."""
    proposal = session.scalar(select(Proposal).where(Proposal.requirement_id == req.id,
                                                     Proposal.coordinator_id == user.organization_id))
    if proposal is None:
        proposal = Proposal(requirement_id=req.id, coordinator_id=user.organization_id, created_by_id=user.id,
                            locks=locks or {}, small_share=small_share or 0.0)
        session.add(proposal)
    else:
        if version is not None and version != proposal.version:
            raise Conflict("The proposal changed meanwhile; reload it.")
        if proposal.status == "sent":
            raise DomainError("already_sent",
                              gettext("The offer was sent; it can no longer be re-optimised."), status=409)
        if locks is not None:
            proposal.locks = locks
        if small_share is not None:
            proposal.small_share = small_share
        proposal.updated_at = utcnow()
    session.flush()
    session.commit()
    job_id = jobs.submit(JOB, "matchmaker.consortia.services:solve_job", {"proposal_id": proposal.id},
                         subject=f"consortium:{proposal.id}", user_id=user.id, timeout=TIME_LIMIT * 6 + 30)
    return proposal, job_id


def solve_job(proposal_id: int) -> dict:
    from .. import db

    session = db.session()
    proposal = session.get(Proposal, proposal_id)
    jobs.progress(jobs.current_job_id(), 0.1, "building candidates")
    solve(session, proposal)
    session.commit()
    return {"proposal_id": proposal_id, "alternatives": len(proposal.alternatives)}


def validate_locks(proposal: Proposal, raw: dict) -> dict:
    """``{stage: [maker_id, ...]}`` naming makers of the stored alternatives only."""
    stages = set(requirement_stages(proposal.requirement))
    offered = {(a["stage"], a["maker_id"]) for alt in proposal.alternatives for a in alt["assignments"]}
    out = {}
    for stage, makers in raw.items():
        if stage not in stages:
            raise invalid("locks", N_("{stage} is not a stage of this requirement."), stage=stage)
        ids = [int(m) for m in makers]
        if not ids or any((stage, m) not in offered for m in ids):
            raise invalid(f"locks.{stage}", N_("Lock makers of a proposed team."))
        out[stage] = ids
    return out


def answer_part(session: Session, part: Part, confirm: bool, units: int | None,
                unit_price: float | None = None) -> Part:
    """The maker confirms its part (how many units it can really take, and its price per piece
    for the part, which the coordinator's next teams use as its cost) or declines; once."""
    if units is not None and not 1 <= units <= part.units:
        raise invalid("units", N_("Between 1 and {most} units."), most=format_number(part.units))
    if unit_price is not None and not 0 < unit_price <= 100_000:
        raise invalid("unit_price", "A price per piece above 0 and up to 100,000.")
    won = session.execute(update(Part).where(Part.id == part.id, Part.status == "asked")
                          .values(status="confirmed" if confirm else "declined",
                                  confirmed_units=(units or part.units) if confirm else None,
                                  unit_price=unit_price if confirm else None,
                                  answered_at=utcnow())).rowcount
    if not won:
        raise Conflict(N_("This part was already answered."))
    session.commit()
    session.refresh(part)
    return part


def parts_for_maker(session: Session, maker_id: int) -> list[Part]:
    return list(session.scalars(select(Part).where(Part.maker_id == maker_id).order_by(Part.id.desc())))


def proposal_dict(proposal: Proposal, for_maker: int | None = None) -> dict:
    """The proposal as JSON. A member asked for a part sees only its own part and the plan's
    stages, never the other members' figures beyond their names."""
    base = {"id": proposal.id, "requirement_id": proposal.requirement_id, "status": proposal.status,
            "version": proposal.version, "coordinator": proposal.coordinator.name if proposal.coordinator else None}
    if for_maker is not None:
        return {**base, "parts": [_part(p) for p in proposal.parts if p.maker_id == for_maker]}
    return {**base, "locks": proposal.locks, "chosen": proposal.chosen, "alternatives": proposal.alternatives,
            "greedy": proposal.greedy, "shortfalls": proposal.shortfalls, "seconds": proposal.seconds,
            "single_firm_possible": proposal.note == "single_firm_possible",
            "parts": [_part(p, prices=True) for p in proposal.parts], "small_share": proposal.small_share or 0.0,
            "show_stage_prices": bool(proposal.show_stage_prices),
            "subcontracting": proposal.requirement.subcontracting or "allowed", **_sent_quote(proposal)}


def latest_quote(session: Session, proposal_id: int) -> Quote | None:
    """The contact quote a sent proposal became (the latest, should the coordinator quote again)."""
    return session.scalar(select(Quote).where(Quote.consortium_proposal_id == proposal_id)
                          .order_by(Quote.id.desc()).limit(1))


def _sent_quote(proposal: Proposal) -> dict:
    quote = latest_quote(object_session(proposal), proposal.id) if proposal.status == "sent" else None
    return {"inquiry_id": quote.inquiry_id if quote else None, "quote": quote_dict(quote) if quote else None}


def part_dict(p: Part) -> dict:
    """A member's own part (its own price included: it is the member's)."""
    proposal = p.proposal
    return {**_part(p, prices=True), "proposal_id": p.proposal_id, "requirement": proposal.requirement.title,
            "coordinator": proposal.coordinator.name}


def _part(p: Part, prices: bool = False) -> dict:
    out = {"id": p.id, "stage": p.stage, "maker_id": p.maker_id, "maker": p.maker.name if p.maker else None,
           "units": p.units, "status": p.status, "confirmed_units": p.confirmed_units}
    if prices:
        out["unit_price"] = p.unit_price
    return out


