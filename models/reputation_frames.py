"""Record-table helpers shared by the reputation feature blocks (buyers, vendors).

:func:`records` gives every block the same input rule: ``None`` or an empty frame means "no records",
a non-empty one missing a required column is a ``ValueError`` naming it, optional columns get their
defaults. :func:`days` and :func:`ratio` are the two numeric conversions every formula uses. Kept apart
from :mod:`models.reputation_features` so that the additive blocks (:mod:`models.reputation_vendors`)
can use them without importing the module that merges them.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd


def days(delta: pd.Series) -> np.ndarray:
    """A timedelta series as float days (NaT -> NaN)."""
    return (delta / pd.Timedelta(days=1)).to_numpy(dtype=float, na_value=np.nan)


def ratio(num, den) -> np.ndarray:
    """``num / den`` elementwise, 0 where the denominator is 0 (no evidence -> 0, never NaN)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


def records(frame, name: str, required: Iterable[str], optional: dict | None = None) -> pd.DataFrame:
    """``frame`` with every column present: ``None`` or an empty frame is "no records"; a record
    table missing a required column is a ``ValueError`` naming it; optional columns get defaults."""
    required = list(required)
    if frame is None or (len(frame) == 0 and not set(required) <= set(frame.columns)):
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in required})
        for c in ("date", "invoice_date"):
            if c in frame:
                frame[c] = pd.Series(dtype="datetime64[ns]")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} has no column {missing[0]!r} (required: {', '.join(required)})")
    extra = {c: v for c, v in (optional or {}).items() if c not in frame.columns}
    return frame.assign(**extra) if extra else frame
