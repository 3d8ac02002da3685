"""Dates the tests mean as "in the future", counted from today so that they never fall into the past.

A literal such as ``"2027-05-01"`` for a certificate's validity is a time bomb: the day it passes, the
certificate is expired and every test relying on a valid one fails (or, worse, passes for the wrong
reason). ``years_ahead`` keeps a readable month and day.
"""
from __future__ import annotations

from datetime import date, timedelta


def days_ahead(days: int) -> date:
    return date.today() + timedelta(days=days)


def years_ahead(years: int, month: int = 5, day: int = 1) -> date:
    """``month``/``day`` of the year ``years`` after this one: always after today for ``years >= 1``."""
    return date(date.today().year + years, month, day)
