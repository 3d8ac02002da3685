"""All objective weights in one place.

The optimizer maximizes the sum of pair values over scheduled meetings, minus
penalties. Integer values keep CP-SAT exact. The defaults encode the order

    mutual must-meet  >>  one-sided must-meet  >  would-like  >  recommended

=========================  =====  ==========================================
pair marks (either order)  value  why
=========================  =====  ==========================================
must + must                 1000  > 3 one-sided musts: never traded away
must + would_like            250
must + none                  200
would_like + would_like       60
would_like + none             40  still beats the best pure recommendation
none + none (score only)       0  plus the score bonus below
+ recommendation score     0..20  ``round(20 * score)``; tie-breaker
=========================  =====  ==========================================

Penalties:

* ``shortfall`` = 150 per meeting a participant is below their minimum. It
  outweighs any would-like (so an under-served participant gets a meeting
  before a well-served one gets another nice-to-have) but not a must-meet.

Idle gaps between meetings are not weighted: they are minimized in a second
pass that keeps the chosen meetings (lexicographic: value first, then gaps).
"""

from __future__ import annotations

from dataclasses import dataclass

from .problem import PairPreference


@dataclass(frozen=True)
class Weights:
    mutual_must: int = 1000
    must_and_would_like: int = 250
    one_sided_must: int = 200
    mutual_would_like: int = 60
    one_sided_would_like: int = 40
    score_scale: int = 20
    shortfall: int = 150

    def pair_value(self, pref: PairPreference) -> int:
        """Integer value of scheduling this pair once (0 if vetoed)."""
        if pref.vetoed:
            return 0
        marks = sorted(m for m in (pref.buyer_mark, pref.maker_mark) if m)
        base = {
            ("must", "must"): self.mutual_must,
            ("must", "would_like"): self.must_and_would_like,
            ("must",): self.one_sided_must,
            ("would_like", "would_like"): self.mutual_would_like,
            ("would_like",): self.one_sided_would_like,
        }.get(tuple(marks), 0)
        return base + round(self.score_scale * (pref.score or 0.0))


DEFAULT_WEIGHTS = Weights()
