"""On which day a story says its fact happened (or will happen). Pure.

Two kinds of evidence, kept apart because they are read differently:
- calendar dates written out ("March 18", "18 March", "Dec. 2"), as day numbers of one
  reference year, so "Dec 31" and "Jan 1" are neighbours;
- weekdays ("on Tuesday", "yesterday", "tonight"), as weekday numbers 0-6; "today",
  "yesterday" and "tomorrow" are resolved against the time of the report.

Outlets date the same fact differently by a day (time zones, datelines written after midnight,
"late on Monday"), so two stories disagree on the day only when no day of one lies within a
day of a day of the other (`days_disagree`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for name in names.split()
}
_DAY = re.compile(r"(?<![\d.,])\b(\d{1,2})(?:st|nd|rd|th)?\b(?![.,]?\d)")
_MONTH_BEFORE = re.compile(r"([a-z]{3,9})\.?\s+$")
_MONTH_AFTER = re.compile(r"\s+(?:of\s+)?([a-z]{3,9})\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|yesterday|"
    r"tomorrow)\b"
)
_SHIFT = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
CALENDAR_SLACK_DAYS = 2
"""Reports of one fact come within two days of it, and a dateline gives the day of filing."""
_YEAR = 2001
"""A year that is not a leap year; only distances between days are used."""


def calendar_days(text: str) -> frozenset[int]:
    """The calendar dates written in a text ("March 18", "18th of March", "Dec. 2"), as day
    numbers of one reference year."""
    lowered = text.lower()
    found = set()
    for match in _DAY.finditer(lowered):
        day = int(match.group(1))
        before = _MONTH_BEFORE.search(lowered, max(0, match.start() - 11), match.start())
        after = _MONTH_AFTER.match(lowered, match.end(), match.end() + 14)
        for near in (before, after):
            month = _MONTHS.get(near.group(1)) if near else None
            if month and 1 <= day <= 31:
                found.add(_day_number(month, day))
                break
    return frozenset(found)


def _day_number(month: int, day: int) -> int:
    try:
        return date(_YEAR, month, day).timetuple().tm_yday
    except ValueError:  # "February 29", "April 31": the month's last day
        return date(_YEAR, month % 12 + 1, 1).timetuple().tm_yday - 1 if month < 12 else 365


def weekdays(text: str, reported_at: datetime | None) -> frozenset[int]:
    """The weekdays a text names (0 = Monday); "today", "yesterday" and "tomorrow" only when
    the report time is known."""
    found = set()
    for match in _RELATIVE.finditer(text.lower()):
        word = match.group(1)
        if word in _SHIFT:
            if reported_at is not None:
                found.add((reported_at.weekday() + _SHIFT[word]) % 7)
        else:
            found.add(_WEEKDAYS.index(word))
    return frozenset(found)


def _near(a: frozenset[int], b: frozenset[int], period: int, days: int) -> bool:
    """Some day of `a` within `days` of some day of `b`, on a cycle of `period` days."""
    for x in a:
        for y in b:
            gap = abs(x - y) % period
            if min(gap, period - gap) <= days:
                return True
    return False


def days_disagree(
    calendar_a: frozenset[int],
    weekdays_a: frozenset[int],
    calendar_b: frozenset[int],
    weekdays_b: frozenset[int],
) -> bool:
    """Both stories date their fact and no date of one is within a day of one of the other's
    (calendar dates compared with calendar dates, weekdays with weekdays)."""
    if calendar_a and calendar_b:
        return not _near(calendar_a, calendar_b, 365, CALENDAR_SLACK_DAYS)
    if weekdays_a and weekdays_b:
        return not _near(weekdays_a, weekdays_b, 7, 1)
    return False
