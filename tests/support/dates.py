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


def fair_day(years: int = 4) -> date:
    """A Tuesday in March ``years`` after this year (the 12th, or the first Tuesday after it): the fair
    tests' day, always upcoming, always a Tuesday in March, as their formatted dates ("Tue 12 Mar") expect."""
    day = date(date.today().year + years, 3, 12)
    return day + timedelta(days=(1 - day.weekday()) % 7)


#: The fair tests' fair day (see :func:`fair_day`); its English and Spanish agenda forms.
FAIR_DAY = fair_day()
FAIR_DAY_EN = f"Tue {FAIR_DAY.day} Mar {FAIR_DAY.year}"
FAIR_DAY_ES = f"mar {FAIR_DAY.day} mar {FAIR_DAY.year}"
