"""Writing ratings and answers, and reading them back as aggregates only.

* :func:`rate` stores one firm's rating on one basis (eligibility in :mod:`.eligibility`); the
  unique constraint on (basis, basis_id, rater) makes a second or concurrent rating a 409.
* :func:`aggregate` is what anyone but the association's board ever reads of a firm's ratings:
  per category the mean, shown only when ``MIN_RATINGS`` ratings from ``MIN_FIRMS`` distinct
  firms exist (one owner's several legal units, ``ownership_group_id``, count as one firm), with
  the cluster median beside it. Nothing about a hidden category leaves (not even its count, which
  would tell the rated firm when a rating arrived); raters and comments never leave. The figures
  move in batches of three firms or more (:mod:`.publication`), the count shown as a band.
* :func:`rating_rows` feeds the models: plain rows without rater identity.
* :func:`set_answer` / :func:`delete_answer`: the rated firm's published answer.

Only ratings that count are read (:func:`matchmaker.orders.evidence.counted_ratings`: a rating on an
order counts while the order is evidence); one that stopped counting stays stored.

The cluster: a rating counts in the association its basis belongs to (an order: the maker's
association; a purchase: its association). The median beside a score is taken over every firm
rated in the same direction within the rated firm's *home* association (the one holding most of
its ratings), each by its mean of the ratings given there, among the firms that pass the same
threshold there.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import DomainError, is_unique_violation
from ..i18n import format_date, gettext
from ..orders.evidence import counted_ratings
from ..organizations.records import Organization
from ..records import utcnow
from ..i18n import N_
from . import eligibility as el
from .publication import firm_key, published_prefix, count_band, published
from .records import CATEGORIES, DIRECTIONS, MIN_FIRMS, MIN_RATINGS, Rating, RatingAnswer, RatingScore

#: which direction of ratings a firm of each kind receives
RECEIVED_BY_KIND = {"buyer": "buyer_practices", "buying_agent": "buyer_practices", "maker": "maker_performance",
                    "coordinator": "maker_performance", "input_vendor": "vendor_performance"}


def directions_received(kind: str) -> tuple[str, ...]:
    direction = RECEIVED_BY_KIND.get(kind)
    return (direction,) if direction else ()


# -- writing ---------------------------------------------------------------------------------------

def not_found(basis: str) -> DomainError:
    what = gettext("order") if basis == "order" else gettext("purchase")
    return DomainError("not_found", gettext("No such {what}.", what=what), status=404)


NO_EVIDENCE = N_("This order did not come from a quote or a fair meeting and no association has cleared its buyer; "
                 "it cannot be rated.")


def check_open(elig: el.Eligibility | None, basis: str, on=None) -> el.Eligibility:
    """The eligibility, or the 4xx that says why this side may not rate (naming ``basis_id``)."""
    if elig is None:
        raise not_found(basis)
    if elig.rated:
        raise DomainError("conflict", gettext("Your firm has already rated this."), status=409)
    if not elig.evidence:
        raise DomainError("invalid", NO_EVIDENCE, field="basis_id")
    if elig.opens_on is None:
        text = gettext("The other side has not confirmed the order's terms; it cannot be rated.")
        raise DomainError("invalid", text, status=422, fields=[{"field": "basis_id", "problem": text}])
    if not elig.open_on(on or el.today()):
        text = gettext("Rating opens on {date}.", date=format_date(elig.opens_on.isoformat()))
        raise DomainError("invalid", text, status=422, fields=[{"field": "basis_id", "problem": text}])
    return elig


def check_scores(direction: str, scores: dict[str, int]) -> dict[str, int]:
    allowed = CATEGORIES[direction]
    unknown = [c for c in scores if c not in allowed]
    if unknown:
        problem = gettext("Not a category of this rating; allowed: {codes}.", codes=", ".join(allowed))
        raise DomainError("invalid", problem, status=422,
                          fields=[{"field": f"scores.{c}", "problem": problem} for c in unknown])
    return scores


def rate(session: Session, user, basis: str, basis_id: int, scores: dict[str, int], comment: str = "") -> Rating:
    """Store the user's firm's rating; 404 if not its basis, 422 if not open yet, 409 if rated before."""
    elig = check_open(el.for_basis(session, user, basis, basis_id), basis)
    check_scores(elig.direction, scores)
    rating = Rating(basis=basis, basis_id=basis_id, direction=elig.direction, rater_org_id=elig.rater_org_id,
                    ratee_org_id=elig.ratee_org_id, association_id=elig.association_id, rated_by_id=user.id,
                    comment=comment.strip(),
                    scores=[RatingScore(category=c, score=s) for c, s in sorted(scores.items())])
    session.add(rating)
    _MEDIANS.clear()
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        if is_unique_violation(exc):
            raise DomainError("conflict", gettext("Your firm has already rated this."), status=409) from exc
        raise
    return rating


# -- reading: aggregates only ----------------------------------------------------------------------

@dataclass(frozen=True)
class RatingRow:
    """One score of one rating, for the models: who was rated, never who rated."""

    ratee_org_id: int
    direction: str
    category: str
    score: int
    created_at: datetime


def rating_rows(session: Session, as_of: datetime | None = None) -> list[RatingRow]:
    """Every counted score (``orders.evidence.counted_ratings``) given up to ``as_of`` (all when ``None``),
    oldest first, without rater or comment."""
    stmt = (select(Rating.ratee_org_id, Rating.direction, RatingScore.category, RatingScore.score, Rating.created_at)
            .join(RatingScore, RatingScore.rating_id == Rating.id).where(counted_ratings())
            .order_by(Rating.created_at, RatingScore.id))
    if as_of is not None:
        stmt = stmt.where(Rating.created_at <= as_of)
    return [RatingRow(*row) for row in session.execute(stmt)]


def _filtered(stmt, direction: str, as_of, ratee: int | None, association_id: int | None):
    stmt = stmt.where(Rating.direction == direction, counted_ratings())
    if ratee is not None:
        stmt = stmt.where(Rating.ratee_org_id == ratee)
    if association_id is not None:
        stmt = stmt.where(Rating.association_id == association_id)
    if as_of is not None:
        stmt = stmt.where(Rating.created_at <= as_of)
    return stmt


def _passes(ratings: int, firms: int) -> bool:
    return ratings >= MIN_RATINGS and firms >= MIN_FIRMS


_MEDIANS: dict[tuple, tuple[tuple, dict[str, float]]] = {}  # (database, direction, association) -> (stamp, medians)


def cluster_medians(session: Session, direction: str, association_id: int, as_of=None) -> dict[str, float]:
    """Per category, the median of the shown means of every firm rated in ``direction`` in the association.

    It reads every rating of the association, so the current figures are kept per process and reused
    while the association's ratings are unchanged: the newest id and the count (one index-only query) say
    so for ratings other processes add (ratings are never edited), and :func:`rate` forgets them at once
    in its own process; the count and id sum of the ratings that count (``counted_ratings``) change when
    a buyer's clearance is withdrawn or given. ``as_of`` is always computed afresh."""
    if as_of is not None:
        return _compute_medians(session, direction, association_id, as_of)
    stamp = tuple(session.execute(select(func.max(Rating.id), func.count(), func.sum(Rating.id)).where(
        Rating.association_id == association_id, counted_ratings())).one())
    key = (str(session.get_bind().url), direction, association_id)
    cached = _MEDIANS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    medians = _compute_medians(session, direction, association_id, None)
    if len(_MEDIANS) > 256:
        _MEDIANS.clear()
    _MEDIANS[key] = (stamp, medians)
    return medians


