"""From database rows to the reputation screener and back: the model advises, the board decides.

* :func:`record_frames` reads the vetting tables into the raw DataFrames documented in
  :mod:`models.reputation_features` (``payments``, ``incidents``, ``references``, ``buyers``,
  ``ratings``), for the records one association may see (its own, plus *verified* incidents of
  associations that share with it when both opt in). ``payments`` holds the hand-entered
  experiences (deals outside the platform; each known, with its payment, from the day it was recorded,
  not from its invoice date) AND the invoices of orders on the platform that are evidence with their
  payments (:mod:`.order_evidence`), each deal once; ``ratings`` the makers' buyer-practice ratings.
* :func:`assess` scores subjects with the promoted ``reputation`` model of
  ``ModelRegistry(app.config["MODEL_DIR"])``. Below the minimum-evidence rule the answer is
  "insufficient_history" and never a number; with no promoted model it is "no_model".
* :func:`train_screener` (``flask --app matchmaker train screener``) trains on the database
  history with a time split, prints AUC, Brier score and log loss beside the points baseline,
  writes the calibration PNG into the artifact and promotes it only when it is not worse than
  the model currently promoted.
"""
from __future__ import annotations

import logging
import math
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.reputation_features import has_minimum_evidence, on_record_since, reputation_features

from ..organizations.records import Association, Organization
from . import order_evidence
from .records import Incident, PaymentExperience, Reference

log = logging.getLogger(__name__)

KIND = "reputation"
# Fixed reference rates (USD per unit) for weighting invoices of different currencies; every code
# of taxonomy.CURRENCIES must be here (a test checks it).
FX = {"USD": 1.0, "MXN": 0.055, "EUR": 1.08, "CAD": 0.73}
SCORED, INSUFFICIENT, NO_MODEL = "scored", "insufficient_history", "no_model"


# -- which records an association may see ---------------------------------------------------

def sharing_partners(session: Session, association_id: int) -> list[int]:
    """Associations whose verified incidents ``association_id`` sees: both must opt in (memoized per session)."""
    memo = session.info.setdefault("vetting_partners", {})
    if association_id not in memo:
        mine = session.get(Association, association_id)
        memo[association_id] = [] if mine is None or not mine.shares_incidents else list(session.scalars(
            select(Association.id).where(Association.shares_incidents.is_(True), Association.id != association_id)))
    return memo[association_id]


def incident_scope(session: Session, association_id: int | None):
    """SQL condition: the incidents visible to ``association_id`` (all when None)."""
    if association_id is None:
        return Incident.id.is_not(None)
    partners = sharing_partners(session, association_id)
    own = Incident.association_id == association_id
    if not partners:
        return own
    return or_(own, (Incident.association_id.in_(partners)) & (Incident.status == "verified"))


