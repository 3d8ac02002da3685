"""Vetting's refusals as sentences of the catalogue, for the pages.

The services refuse with an English message meant for the API; a page says it in the reader's language.
Matched by pattern (the services' messages carry ids and names); anything unknown falls back on the
refusal's code, so a reader never meets an untranslated message.
"""
from __future__ import annotations

from ..catalog import N_

import re

from ..i18n import gettext as _

REFUSALS: list[tuple[re.Pattern, str]] = [(re.compile(p), m) for p, m in (
    (r"^no organization \d+$", N_("There is no such firm.")),
    (r"^organization \d+ is a \w+: only buyers", N_("Only buyers, buying agents and input vendors are vetted.")),
    (r"^reports come from a member firm", "Your account is not attached to a firm."),
    (r"^your account has no firm", "Your account is not attached to a firm."),
    (r"^your firm is not a member of association \d+$", N_("Your firm is not a member of this association.")),
    (r"^your firm is not a member of any association$", N_("Your firm is not a member of any association.")),
    (r"^your account is not attached to an association$", "Your account is not attached to an association."),
    (r"^you act only for your own association$", N_("You act only for your own association.")),
    (r"^a firm cannot report about itself$", N_("A firm cannot report about itself.")),
    (r"^at most \d+ evidence files", N_("Too many evidence files for one incident.")),
    (r"^only the reporting firm or the board may add evidence$",
     N_("Only the reporting firm or the board may add evidence.")),
    (r"^only the buyer disputes an incident", N_("Only the buyer disputes an incident, through its reply.")),
    (r"^only the reporting firm or the board may withdraw",
     N_("Only the reporting firm or the board may withdraw an incident.")),
    (r"^only the board or staff of the incident's association may",
     N_("Only the board or staff of the association verify an incident.")),
    (r"^no association \d+$", N_("There is no such association.")),
    (r"^only board members of the case's association",
     N_("Only board members of the case's association vote and decide.")),
    (r"^case \d+ is already decided$", N_("This case is already decided.")),
    (r"^you are recused from case \d+", "You are recused from this case"),
    (r"^you have already voted on this case", "you have already voted on this case; one vote per member"),
    (r"^the board has not voted on this case yet",
     N_("The board has not voted on this case yet: record at least one vote.")),
    (r"^no incident \d+ about your firm$", N_("Choose one of the incidents reported about your firm.")),
    (r"^case \d+ for this firm is already open", N_("A case on this firm is already open in this association.")),
    (r"^the change conflicts with an existing record$", N_("A case on this firm is already open in this association.")),
)]
REFUSAL_BY_CODE = {"forbidden": "Your role does not give access to this page.", "not_found": "Not found",
                   "recused": "You are recused from this case", "case_closed": N_("This case is already decided.")}


REFUSED = N_("The request was refused.")


def refusal_text(message: str, code: str | None = None) -> str:
    for pattern, msgid in REFUSALS:
        if pattern.search(message):
            return _(msgid)
    return _(REFUSAL_BY_CODE.get(code or "", REFUSED))