def _compute_medians(session: Session, direction: str, association_id: int, as_of) -> dict[str, float]:
    per_category = defaultdict(list)
    for _ratee, category, mean, n, firms in published(session, direction, as_of, association_id=association_id):
        if _passes(n, firms):
            per_category[category].append(mean)
    return {category: median(means) for category, means in per_category.items()}


def home_association(session: Session, ratee_org_id: int, direction: str, as_of=None) -> int | None:
    """The association holding most of the firm's ratings in ``direction`` (the lowest id on a tie)."""
    stmt = (select(Rating.association_id).where(Rating.association_id.is_not(None))
            .group_by(Rating.association_id).order_by(func.count().desc(), Rating.association_id).limit(1))
    return session.scalar(_filtered(stmt, direction, as_of, ratee_org_id, None))


def aggregate(session: Session, ratee_org_id: int, direction: str, as_of: datetime | None = None,
              association_id: int | None = None) -> dict:
    """What may be shown of a firm's ratings in one direction: per category, score (one decimal), count
    band and cluster median when the threshold is met, else only that it is not shown. Computed from the
    published snapshots only (``ratings.publication``), so one more rating never moves the figure alone.
    ``association_id`` narrows it to the ratings given within one association (the board's view)."""
    if direction not in DIRECTIONS:
        raise ValueError(direction)
    own = {c: (mean, n, firms) for _r, c, mean, n, firms in published(session, direction, as_of, ratee_org_id,
                                                                        association_id)}
    cluster = association_id or home_association(session, ratee_org_id, direction, as_of)
    medians = cluster_medians(session, direction, cluster, as_of) if cluster is not None else {}
    categories = []
    for category in CATEGORIES[direction]:
        mean, n, firms = own.get(category, (None, 0, 0))
        shown = _passes(n, firms)
        categories.append({
            "category": category, "shown": shown, "score": round(mean, 1) if shown else None,
            "ratings": count_band(n) if shown else None,
            "cluster_median": round(medians[category], 1) if shown and category in medians else None,
        })
    return {"organization_id": ratee_org_id, "direction": direction, "association_id": cluster,
            "categories": categories, "answers": answers(session, ratee_org_id, direction)}