def record_frames(session: Session, subject_ids: list[int] | None = None,
                  association_id: int | None = None) -> dict[str, pd.DataFrame]:
    """The raw-record DataFrames of :mod:`models.reputation_features` for these subjects."""
    def where(stmt, model, scoped=True):
        if subject_ids is not None:
            stmt = stmt.where(model.subject_id.in_(subject_ids))
        if scoped and association_id is not None:
            stmt = stmt.where(model.association_id == association_id)
        return stmt

    P = PaymentExperience
    pay = session.execute(where(select(
        P.subject_id, P.reporter_org_id, P.invoice_date, P.amount, P.currency, P.terms_days, P.due_date,
        P.paid_date, P.paid_amount, P.deposit_share, P.created_at), P)).all()
    # a hand-entered experience (never edited) is known, with its payment, from the day it was recorded
    payments = pd.DataFrame([(*row[:-1], *(order_evidence.utc_day(row[-1]),) * 2) for row in pay],
                            columns=order_evidence.PAYMENT_FRAME)
    on_orders = order_evidence.order_payments(session, subject_ids, association_id)
    payments = order_evidence.drop_hand_duplicates(payments, on_orders)
    if len(on_orders):
        payments = pd.concat([payments, on_orders], ignore_index=True) if len(payments) else on_orders
    for col in ("invoice_date", "due_date", "paid_date", "known_date", "paid_known_date"):
        payments[col] = pd.to_datetime(payments[col]) if col in payments else pd.NaT
    for col in ("amount", "paid_amount", "deposit_share"):
        payments[col] = payments[col].astype(float)
    payments["terms_days"] = payments["terms_days"].astype(int)

    inc = session.execute(where(select(
        Incident.subject_id, Incident.reporter_org_id, Incident.type, Incident.severity, Incident.occurred_on,
        Incident.status), Incident, scoped=False).where(incident_scope(session, association_id))).all()
    incidents = pd.DataFrame(inc, columns=["buyer_id", "reporter_id", "type", "severity", "date", "status"])
    incidents["date"] = pd.to_datetime(incidents["date"])
    incidents["severity"] = incidents["severity"].astype(int)

    refs = session.execute(where(select(Reference.subject_id, Reference.reporter_org_id, Reference.type,
                                        Reference.occurred_on), Reference)).all()
    references = pd.DataFrame(refs, columns=["buyer_id", "reporter_id", "type", "date"])
    references["date"] = pd.to_datetime(references["date"])

    purchases = purchase_frame(session, subject_ids, association_id)
    ids = subject_ids if subject_ids is not None else sorted(
        set(payments["buyer_id"]) | set(incidents["buyer_id"]) | set(references["buyer_id"])
        | set(purchases["vendor_id"]))
    created = dict(session.execute(select(Organization.id, Organization.created_at)
                                   .where(Organization.id.in_(list(ids)))).all()) if len(ids) else {}
    on_record = pd.DataFrame({"buyer_id": payments["buyer_id"], "d": on_record_since(payments)})
    first = pd.concat([on_record,
                       incidents[["buyer_id", "date"]].rename(columns={"date": "d"}),
                       references[["buyer_id", "date"]].rename(columns={"date": "d"}),
                       purchases[["vendor_id", "purchased_on"]].rename(columns={"vendor_id": "buyer_id",
                                                                                "purchased_on": "d"})]
                      ).groupby("buyer_id")["d"].min()
    seen = []
    for b in ids:
        candidates = [pd.Timestamp(first[b])] if b in first.index else []
        if created.get(b) is not None:
            candidates.append(pd.Timestamp(created[b].date()))
        seen.append(min(candidates) if candidates else pd.NaT)
    buyers = pd.DataFrame({"buyer_id": list(ids), "first_seen": pd.to_datetime(pd.Series(seen, dtype="object"))})
    ratings = order_evidence.buyer_ratings(session, subject_ids, association_id)
    return {"payments": payments, "incidents": incidents, "references": references, "buyers": buyers,
            "ratings": ratings, "purchases": purchases,
            "disputes": order_evidence.order_disputes(session, subject_ids, association_id)}


def purchase_frame(session: Session, subject_ids: list[int] | None = None,
                   association_id: int | None = None) -> pd.DataFrame:
    """Members' purchases from input vendors (``vendors.records.VendorPurchase``) as the ``purchases``
    frame of :func:`models.reputation_features.reputation_features`: the association's own members' only."""
    from ..vendors.records import VendorPurchase as V

    stmt = select(V.vendor_id, V.member_org_id, V.purchased_on, V.promised_on, V.delivered_on,
                  V.quality_vs_sample, V.warranty_claimed, V.warranty_honoured)
    if subject_ids is not None:
        stmt = stmt.where(V.vendor_id.in_(subject_ids))
    if association_id is not None:
        stmt = stmt.where(V.association_id == association_id)
    frame = pd.DataFrame(session.execute(stmt).all(), columns=[
        "vendor_id", "reporter_id", "purchased_on", "promised_on", "delivered_on", "quality_vs_sample",
        "warranty_claimed", "warranty_honoured"])
    for col in ("purchased_on", "promised_on", "delivered_on"):
        frame[col] = pd.to_datetime(frame[col])
    frame["warranty_honoured"] = frame["warranty_honoured"].astype(object)
    return frame


# -- the promoted model ----------------------------------------------------------------------

_CACHE: dict[tuple[str, str], object] = {}


def registry(app=None):
    from models.registry import ModelRegistry

    return ModelRegistry((app or current_app).config["MODEL_DIR"])


