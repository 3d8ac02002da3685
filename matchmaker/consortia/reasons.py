"""The optimizer's reason codes (``scheduling.consortia.explain``) as sentences for the reader."""
from __future__ import annotations

from ..i18n import format_number
from ..i18n import gettext as _
from ..catalog import N_

TEXT = {
    "picked_best_fit": N_("{maker} fits this requirement best of all candidates for the stage (fit {fit})."),
    "picked_capacity": N_("{maker} takes {units} units with {spare} spare."),
    "picked_fast": N_("{maker} is the fastest candidate ({days} days)."),
    "picked_low_risk": N_("{maker} has the best delivery record among the candidates."),
    "picked_small_share": N_("{maker} is a small firm and takes {units} units of the small-firm share."),
    "picked_locked": N_("You locked this stage."),
    "split_volume": N_("The {volume} units are split between {makers} makers."),
    "runner_up_lower_fit": N_("{maker} fits less well ({fit} against {chosen_fit})."),
    "runner_up_capacity": N_("{maker} has only {spare} units spare for {volume}."),
    "runner_up_slower": N_("{maker} needs {days} days against {chosen_days}."),
    "runner_up_riskier": N_("{maker} has a weaker delivery record."),
    "runner_up_same_firm": N_("{maker} belongs to a firm already in this stage."),
    "runner_up_farther": N_("{maker} is as good on this stage; the team as a whole does better without it "
                            "(transport, time or cohesion)."),
    "no_runner_up": N_("No other maker offers this stage."),
    "picked_cheapest": N_("{maker} is the cheapest candidate for this stage."),
    "picked_cohesion": N_("{maker} has worked well with {partner} in an earlier consortium of yours."),
    "runner_up_costlier": N_("{maker} costs more per piece."),
}

TERMS = {"fit": N_("Fit"), "risk": N_("Risk"), "cost": N_("Cost"), "lead": N_("Lead time"), "cohesion": N_("Cohesion"),
         "small_share": N_("Small-firm share")}

SHORTFALLS = {"no_candidate": N_("No maker offers this stage."),
              "capacity": N_("The makers who offer this stage lack the capacity for the whole quantity."),
              "no_option": N_("Minimum orders or locks leave no way to split this stage.")}


def sentence(reason: dict) -> str:
    """The reason in the reader's language, numbers formatted for the reader's locale."""
    params = {k: format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
              for k, v in reason.get("params", {}).items()}
    return _(TEXT.get(reason["code"], reason["code"]), **params)
