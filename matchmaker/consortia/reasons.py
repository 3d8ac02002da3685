"""The optimizer's reason codes (``scheduling.consortia.explain``) as sentences for the reader."""
from __future__ import annotations

from ..i18n import format_number
from ..i18n import gettext as _

TEXT = {
    "picked_best_fit": "{maker} fits this requirement best of all candidates for the stage (fit {fit}).",
    "picked_capacity": "{maker} takes {units} units with {spare} spare.",
    "picked_fast": "{maker} is the fastest candidate ({days} days).",
    "picked_low_risk": "{maker} has the best delivery record among the candidates.",
    "picked_small_share": "{maker} is a small firm and takes {units} units of the small-firm share.",
    "picked_locked": "You locked this stage.",
    "split_volume": "The {volume} units are split between {makers} makers.",
    "runner_up_lower_fit": "{maker} fits less well ({fit} against {chosen_fit}).",
    "runner_up_capacity": "{maker} has only {spare} units spare for {volume}.",
    "runner_up_slower": "{maker} needs {days} days against {chosen_days}.",
    "runner_up_riskier": "{maker} has a weaker delivery record.",
    "runner_up_same_firm": "{maker} belongs to a firm already in this stage.",
    "runner_up_farther": "{maker} is as good on this stage; the team as a whole does better without it "
                         "(transport, time or cohesion).",
    "no_runner_up": "No other maker offers this stage.",
    "picked_cheapest": "{maker} is the cheapest candidate for this stage.",
    "picked_cohesion": "{maker} has worked well with {partner} in an earlier consortium of yours.",
    "runner_up_costlier": "{maker} costs more per piece.",
}

TERMS = {"fit": "Fit", "risk": "Risk", "cost": "Cost", "lead": "Lead time", "cohesion": "Cohesion",
         "small_share": "Small-firm share"}

SHORTFALLS = {"no_candidate": "No maker offers this stage.",
              "capacity": "The makers who offer this stage lack the capacity for the whole quantity.",
              "no_option": "Minimum orders or locks leave no way to split this stage."}


def sentence(reason: dict) -> str:
    """The reason in the reader's language, numbers formatted for the reader's locale."""
    params = {k: format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
              for k, v in reason.get("params", {}).items()}
    return _(TEXT.get(reason["code"], reason["code"]), **params)
