"""Reasons in words, English and Spanish, for the buyer reputation screener (one place).

A :class:`Reason` says which feature moved a buyer's risk, which way, and the fact behind it. The
fact sentence is direction-neutral ("paid 4 of 9 invoices late ...") and the direction is stated
separately, so a sentence can never claim the opposite of what the model did. Reasons carry a
template key and numeric params; :func:`render_reason` words them in ``"en"`` or ``"es"``.
"""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from models.reputation_features import FEATURE_NAMES

RAISES, LOWERS = "raises risk", "lowers risk"
DIRECTION_TEXT = {"en": {RAISES: "raises risk", LOWERS: "lowers risk"},
                  "es": {RAISES: "aumenta el riesgo", LOWERS: "reduce el riesgo"}}

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "days_beyond_terms": "pays on average {days:.0f} days beyond terms (weighted by invoice amount)",
        "late_share": "paid {n_late:.0f} of {n_matured:.0f} invoices late, on average {days:.0f} days beyond terms",
        "worst_delay_days": "worst delay on record: {days:.0f} days beyond terms",
        "latest_delay_days": "newest matured invoice: {days:.0f} days beyond terms as of the review",
        "delay_last_3": "last 3 invoices: on average {days:.0f} days beyond terms",
        "delay_last_6": "last 6 invoices: on average {days:.0f} days beyond terms",
        "delay_trend_days": "delays are changing by {days:+.0f} days every 6 months (trend over its invoices)",
        "unpaid_past_due_share": "{pct:.0f}% of the amount past due is still unpaid",
        "incidents_minor": "{verified:.0f} verified and {unverified:.0f} unconfirmed minor incidents on record",
        "incidents_serious": "{verified:.0f} verified and {unverified:.0f} unconfirmed serious incidents on record",
        "incidents_grave": "{verified:.0f} verified and {unverified:.0f} unconfirmed grave incidents on record",
        "red_flags": "{n:.0f} reports of unjust contract clauses or cancellation after production",
        "tenure_months": "known to the association for {months:.0f} months",
        "n_reporting_firms": "payment experiences reported by {n:.0f} distinct member firms",
        "n_payment_experiences": "{n:.0f} payment experiences on record",
        "order_size_cv": "order sizes vary by {pct:.0f}% around their average",
        "n_referring_firms": "positive references (trains suppliers, fixes prices in advance, long contracts)"
                             " from {n:.0f} member firms",
        "mean_deposit_share": "pays on average {pct:.0f}% of the order value as deposit",
    },
    "es": {
        "days_beyond_terms": "paga en promedio {days:.0f} días después del plazo (ponderado por monto de factura)",
        "late_share": "pagó tarde {n_late:.0f} de {n_matured:.0f} facturas, en promedio {days:.0f} días"
                      " después del plazo",
        "worst_delay_days": "peor retraso registrado: {days:.0f} días después del plazo",
        "latest_delay_days": "factura vencida más reciente: {days:.0f} días después del plazo a la fecha de revisión",
        "delay_last_3": "últimas 3 facturas: en promedio {days:.0f} días después del plazo",
        "delay_last_6": "últimas 6 facturas: en promedio {days:.0f} días después del plazo",
        "delay_trend_days": "los retrasos cambian {days:+.0f} días cada 6 meses (tendencia de sus facturas)",
        "unpaid_past_due_share": "el {pct:.0f}% del monto vencido sigue sin pagarse",
        "incidents_minor": "{verified:.0f} incidentes leves verificados y {unverified:.0f} sin confirmar",
        "incidents_serious": "{verified:.0f} incidentes serios verificados y {unverified:.0f} sin confirmar",
        "incidents_grave": "{verified:.0f} incidentes muy graves verificados y {unverified:.0f} sin confirmar",
        "red_flags": "{n:.0f} reportes de cláusulas injustas o cancelación después de producir",
        "tenure_months": "conocido por la asociación desde hace {months:.0f} meses",
        "n_reporting_firms": "experiencias de pago reportadas por {n:.0f} empresas socias distintas",
        "n_payment_experiences": "{n:.0f} experiencias de pago registradas",
        "order_size_cv": "el tamaño de los pedidos varía un {pct:.0f}% alrededor de su promedio",
        "n_referring_firms": "referencias positivas (capacita a proveedores, fija precios por adelantado,"
                             " contratos largos) de {n:.0f} empresas socias",
        "mean_deposit_share": "paga en promedio un {pct:.0f}% del valor del pedido como anticipo",
    },
}
# input vendors (issue 15): members' purchases from the vendor
TEMPLATES["en"].update({
    "late_lot_share": "delivered {n_late:.0f} of {n_due:.0f} due lots late, on average {days:.0f} days",
    "mean_days_late": "lots came on average {days:.0f} days after the promised date",
    "major_deviation_share": "{n_major:.0f} of {n_judged:.0f} delivered lots deviated majorly from the sample",
    "warranty_refusals": "refused {n:.0f} warranty claims",
    "n_purchase_records": "{n:.0f} purchases on record",
    "n_purchasing_firms": "purchases reported by {n:.0f} distinct member firms",
})
TEMPLATES["es"].update({
    "late_lot_share": "entregó tarde {n_late:.0f} de {n_due:.0f} lotes vencidos, en promedio {days:.0f} días",
    "mean_days_late": "los lotes llegaron en promedio {days:.0f} días después de la fecha prometida",
    "major_deviation_share": "{n_major:.0f} de {n_judged:.0f} lotes entregados se desviaron mucho de la muestra",
    "warranty_refusals": "rechazó {n:.0f} reclamos de garantía",
    "n_purchase_records": "{n:.0f} compras registradas",
    "n_purchasing_firms": "compras reportadas por {n:.0f} empresas socias distintas",
})
assert all(set(t) == set(FEATURE_NAMES) for t in TEMPLATES.values()), "one template per feature and language"