def any_shown(summary: dict) -> bool:
    return any(c["shown"] for c in summary["categories"])


def board_comments(session: Session, ratee_org_id: int, direction: str, association_id: int) -> list[str]:
    """The comments the association's members wrote, for its board: no rater, no date, no order (sorted
    by text), and only those of the published snapshots (:mod:`.publication`): comments arrive in batches
    of at least three firms once the threshold is met, so a new one cannot be told apart by elimination
    nor by when it appeared."""
    rows = session.execute(select(Rating.comment, firm_key())
                           .join(Organization, Organization.id == Rating.rater_org_id)
                           .where(Rating.ratee_org_id == ratee_org_id, Rating.direction == direction,
                                  Rating.association_id == association_id, counted_ratings())
                           .order_by(Rating.created_at, Rating.id)).all()
    return sorted(c for c, _firm in published_prefix([tuple(r) for r in rows]) if c)


def rated_in_association(session: Session, association_id: int) -> list[tuple[Organization, str, str | None]]:
    """(firm, direction, band of the number of ratings) of every firm whose ratings by the association's
    members have a published snapshot: the board's list. Taken from the snapshots, as every figure is:
    a live list or count would tell the board when one more rating came in (and from which member, by who
    just traded with the firm); the band (``count_band``) is that of the largest category's snapshot."""
    counts: dict[tuple[int, str], int] = {}
    for direction in DIRECTIONS:
        for ratee, _category, _mean, n, _firms in published(session, direction, association_id=association_id):
            counts[(ratee, direction)] = max(n, counts.get((ratee, direction), 0))
    orgs = {o.id: o for o in session.scalars(select(Organization).where(
        Organization.id.in_({r for r, _d in counts})))}
    return sorted(((orgs[r], d, count_band(n)) for (r, d), n in counts.items()),
                  key=lambda t: (t[0].name, t[0].id, t[1]))


# -- the rated firm's answer -----------------------------------------------------------------------

def answers(session: Session, ratee_org_id: int, direction: str) -> list[dict]:
    rows = session.scalars(select(RatingAnswer).where(RatingAnswer.ratee_org_id == ratee_org_id,
                                                      RatingAnswer.direction == direction)
                           .order_by(RatingAnswer.category)).all()
    return [{"category": a.category or None, "body": a.body,
             "published_at": a.published_at.isoformat() if a.published_at else None} for a in rows]


def check_answer_target(org: Organization | None, user, direction: str, category: str | None) -> None:
    """The firm answers only its own ratings, in the direction it receives (else 404 / 422 naming the field):
    a buyer, a maker, or an input vendor for its vendor_performance ratings."""
    from ..access import acts_for

    if (org is None or user is None or user.role not in {"buyer_user", "maker_user", "vendor_user"}
            or not acts_for(user, org.id)):
        raise DomainError("not_found", gettext("No such {what}.", what=gettext("organization")), status=404)
    if direction not in directions_received(org.kind):
        problem = gettext("Your firm does not receive this kind of rating.")
        raise DomainError("invalid", problem, status=422,
                          fields=[{"field": "direction", "problem": problem}])
    if category and category not in CATEGORIES[direction]:
        problem = gettext("Not a category of this rating; allowed: {codes}.", codes=", ".join(CATEGORIES[direction]))
        raise DomainError("invalid", problem, status=422,
                          fields=[{"field": "category", "problem": problem}])


def set_answer(session: Session, user, org: Organization | None, direction: str, category: str | None,
               body: str) -> RatingAnswer:
    check_answer_target(org, user, direction, category)
    answer = session.scalar(select(RatingAnswer).where(RatingAnswer.ratee_org_id == org.id,
                                                       RatingAnswer.direction == direction,
                                                       RatingAnswer.category == (category or "")))
    if answer is None:
        answer = RatingAnswer(ratee_org_id=org.id, direction=direction, category=category or "")
        session.add(answer)
    answer.body, answer.written_by_id, answer.published_at = body.strip(), user.id, utcnow()
    try:
        session.commit()
    except IntegrityError as exc:  # two first answers at once: the other one is kept
        session.rollback()
        raise DomainError("conflict", gettext("Someone published an answer at the same moment; reload."),
                          status=409) from exc
    return answer


def delete_answer(session: Session, user, org: Organization | None, direction: str, category: str | None) -> bool:
    check_answer_target(org, user, direction, category)
    done = session.execute(delete(RatingAnswer).where(
        RatingAnswer.ratee_org_id == org.id, RatingAnswer.direction == direction,
        RatingAnswer.category == (category or ""))).rowcount
    session.commit()
    return bool(done)
