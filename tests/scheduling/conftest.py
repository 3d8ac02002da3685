"""Shared fixtures for scheduling tests."""

import pytest
from sched_helpers import fair

from scheduling import Problem


@pytest.fixture
def small_fair() -> Problem:
    prefs = [
        ("B1", "M1", "must", "must", 0.9), ("B1", "M2", "would_like", None, 0.4),
        ("B1", "M3", None, None, 0.7), ("B1", "M4", "no", "must", 0.9),
        ("B2", "M1", "would_like", "would_like", 0.5), ("B2", "M2", "must", None, 0.2),
        ("B2", "M4", None, "would_like", 0.3), ("B3", "M3", "must", "would_like", 0.8),
        ("B3", "M4", None, None, 0.6), ("B3", "M1", None, "no", 1.0),
    ]
    return fair(prefs=prefs)
