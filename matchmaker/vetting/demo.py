"""Demo vetting history: payment experiences, incidents, references, decisions and an open queue.

``generate_vetting_history(session, seed)`` runs after the demo cluster (``matchmaker.demo.generate``)
has written organizations, associations, memberships and users. It reads the buyers' LATENT conduct
from :func:`matchmaker.demo.latent_buyer_risk` (same seed), so late payers in the outcome log are late
payers here too; buyers it does not know get a conduct derived from the seed. Deterministic for a
given database and seed; about 2 s for 300 buyers.

What it writes, over about three years before ``today``:

* 5–15 invoices per buyer from 2–4 member firms (terms, delays, unpaid and partial payments follow
  the conduct), each recorded (``created_at``) when a member would have entered it: 1–45 days after
  its payment, or 15–120 days past its due date while unpaid, at the latest today (the screener dates
  hand-entered experiences by their recording, so training at past cutoffs needs past recordings),
  incidents (mostly hearsay or verified), positive references for good buyers. The
  invoices members already hold on platform orders (``matchmaker.demo.orders``: the screener reads
  them from the orders) are not entered again: only the rest is hand-entered, as deals made outside
  the platform;
* in the jeans association (the one with the most members): decided cases for most buyers with a
  written rationale, board votes (recused members never vote) and a review date; a few open cases
  (applications and member proposals) in the board queue, and two standings whose review date has
  passed (the queue reopens them).
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from .. import taxonomy as tx
from ..orders.records import Order, OrderInvoice
from ..accounts.records import User
from ..buyers.records import BuyerProfile
from ..organizations.records import Membership, Organization
from .records import (
    SUBJECT_KINDS, AuditEntry, Decision, Incident, PaymentExperience, Reference, Standing, VettingCase, Vote,
)

_PROFILE = {  # late prob, mean days late, unpaid prob, incidents per invoice
    "good": (0.05, 3, 0.0, 0.01), "average": (0.25, 12, 0.02, 0.05), "bad": (0.60, 35, 0.15, 0.25)}
_TYPES = list(tx.INCIDENT_TYPES.codes)
_TYPE_W = np.array([0.22, 0.25, 0.12, 0.12, 0.07, 0.05, 0.08, 0.09])
_DESCRIPTIONS = {
    "unpaid_invoice": "Factura de {n} piezas sin pagar después de varios recordatorios.",
    "late_payment": "Pagó {d} días después del plazo acordado, sin aviso.",
    "unjust_clause": "El contrato incluía penalizaciones unilaterales por retrasos de la tela que ellos surtían.",
    "cancellation_after_production": "Canceló el pedido de {n} piezas con la producción terminada.",
    "design_theft": "Llevó nuestras muestras a otro taller para copiarlas.",
    "client_poaching": "Contactó directamente a nuestros clientes con nuestros precios.",
    "bullying": "Amenazó con no volver a comprar si no bajábamos el precio ya pactado.",
    "abrupt_termination": "Terminó la relación de un día para otro culpando a la calidad sin pruebas.",
}
_RATIONALE = {
    "approved": "Paga en plazo según {f} empresas socias ({p} experiencias de pago); sin incidentes graves "
                "verificados. Aprobado. / Pays on terms according to {f} member firms.",
    "approved_with_conditions": "Retrasos frecuentes pero paga; {p} experiencias de pago de {f} empresas. "
                                "Se exige anticipo del {dep}% al hacer el pedido. / Frequent delays: deposit required.",
    "watchlist": "Incidentes verificados y retrasos de más de 30 días; {f} empresas reportan. En observación "
                 "hasta la próxima revisión. / Verified incidents and long delays: watchlist.",
    "rejected": "Facturas sin pagar e incidentes graves verificados reportados por {f} empresas. Rechazado. "
                "/ Unpaid invoices and grave verified incidents: rejected.",
}


def _conduct(session: Session, seed: int, subject_ids: list[int]) -> dict[int, str]:
    from ..demo import latent_buyer_risk

    n_buyers = session.scalar(select(func.max(Organization.id)).where(Organization.kind.in_(
        ["buyer", "buying_agent"]))) or 0
    known = {}
    try:
        known = {r.buyer_id: r.conduct for r in latent_buyer_risk(seed, int(n_buyers))} if n_buyers else {}
    except Exception:  # pragma: no cover - a database not made by the demo generator
        known = {}
    rng = random.Random(seed * 104729 + 5)
    return {b: known.get(b) or rng.choices(("good", "average", "bad"), (0.7, 0.2, 0.1))[0] for b in subject_ids}


def generate_vetting_history(session: Session, seed: int = 7, today: date | None = None,
                             years: float = 3.0, open_cases: int = 6) -> dict[str, int]:
    """Write the demo vetting history; returns row counts. Commits once at the end."""
    today = today or date.today()
    rng = np.random.default_rng(np.random.SeedSequence([seed, 505]))
    pr = random.Random(seed * 7 + 505)
    recording = np.random.default_rng(np.random.SeedSequence([seed, 506]))  # its own stream: the rest unchanged
    stamp = datetime.combine(today, time(12), tzinfo=timezone.utc)
    # buyers and agents: members invoice them. Input vendors are members' suppliers, whose record is the
    # purchases of matchmaker/demo/vendors.py, never invoices (so no payment experiences about them here)
    subjects = session.execute(select(Organization.id, Organization.kind).where(
        Organization.kind.in_([k for k in SUBJECT_KINDS if k != "input_vendor"])).order_by(Organization.id)).all()
    if not subjects:
        return {}
    ids = [s for s, _ in subjects]
    conduct = _conduct(session, seed, ids)
    members = session.execute(select(Membership.association_id, Membership.organization_id)
                              .order_by(Membership.association_id, Membership.organization_id)).all()
    by_assoc: dict[int, list[int]] = defaultdict(list)
    for a, o in members:
        by_assoc[a].append(o)
    if not by_assoc:
        raise ValueError("no association members to report: run the demo cluster generator first")
    main = max(by_assoc, key=lambda a: (len(by_assoc[a]), -a))
    others = [a for a in by_assoc if a != main]
    profiles = dict(session.execute(select(BuyerProfile.organization_id, BuyerProfile.payment_terms_days)).all())
    deposits = dict(session.execute(select(BuyerProfile.organization_id, BuyerProfile.deposit_share)).all())
    span = int(years * 365)
    on_platform: dict[tuple[int, int], int] = defaultdict(int)   # (buyer, association) -> order invoices
    for buyer, assoc_id, n_inv in session.execute(
            select(Order.buyer_id, Membership.association_id, func.count(OrderInvoice.id))
            .join(Order, Order.id == OrderInvoice.order_id)
            .join(Membership, Membership.organization_id == Order.maker_id)
            .group_by(Order.buyer_id, Membership.association_id)):
        on_platform[(buyer, assoc_id)] += n_inv

    pay_rows, inc_rows, ref_rows = [], [], []
    firms_of: dict[int, set] = defaultdict(set)
    n_pay_of: dict[int, int] = {}
    for b in ids:
        late_p, late_mean, unpaid_p, inc_rate = _PROFILE[conduct[b]]
        assoc = main if not others or rng.random() < 0.85 else others[int(rng.integers(len(others)))]
        pool = by_assoc[assoc]
        home = rng.choice(pool, size=min(len(pool), int(rng.integers(2, 5))), replace=False)
        first = int(rng.integers(60, span))
        n = int(rng.integers(5, 16))
        n_pay_of[b] = n
        held = on_platform.get((b, assoc), 0)
        for _ in range(max(0 if held else 1, n - held)):
            age = int(rng.integers(5, first + 1))
            inv = today - timedelta(days=age)
            terms = int(profiles.get(b, 30) or 30) if rng.random() < 0.7 else int(rng.choice([3, 15, 30, 45]))
            due = inv + timedelta(days=terms)
            amount = float(round(np.exp(rng.normal(9.0, 0.6)), 2))
            currency = "USD" if rng.random() < 0.7 else "MXN"
            if currency == "MXN":
                amount = round(amount / 0.055, 2)
            delay = int(rng.exponential(late_mean)) + 1 if rng.random() < late_p else 0
            paid = due + timedelta(days=delay)
            paid_amount = None
            if rng.random() < unpaid_p or paid > today:
                paid = None
            elif rng.random() < unpaid_p:
                paid_amount = round(amount * float(rng.uniform(0.5, 0.95)), 2)
            reporter = int(rng.choice(home))
            firms_of[b].add(reporter)
            pay_rows.append(dict(subject_id=b, association_id=assoc, reporter_org_id=reporter, reported_by_id=None,
                                 invoice_date=inv, amount=amount, currency=currency, terms_days=terms, due_date=due,
                                 paid_date=paid, paid_amount=paid_amount,
                                 deposit_share=float(deposits.get(b, 0.0) or 0.0),
                                 created_at=_recorded(recording, inv, due, paid, today)))
        for _ in range(int(rng.poisson(inc_rate * n * 1.5))):
            typ = str(rng.choice(_TYPES, p=_TYPE_W / _TYPE_W.sum()))
            sev = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15] if conduct[b] != "bad" else [0.2, 0.45, 0.35]))
            status = str(rng.choice(["hearsay", "verified", "disputed", "withdrawn"], p=[0.5, 0.4, 0.07, 0.03]))
            reporter = int(rng.choice(home))
            inc_rows.append(dict(subject_id=b, association_id=assoc, reporter_org_id=reporter, reported_by_id=None,
                                 type=typ, severity=sev,
                                 occurred_on=today - timedelta(days=int(rng.integers(3, first))),
                                 description=_DESCRIPTIONS[typ].format(n=int(rng.integers(300, 5000)),
                                                                       d=int(rng.integers(20, 90))),
                                 status=status, created_at=stamp))
        if conduct[b] == "good":
            for _ in range(int(rng.poisson(0.8))):
                ref_rows.append(dict(subject_id=b, association_id=assoc, reporter_org_id=int(rng.choice(home)),
                                     reported_by_id=None, type=str(rng.choice(tx.REFERENCE_TYPES.codes)),
                                     occurred_on=today - timedelta(days=int(rng.integers(3, first))), note="",
                                     created_at=stamp))
    session.execute(insert(PaymentExperience), pay_rows)
    if inc_rows:
        session.execute(insert(Incident), inc_rows)
    if ref_rows:
        session.execute(insert(Reference), ref_rows)

    # -- the jeans board's cases -------------------------------------------------------------
    board = session.execute(select(User.id, User.organization_id).where(
        User.role == "board_member", User.association_id == main).order_by(User.id)).all()
    reported_main = defaultdict(set)
    for row in pay_rows + inc_rows + ref_rows:
        if row["association_id"] == main:
            reported_main[row["subject_id"]].add(row["reporter_org_id"])
    demo_buyer = session.scalar(select(User.organization_id).where(User.email == "buyer@demo.matchmaker"))
    in_main = [b for b in ids if reported_main[b]]
    pr.shuffle(in_main)
    undecided = set(in_main[:max(open_cases, len(in_main) // 8)])
    if demo_buyer in undecided:
        undecided.discard(demo_buyer)
    queue = sorted(undecided)[:open_cases]
    decided = [b for b in sorted(in_main) if b not in undecided]
    cases = decisions = votes = 0
    audit_rows = []
    for k, b in enumerate(decided):
        outcome = _outcome(conduct[b], pr) if b != demo_buyer else "approved"
        voters = [(u, o) for u, o in board if o not in reported_main[b] and o != b][:3]
        if not voters:
            continue
        decided_at = stamp - timedelta(days=int(rng.integers(20, 700)))
        case = VettingCase(association_id=main, subject_id=b, origin=pr.choice(["application", "proposal"]),
                           status="decided", note="", opened_at=decided_at - timedelta(days=14),
                           closed_at=decided_at)
        session.add(case)
        session.flush()
        for u, o in voters:
            session.add(Vote(case_id=case.id, voter_id=u, voter_org_id=o, vote=outcome, comment="",
                             created_at=decided_at - timedelta(days=2)))
            audit_rows.append(dict(at=decided_at - timedelta(days=2), actor_id=u, association_id=main, subject_id=b,
                                   case_id=case.id, action="vote", detail={"vote": outcome, "demo": True}))
            votes += 1
        dep = int(pr.choice([30, 40, 50]))
        conditions = [] if outcome != "approved_with_conditions" else (
            ["deposit"] if pr.random() < 0.8 else ["letter_of_credit"])
        review = today + timedelta(days=int(rng.integers(30, 540)))
        if k < 2:
            review = today - timedelta(days=3)  # review date passed: the queue reopens these
        decision = Decision(case_id=case.id, association_id=main, subject_id=b, outcome=outcome,
                            conditions=conditions, deposit_share=dep / 100 if "deposit" in conditions else None,
                            rationale=_RATIONALE[outcome].format(f=len(reported_main[b]), p=n_pay_of[b], dep=dep),
                            review_date=review, decided_by_id=voters[0][0], decided_at=decided_at)
        session.add(decision)
        session.flush()
        case.decision_id = decision.id
        session.add(Standing(association_id=main, subject_id=b, outcome=outcome, conditions=conditions,
                             decision_id=decision.id, review_date=review, updated_at=decided_at))
        audit_rows.append(dict(at=decided_at, actor_id=voters[0][0], association_id=main, subject_id=b,
                               case_id=case.id, action="decision",
                               detail={"outcome": outcome, "review_date": review.isoformat(), "demo": True}))
        cases += 1
        decisions += 1
    for b in queue:
        case = VettingCase(association_id=main, subject_id=b, origin=pr.choice(["application", "proposal"]),
                           status="open", note="", opened_at=stamp - timedelta(days=int(rng.integers(1, 20))))
        session.add(case)
        session.flush()
        audit_rows.append(dict(at=case.opened_at, actor_id=None, association_id=main, subject_id=b, case_id=case.id,
                               action="case_opened", detail={"origin": case.origin, "demo": True}))
        cases += 1
    if audit_rows:
        session.execute(insert(AuditEntry), audit_rows)
    session.commit()
    return {"payment_experiences": len(pay_rows), "incidents": len(inc_rows), "references": len(ref_rows),
            "cases": cases, "decisions": decisions, "votes": votes, "open_cases": len(queue)}


def _recorded(rng: np.random.Generator, invoice: date, due: date, paid: date | None, today: date) -> datetime:
    """When a member entered the experience: some days after the payment (1-45), or, for an invoice still
    unpaid, after chasing it past its due date (15-120 days); never before the invoice, never after today."""
    day = (paid + timedelta(days=int(rng.integers(1, 46))) if paid is not None
           else due + timedelta(days=int(rng.integers(15, 121))))
    day = min(max(day, invoice), today)
    return datetime.combine(day, time(int(rng.integers(8, 19))), tzinfo=timezone.utc)


def _outcome(conduct: str, pr: random.Random) -> str:
    if conduct == "good":
        return "approved" if pr.random() < 0.95 else "approved_with_conditions"
    if conduct == "average":
        return "approved_with_conditions" if pr.random() < 0.7 else "approved"
    return "watchlist" if pr.random() < 0.5 else "rejected"