def promoted_screener(app=None):
    """``(model, version)`` of the promoted screener, or ``(None, None)``; reloaded when promotion changes."""
    from models.registry import ArtifactError
    from models.reputation import FeatureVersionError, load_screener

    reg = registry(app)
    version = reg.promoted(KIND)
    if version is None:
        return None, None
    key = (str(reg.root), version)
    if key not in _CACHE:
        try:
            _CACHE[key] = load_screener(reg.load(KIND, version).files)
        except (ArtifactError, FeatureVersionError, KeyError, ValueError) as exc:
            log.error("cannot load reputation model %s: %s", version, exc)
            return None, None
    return _CACHE[key], version


@dataclass
class Screening:
    """What the model says about one subject, ready for a page or JSON."""

    subject_id: int
    status: str                       # scored | insufficient_history | no_model
    probability: float | None = None
    risk_band: str | None = None      # low | medium | high (scored only)
    reasons: list = field(default_factory=list)   # models.reputation_reasons.Reason
    model_version: str | None = None
    n_payment_experiences: int = 0
    n_reporting_firms: int = 0
    n_purchase_records: int = 0       # input vendors: members' purchases on record
    n_purchasing_firms: int = 0

    @property
    def band(self) -> str:
        """What a member sees: a risk band or the reason there is none."""
        return self.risk_band if self.status == SCORED else self.status

    def to_dict(self, lang: str = "en", with_reasons: bool = True) -> dict:
        from models.reputation_reasons import render_reason

        from ..catalog import fill, translate

        def words(lang_: str):
            return lambda message: translate(message, lang_)

        def numbers(lang_: str):  # the reasons' numbers as the app writes them for that reader (es_MX)
            return lambda message, **params: fill(message, lang_, **params)

        out = {"status": self.status, "risk_band": self.band,
               "probability": None if self.probability is None else round(self.probability, 4),
               "model_version": self.model_version,
               "evidence": {"payment_experiences": self.n_payment_experiences,
                            "reporting_firms": self.n_reporting_firms,
                            "purchase_records": self.n_purchase_records,
                            "purchasing_firms": self.n_purchasing_firms}}
        if with_reasons:
            out["reasons"] = [{"feature": r.feature, "direction": r.direction,
                               "text": render_reason(r, words(lang), fill=numbers(lang)),
                               "en": render_reason(r, fill=numbers("en")),
                               "es": render_reason(r, words("es"), fill=numbers("es"))} for r in self.reasons]
        return out


_SCORES: "OrderedDict[tuple, Screening]" = OrderedDict()
SCORE_CACHE_SIZE = 4096


def _fingerprints(session: Session, subject_ids: list[int], association_id: int | None) -> dict[int, tuple]:
    """Per subject, a cheap summary that changes whenever any record the score reads changes."""
    out: dict[int, list] = {b: [] for b in subject_ids}
    P, R = PaymentExperience, Reference
    queries = [
        select(P.subject_id, func.count(), func.max(P.id)).where(P.subject_id.in_(subject_ids))
        .where(P.association_id == association_id if association_id is not None else P.id.is_not(None)),
        select(Incident.subject_id, func.count(), func.max(Incident.id), func.max(Incident.status_changed_at))
        .where(Incident.subject_id.in_(subject_ids), incident_scope(session, association_id)),
        select(R.subject_id, func.count(), func.max(R.id)).where(R.subject_id.in_(subject_ids))
        .where(R.association_id == association_id if association_id is not None else R.id.is_not(None)),
    ] + order_evidence.fingerprint_queries(list(subject_ids), association_id)
    from ..vendors.records import VendorPurchase as V
    queries.append(select(V.vendor_id, func.count(), func.max(V.id)).where(V.vendor_id.in_(subject_ids)).where(
        V.association_id == association_id if association_id is not None else V.id.is_not(None)))
    for stmt in queries:
        rows = session.execute(stmt.group_by(stmt.selected_columns[0]))
        found = {row[0]: tuple(str(v) for v in row[1:]) for row in rows}
        for b in subject_ids:
            out[b].append(found.get(b))
    return {b: tuple(v) for b, v in out.items()}


