"""Which of a firm's ratings its published figures are computed from: whole batches, never one rating.

A live mean with an exact count gives one firm's scores away by differencing: read the mean of n
ratings, wait for one more, read again, and (n+1)·new − n·old is the newcomer's score. So figures move
in batches. Per rated firm, category and association, the ratings are taken in the order they were
given; a snapshot closes once at least ``BATCH_FIRMS`` firms (an ownership group is one firm) have
rated since the previous snapshot (the first also needs the 3-ratings-from-3-firms threshold). The
figures shown are those of the last closed snapshot; later ratings wait for the next one. Two
published figures therefore differ by whole batches of three firms or more.

The all-associations figure adds up each association's own published snapshot, so a board cannot
recover the other associations' few ratings by comparing its own view with the platform-wide one.
Scores are shown to one decimal and the count as a band (``count_band``), not the exact number.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ..orders.evidence import counted_ratings
from ..organizations.records import Organization
from .records import MIN_FIRMS, MIN_RATINGS, Rating, RatingScore

BATCH_FIRMS = 3
BANDS = ((100, "100+"), (25, "25-99"), (10, "10-24"), (3, "3-9"))


def count_band(n: int) -> str | None:
    """The band a number of ratings falls in ("3-9", "10-24", "25-99", "100+"); None below 3."""
    return next((label for low, label in BANDS if n >= low), None)


def firm_key():
    """One owner's legal units are one firm: its ownership group (negated, so it never equals a firm id)."""
    return case((Organization.ownership_group_id.is_not(None), -Organization.ownership_group_id),
                else_=Rating.rater_org_id)


def published_prefix(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (score, firm) rows up to the last closed snapshot, ``rows`` in the order they were given."""
    cut, since, firms = 0, set(), set()
    for i, (_score, firm) in enumerate(rows, 1):
        since.add(firm)
        firms.add(firm)
        if len(since) >= BATCH_FIRMS and i >= MIN_RATINGS and len(firms) >= MIN_FIRMS:
            cut, since = i, set()
    return rows[:cut]


def published(session: Session, direction: str, as_of=None, ratee: int | None = None,
              association_id: int | None = None) -> list[tuple[int, str, float, int, int]]:
    """(ratee, category, mean, ratings, distinct firms) over the published snapshots of one direction:
    of ``association_id``'s ratings, or the sum of every association's own (ratings given outside any
    association are batched as one more scope). Only ratings that count now (``counted_ratings``)."""
    stmt = (select(Rating.ratee_org_id, RatingScore.category, Rating.association_id, RatingScore.score,
                   firm_key())
            .join(RatingScore, RatingScore.rating_id == Rating.id)
            .join(Organization, Organization.id == Rating.rater_org_id)
            .where(Rating.direction == direction, counted_ratings()).order_by(Rating.created_at, Rating.id))
    if ratee is not None:
        stmt = stmt.where(Rating.ratee_org_id == ratee)
    if association_id is not None:
        stmt = stmt.where(Rating.association_id == association_id)
    if as_of is not None:
        stmt = stmt.where(Rating.created_at <= as_of)
    scopes: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for r, category, assoc, score, firm in session.execute(stmt):
        scopes[(r, category, assoc)].append((score, firm))
    total: dict[tuple, list] = defaultdict(lambda: [0, 0, set()])
    for (r, category, _assoc), rows in scopes.items():
        shown = published_prefix(rows)
        if shown:
            acc = total[(r, category)]
            acc[0] += sum(s for s, _f in shown)
            acc[1] += len(shown)
            acc[2].update(f for _s, f in shown)
    return [(r, c, s / n, n, len(firms)) for (r, c), (s, n, firms) in total.items()]
