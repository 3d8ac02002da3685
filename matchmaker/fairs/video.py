"""Video meetings: a pair's settings row (``FairPairSetting``) and its link from the configured template.

``FAIR_VIDEO_URL_TEMPLATE`` (``MATCHMAKER_FAIR_VIDEO_URL_TEMPLATE``) is filled with ``{fair}``, ``{meeting}``
(the pair's setting id, stable across re-runs and repairs) and ``{token}`` (unguessable, per pair).
"""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from .records import Fair, FairMeeting, FairPairSetting

DEFAULT_VIDEO_TEMPLATE = "https://meet.jit.si/matchmaker-{fair}-{meeting}-{token}"


# -- pair settings and video links --------------------------------------------------------------

def pair_settings(session: Session, fair: Fair) -> dict[tuple[int, int], FairPairSetting]:
    return {(s.buyer_participant_id, s.maker_participant_id): s for s in session.scalars(
        select(FairPairSetting).where(FairPairSetting.fair_id == fair.id))}


def virtual_pairs(session: Session, fair: Fair) -> set[tuple[int, int]]:
    return {k for k, s in pair_settings(session, fair).items() if s.virtual}


def pair_setting(session: Session, fair: Fair, meeting: FairMeeting) -> FairPairSetting:
    """The pair's setting row, made on first use (two concurrent first uses: one row)."""
    key = (meeting.buyer_participant_id, meeting.maker_participant_id)
    stmt = select(FairPairSetting).where(FairPairSetting.fair_id == fair.id,
                                         FairPairSetting.buyer_participant_id == key[0],
                                         FairPairSetting.maker_participant_id == key[1])
    row = session.scalar(stmt)
    if row is None:
        row = FairPairSetting(fair_id=fair.id, buyer_participant_id=key[0], maker_participant_id=key[1],
                              virtual=False, video_token=secrets.token_urlsafe(18))
        session.add(row)
        session.flush()  # two first uses at once: the second's commit fails on the unique pair (a 409)
    return row


def video_template() -> str:
    try:
        from flask import current_app
        return current_app.config.get("FAIR_VIDEO_URL_TEMPLATE") or DEFAULT_VIDEO_TEMPLATE
    except RuntimeError:  # outside the app (a script): the default
        return DEFAULT_VIDEO_TEMPLATE


def video_url(fair: Fair, setting: FairPairSetting | None, template: str | None = None) -> str | None:
    if setting is None or not setting.virtual:
        return None
    return (template or video_template()).format(fair=fair.id, meeting=setting.id, token=setting.video_token)


def video_links(session: Session, fair: Fair, template: str | None = None) -> dict[tuple[int, int], str]:
    """Every virtual pair's link (for the agendas of the pair's own two sides)."""
    template = template or video_template()
    return {k: video_url(fair, s, template) for k, s in pair_settings(session, fair).items() if s.virtual}