class Reason(NamedTuple):
    """``(feature, direction, sentence, value)`` plus what is needed to re-word it in another language."""
    feature: str
    direction: str          # RAISES or LOWERS
    sentence: str           # English fact sentence
    value: float            # the feature's value for this buyer
    key: str                # template key in TEMPLATES
    params: dict            # numbers filling the template
    contribution: float     # signed contribution (log-odds or points) the ranking used


def reason_params(feature: str, row: pd.Series) -> dict:
    """Numbers for the template of ``feature`` taken from one feature row (features + context)."""
    value = float(row[feature])
    if feature in ("days_beyond_terms", "worst_delay_days", "delay_trend_days", "latest_delay_days",
                   "delay_last_3", "delay_last_6"):
        return {"days": value}
    if feature == "late_share":
        return {"n_late": float(row["n_late_invoices"]), "n_matured": float(row["n_matured_invoices"]),
                "days": float(row["days_beyond_terms"])}
    if feature in ("unpaid_past_due_share", "order_size_cv", "mean_deposit_share"):
        return {"pct": 100.0 * value}
    if feature.startswith("incidents_"):
        level = feature.split("_", 1)[1]
        return {"verified": float(row[f"n_{level}_verified"]), "unverified": float(row[f"n_{level}_unverified"])}
    if feature == "red_flags":
        return {"n": float(row["n_red_flag_reports"])}
    if feature == "tenure_months":
        return {"months": value}
    if feature == "late_lot_share":
        return {"n_late": float(row["n_late_lots"]), "n_due": float(row["n_due_lots"]),
                "days": float(row["mean_days_late"])}
    if feature == "mean_days_late":
        return {"days": value}
    if feature == "major_deviation_share":
        return {"n_major": float(row["n_major_lots"]), "n_judged": float(row["n_judged_lots"])}
    return {"n": value}


def make_reason(feature: str, contribution: float, row: pd.Series) -> Reason:
    params = reason_params(feature, row)
    direction = RAISES if contribution > 0 else LOWERS
    return Reason(feature, direction, TEMPLATES["en"][feature].format(**params), float(row[feature]),
                  feature, params, float(contribution))


def render_reason(reason: Reason, lang: str = "en", with_direction: bool = True) -> str:
    """Word a reason in ``lang`` ("en" or "es"), e.g. "Raises risk: paid 4 of 9 invoices late, ..."."""
    if lang not in TEMPLATES:
        raise ValueError(f"no reason templates for language {lang!r}; have {sorted(TEMPLATES)}")
    text = TEMPLATES[lang][reason.key].format(**reason.params)
    if not with_direction:
        return text
    direction = DIRECTION_TEXT[lang][reason.direction]
    return f"{direction[0].upper()}{direction[1:]}: {text}"