def assess(session: Session, subject_ids: list[int], association_id: int | None,
           as_of: date | None = None) -> dict[int, Screening]:
    """Score ``subject_ids`` on the records ``association_id`` may see, as of ``as_of`` (today).

    Results are cached in process, keyed by subject, association, day, promoted model version and a
    fingerprint of the subject's records (counts, newest ids, latest status change), so a case page
    viewed again without new records does not recompute features.
    """
    if not subject_ids:
        return {}
    as_of = as_of or date.today()
    _, version = promoted_screener()
    prints = _fingerprints(session, list(subject_ids), association_id)
    keys = {b: (b, association_id, as_of, version, prints[b]) for b in subject_ids}
    out = {b: _SCORES[k] for b, k in keys.items() if k in _SCORES}
    missing = [b for b in subject_ids if b not in out]
    if missing:
        fresh = _assess(session, missing, association_id, as_of)
        for b, sc in fresh.items():
            _SCORES[keys[b]] = sc
            out[b] = sc
        while len(_SCORES) > SCORE_CACHE_SIZE:
            _SCORES.popitem(last=False)
    return {b: out[b] for b in subject_ids}


def _assess(session: Session, subject_ids: list[int], association_id: int | None, as_of: date) -> dict[int, Screening]:
    frames = record_frames(session, list(subject_ids), association_id)
    feats = reputation_features(frames["payments"], frames["incidents"], frames["references"],
                                frames["buyers"], pd.Timestamp(as_of), FX, ratings=frames["ratings"],
                                purchases=frames["purchases"], disputes=frames["disputes"])
    model, version = promoted_screener()
    enough = has_minimum_evidence(feats)
    out: dict[int, Screening] = {}
    assessments = {}
    if model is not None:
        assessments = {a.buyer_id: a for a in model.assess(feats)}
    for b in subject_ids:
        n_pay = int(feats.at[b, "n_payment_experiences"]) if b in feats.index else 0
        n_firms = int(feats.at[b, "n_reporting_firms"]) if b in feats.index else 0
        lots = {"n_purchase_records": int(feats.at[b, "n_purchase_records"]) if b in feats.index else 0,
                "n_purchasing_firms": int(feats.at[b, "n_purchasing_firms"]) if b in feats.index else 0}
        if b not in feats.index or not bool(enough.get(b, False)):
            out[b] = Screening(b, INSUFFICIENT, model_version=version, n_payment_experiences=n_pay,
                               n_reporting_firms=n_firms, **lots)
        elif model is None:
            out[b] = Screening(b, NO_MODEL, n_payment_experiences=n_pay, n_reporting_firms=n_firms, **lots)
        else:
            a = assessments[b]
            out[b] = Screening(b, a.status, a.probability, a.risk_band, list(a.reasons), version, n_pay, n_firms,
                               **lots)
    return out


# -- training from the database --------------------------------------------------------------

def _cutoffs(frames: dict, horizon_days: int, step_days: int) -> tuple[list[pd.Timestamp], pd.Timestamp]:
    pay = frames["payments"]
    if pay.empty:
        raise ValueError("no payment experiences in the database: nothing to train on")
    start = on_record_since(pay).min()   # six months of history as it was known, not as it is dated
    end = pd.Series([pay["invoice_date"].max(), pay["paid_date"].max(),
                     frames["incidents"]["date"].max() if len(frames["incidents"]) else pd.NaT]).max()
    first = start + pd.Timedelta(days=180)
    last = end - pd.Timedelta(days=horizon_days)
    if last <= first:
        raise ValueError(f"the history ({start.date()} to {end.date()}) is too short for a "
                         f"{horizon_days}-day horizon plus 6 months of history")
    cutoffs = []
    c = last
    while c >= first:
        cutoffs.append(c)
        c -= pd.Timedelta(days=step_days)
    return sorted(cutoffs), end


