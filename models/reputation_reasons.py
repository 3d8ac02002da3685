"""Reasons in words for the buyer reputation screener (one place): English, translated by the app.

A :class:`Reason` says which feature moved a buyer's risk, which way, and the fact behind it. The
fact sentence is direction-neutral ("paid 4 of 9 invoices late ...") and the direction is stated
separately, so a sentence can never claim the opposite of what the model did. Reasons carry a
template key and numeric params; :func:`render_reason` words them through the app's translation.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import pandas as pd

from models.reputation_features import FEATURE_NAMES


def N_(message: str) -> str:
    """Marks an English msgid for the app's gettext catalog (the extraction keyword ``scripts/i18n.py`` and
    ``babel.cfg`` name for the engines too); the engine never translates, the app does."""
    return message


RAISES, LOWERS = N_("raises risk"), N_("lowers risk")

TEMPLATES: dict[str, str] = {  # English wording: the message an app translates before filling it
    "days_beyond_terms": N_("pays on average {days:.0f} days beyond terms (weighted by invoice amount)"),
    "late_share": N_("paid {n_late:.0f} of {n_matured:.0f} invoices late, on average {days:.0f} days beyond terms"),
    "worst_delay_days": N_("worst delay on record: {days:.0f} days beyond terms"),
    "latest_delay_days": N_("newest matured invoice: {days:.0f} days beyond terms as of the review"),
    "delay_last_3": N_("last 3 invoices: on average {days:.0f} days beyond terms"),
    "delay_last_6": N_("last 6 invoices: on average {days:.0f} days beyond terms"),
    "delay_trend_days": N_("delays are changing by {days:+.0f} days every 6 months (trend over its invoices)"),
    "unpaid_past_due_share": N_("{pct:.0f}% of the amount past due is still unpaid"),
    "incidents_minor": N_("{verified:.0f} verified and {unverified:.0f} unconfirmed minor incidents on record"),
    "incidents_serious": N_("{verified:.0f} verified and {unverified:.0f} unconfirmed serious incidents on record"),
    "incidents_grave": N_("{verified:.0f} verified and {unverified:.0f} unconfirmed grave incidents on record"),
    "red_flags": N_("{n:.0f} reports of unjust contract clauses or cancellation after production"),
    "tenure_months": N_("known to the association for {months:.0f} months"),
    "n_reporting_firms": N_("payment experiences reported by {n:.0f} distinct member firms"),
    "n_payment_experiences": N_("{n:.0f} payment experiences on record"),
    "order_size_cv": N_("order sizes vary by {pct:.0f}% around their average"),
    "n_referring_firms": N_("positive references (trains suppliers, fixes prices in advance, long contracts) from {n:.0f}"
                            " member firms"),
    "mean_deposit_share": N_("pays on average {pct:.0f}% of the order value as deposit"),
    "rating_payment_terms": N_("makers rate its payment terms {score:.1f} of 5 ({n:.0f} ratings)"),
    "rating_payment_terms_none": N_("too few ratings of its payment terms to count ({n:.0f})"),
    "rating_overall": N_("makers rate the partnership overall {score:.1f} of 5 ({n:.0f} ratings)"),
    "rating_overall_none": N_("too few overall ratings to count ({n:.0f})"),
    "n_rating_firms": N_("{n:.0f} firms rated its purchasing practices"),
}
# input vendors (issue 15): members' purchases from the vendor
TEMPLATES.update({
    "late_lot_share": N_("delivered {n_late:.0f} of {n_due:.0f} due lots late, on average {days:.0f} days"),
    "mean_days_late": N_("lots came on average {days:.0f} days after the promised date"),
    "major_deviation_share": N_("{n_major:.0f} of {n_judged:.0f} delivered lots deviated majorly from the sample"),
    "warranty_refusals": N_("refused {n:.0f} warranty claims"),
    "n_purchase_records": N_("{n:.0f} purchases on record"),
    "n_purchasing_firms": N_("purchases reported by {n:.0f} distinct member firms"),
})
# order disputes (issue 15): what disputes on its orders say about the buyer's practices
TEMPLATES.update({
    "disputes_by_buyer": N_("raised {n:.0f} disputes against makers' invoices or deliveries"),
    "disputes_by_makers": N_("makers disputed {n:.0f} of its payments"),
    "disputes_unsettled": N_("{n:.0f} of those disputes are still neither answered nor withdrawn"),
    "dispute_open_days": N_("those disputes stayed open on average {days:.0f} days"),
})
# a rating feature below its minimum evidence is worded by its "_none" template
NO_RATING = ("rating_payment_terms", "rating_overall")
assert set(TEMPLATES) == set(FEATURE_NAMES) | {f"{f}_none" for f in NO_RATING}, "one template per feature"


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
                   "delay_last_3", "delay_last_6", "dispute_open_days"):
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
    if feature in NO_RATING:
        return {"score": value, "n": float(row.get("n_buyer_ratings", 0.0))}
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
    key = f"{feature}_none" if feature in NO_RATING and float(row[feature]) == 0 else feature
    return Reason(feature, direction, TEMPLATES[key].format(**params), float(row[feature]),
                  key, params, float(contribution))


def render_reason(reason: Reason, translate: Callable[[str], str] | None = None, with_direction: bool = True,
                  fill: Callable[..., str] | None = None) -> str:
    """Word a reason, e.g. "Raises risk: paid 4 of 9 invoices late, ...".

    ``translate`` maps an English message (a template, "raises risk") to the reader's language before
    it is filled (the app passes its gettext catalog's lookup); without it the wording is English.
    ``fill(template, **params)`` writes the numbers into it (the app's writes them in the reader's
    locale); without it, ``str.format``.
    """
    words = translate or (lambda message: message)
    text = (fill or str.format)(words(TEMPLATES[reason.key]), **reason.params)
    if not with_direction:
        return text
    direction = words(reason.direction)
    return f"{direction[0].upper()}{direction[1:]}: {text}"
