"""Tables of the vetting workflow: what members report about buyers, and what the board decides.

* ``PaymentExperience``, ``Incident`` (+ ``EvidenceFile``), ``Reference``: reports by member firms
  about a *subject* (a buyer, buying agent or input vendor organization). ``reporter_org_id`` and
  ``reported_by_id`` are board-only: no member- or buyer-facing view ever reads them.
* ``VettingCase``: one review of one subject by one association; at most one open case per pair.
* ``Vote`` (one per board member and case), ``Decision`` (one per case, always rationale + review date),
  ``Standing`` (the current decision per association and subject; what gating and badges read).
* ``Reply``: the subject's right of reply, optionally disputing an incident.
* ``AuditEntry``: append-only; the ORM refuses to update or delete its rows.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
    event, text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..records import Base, utcnow

SUBJECT_KINDS = ("buyer", "buying_agent", "input_vendor")


class PaymentExperience(Base):
    __tablename__ = "vetting_payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_vpay_amount"),
        CheckConstraint("paid_amount IS NULL OR paid_amount >= 0", name="ck_vpay_paid_amount"),
        CheckConstraint("terms_days >= 0", name="ck_vpay_terms"),
        CheckConstraint("deposit_share >= 0 AND deposit_share <= 1", name="ck_vpay_deposit"),
        Index("ix_vpay_subject_assoc", "subject_id", "association_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), index=True)
    reporter_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invoice_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    terms_days: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    paid_date: Mapped[date | None] = mapped_column(Date)
    paid_amount: Mapped[float | None] = mapped_column(Float)
    deposit_share: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Incident(Base):
    __tablename__ = "vetting_incidents"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 3", name="ck_vinc_severity"),
        Index("ix_vinc_subject_assoc", "subject_id", "association_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), index=True)
    reporter_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    type: Mapped[str] = mapped_column(String(40))
    severity: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="hearsay", index=True)
    status_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceFile(Base):
    __tablename__ = "vetting_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("vetting_incidents.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reference(Base):
    """A positive report: trains suppliers, fixes prices in advance, long contracts."""

    __tablename__ = "vetting_references"
    __table_args__ = (Index("ix_vref_subject_assoc", "subject_id", "association_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), index=True)
    reporter_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    type: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VettingCase(Base):
    __tablename__ = "vetting_cases"
    __table_args__ = (
        # at most one open case per association and subject (partial unique index on both backends)
        Index("uq_vcase_open", "association_id", "subject_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_vcase_assoc_status", "association_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    origin: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default="open")
    note: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the model's answer when the case opened (the case page also shows the current one)
    opening_score: Mapped[dict | None] = mapped_column(JSON)
    decision_id: Mapped[int | None] = mapped_column(Integer)  # the decision that closed it (no FK: a cycle)
    closed_at: Mapped[datetime | None]


class Vote(Base):
    __tablename__ = "vetting_votes"
    __table_args__ = (UniqueConstraint("case_id", "voter_id", name="uq_vvote_case_voter"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("vetting_cases.id"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voter_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    vote: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(Base):
    __tablename__ = "vetting_decisions"
    __table_args__ = (CheckConstraint("length(rationale) > 0", name="ck_vdec_rationale"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # one decision per case (unique since 0004_vetting_serialise): a race has one winner, never two
    case_id: Mapped[int] = mapped_column(ForeignKey("vetting_cases.id"), index=True, unique=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    deposit_share: Mapped[float | None] = mapped_column(Float)
    rationale: Mapped[str] = mapped_column(Text)
    review_date: Mapped[date] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class Standing(Base):
    """The current decision about a subject in one association (one row per pair)."""

    __tablename__ = "vetting_standings"
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True, index=True)
    outcome: Mapped[str] = mapped_column(String(30), index=True)
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    decision_id: Mapped[int] = mapped_column(ForeignKey("vetting_decisions.id"))
    review_date: Mapped[date] = mapped_column(Date, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reply(Base):
    """The subject's answer (right of reply); ``disputes`` marks the incident disputed."""

    __tablename__ = "vetting_replies"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("vetting_incidents.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    disputes: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only: every score shown, vote, decision and disclosure (see :func:`_append_only`)."""

    __tablename__ = "vetting_audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    association_id: Mapped[int | None] = mapped_column(ForeignKey("associations.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    case_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise AuditLogIsAppendOnly("vetting_audit rows are never changed or deleted")