def train_screener(session: Session, reg, echo=print, horizon_days: int = 365, step_days: int = 61,
                   promote_tolerance: float = 0.002) -> dict:
    """Train on the whole database history (all associations), test on the latest cutoff.

    Returns a summary dict (``version``, ``promoted``, metrics). Raises ``ValueError`` with a
    readable message when the history cannot support training.
    """
    from models.reputation import PointsScore, ReputationScreener, load_screener
    from models.reputation_eval import evaluate_screener, format_evaluation, plot_calibration
    from models.reputation_features import build_training_set

    echo("reading the vetting history ...")
    frames = record_frames(session)
    echo(f"  {len(frames['payments'])} payment experiences (hand-entered and order invoices), "
         f"{len(frames['incidents'])} incidents, {len(frames['references'])} references, "
         f"{frames['ratings'][['buyer_id', 'reporter_id', 'date']].drop_duplicates().shape[0]} ratings, "
         f"{len(frames['buyers'])} subjects")
    cutoffs, end = _cutoffs(frames, horizon_days, step_days)
    if len(cutoffs) < 2:
        raise ValueError("the history allows only one cutoff; need at least two for a time split")
    echo(f"building features at {len(cutoffs)} cutoffs ({cutoffs[0].date()} .. {cutoffs[-1].date()}) ...")
    X, y, cut = build_training_set(frames["payments"], frames["incidents"], frames["references"],
                                   frames["buyers"], FX, cutoffs, horizon_days=horizon_days, data_end=end,
                                   ratings=frames["ratings"], purchases=frames["purchases"],
                                   disputes=frames["disputes"])
    test_mask = (cut == cutoffs[-1]).to_numpy()
    X_train, y_train, X_test, y_test = X[~test_mask], y[~test_mask], X[test_mask], y[test_mask]
    echo(f"  train rows {len(y_train)} (positives {int(y_train.sum())}), "
         f"test rows {len(y_test)} (positives {int(y_test.sum())}) at {cutoffs[-1].date()}")
    if len(set(y_train)) < 2 or len(set(y_test)) < 2:
        raise ValueError("train and test rows need both outcomes (some buyers with and without problems)")
    echo("fitting the calibrated screener ...")
    # the measured defaults (bench/bench_issue13_screener.py): boosted trees, sigmoid calibration on the
    # latest forward-chaining folds; more folds give small histories more calibration rows, not fewer
    model = ReputationScreener().fit(X_train, y_train)
    echo("fitting the points baseline ...")
    baseline = PointsScore().fit(X_train, y_train)
    results = evaluate_screener(model, baseline, X_test, y_test)
    echo(format_evaluation(results))

    current_model, current_version = promoted_screener()
    verdict, current_metrics = True, None
    if current_model is not None:
        pc = current_model.predict_proba(X_test)[:, 1]
        from models.reputation_eval import _metrics
        current_metrics = _metrics(np.asarray(y_test).astype(int), pc)
        verdict = results["model"]["brier"] <= current_metrics["brier"] + promote_tolerance and (
            math.isnan(current_metrics["auc"]) or results["model"]["auc"] >= current_metrics["auc"] - 0.01)
        echo(f"current promoted {current_version}: auc {current_metrics['auc']:.4f} brier "
             f"{current_metrics['brier']:.4f}")

    echo("writing the calibration plot ...")
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "calibration.png"
        plot_calibration(results, png)
        png_bytes = png.read_bytes()
    files = dict(model.to_files())
    files["calibration.png"] = png_bytes
    metrics = {k: results[k] for k in ("model", "baseline", "base_rate", "brier_base_rate", "n")}
    metadata = {"metrics": metrics, "cutoffs": [str(c.date()) for c in cutoffs], "horizon_days": horizon_days,
                "n_train": int(len(y_train)), "n_test": int(len(y_test)), "trained_on": "database history",
                "replaced": current_version, "replaced_metrics": current_metrics}
    version = reg.save(KIND, files, metadata)
    load_screener(reg.load(KIND, version).files)  # the saved files load back before promotion
    if verdict:
        reg.promote(KIND, version)
        echo(f"saved and promoted reputation model {version}")
    else:
        echo(f"saved {version} but NOT promoted: it is worse than the current model {current_version}")
    echo(f"calibration plot: {Path(reg.root) / KIND / version / 'calibration.png'}")
    return {"version": version, "promoted": verdict, "metrics": metrics}



def train_screener_for_demo(app, echo=print, seed: int = 7) -> None:
    """Demo setup step: write the demo vetting history if there is none, then train and promote the screener.

    When the history is written here (after the search index was built), the index is rebuilt so that the
    board's demo decisions gate which requirements makers see.
    """
    from .. import db
    from .demo import generate_vetting_history

    with app.app_context():
        session = db.session()
        if session.scalar(select(func.count()).select_from(PaymentExperience)) == 0:
            echo(f"demo vetting history: {generate_vetting_history(session, seed=seed)}")
            from ..search.rebuild import rebuild_all
            rebuild_all(app)
        try:
            train_screener(session, registry(app), echo=echo)
        except ValueError as exc:
            echo(f"screener not trained: {exc}")
