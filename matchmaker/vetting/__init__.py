"""Buyer vetting (issue 5): members report, the model advises, the board decides, the buyer may answer.

Public helpers for other concerns:

* :func:`is_cleared` ``(session, buyer_id, association_id=None) -> bool`` — approved or approved
  with conditions; fairs, contact and search gating call it.
* :func:`cleared_subjects` — the same for many ids at once.
* the Jinja global ``vetting_badge(org_id)`` (registered by :mod:`matchmaker.vetting.pages`) renders a
  buyer's status badge wherever a buyer appears to a maker.
* :func:`register_cli` adds ``flask train screener`` and ``flask vetting reopen-due``.
"""
from .clearance import cleared_subjects, is_cleared  # noqa: F401
from .cli import register_cli  # noqa: F401
