"""``flask evaluate ranker --online``: what the live system says about the ranker."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import taxonomy as tx
from ..makers.records import MakerProfile
from .online import exposure_lines, report_lines


def online_report(session: Session) -> list[str]:
    bands = {mid: tx.size_band(h) for mid, h in session.execute(
        select(MakerProfile.organization_id, MakerProfile.headcount))}
    return ["online evaluation (rankings served with an intervention):"] + report_lines(session) + \
        exposure_lines(session, bands.get)
