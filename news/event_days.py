"""On which day a story says its fact happened (or will happen). Pure.

Two kinds of evidence, kept apart because they are read differently:
- calendar dates written out ("March 18", "18 March", "Dec. 2"), as day numbers of one
  reference year, so "Dec 31" and "Jan 1" are neighbours;
- weekdays ("on Tuesday", "yesterday", "tonight"), as weekday numbers 0-6; "today",
  "yesterday" and "tomorrow" are resolved against the time of the report.

Outlets date the same fact differently by a day or so (time zones, datelines written after
midnight, "late on Monday", a report filed the day after), so two stories disagree on the day
only when no date of one lies within two days of a date of the other, or no weekday within
one day of a weekday of the other (`days_disagree`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from news.wording import word_tokens

_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES.split(), 1)}
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
    return calendar_days_of(word_tokens(text))


def calendar_days_of(tokens: Iterable[str]) -> frozenset[int]:
    """The calendar dates among a text's tokens (`news.wording` joins "March 18" into
    "mar18"), as day numbers of one reference year."""
    found = set()
    for token in tokens:
        month = _MONTHS.get(token[:3])
        if month and token[3:].isdigit() and 1 <= int(token[3:]) <= 31:
            found.add(_day_number(month, int(token[3:])))
    return frozenset(found)


def _day_number(month: int, day: int) -> int:
    try:
        return date(_YEAR, month, day).timetuple().tm_yday
    except ValueError:  # "February 29", "April 31": the month's last day
        return date(_YEAR, month % 12 + 1, 1).timetuple().tm_yday - 1 if month < 12 else 365


def weekdays(text: str, reported_at: datetime | None) -> frozenset[int]:
    """The weekdays a text names (0 = Monday); "today", "yesterday" and "tomorrow" only when
    the report time is known."""
    lowered = text.lower()
    if "day" not in lowered and "tonight" not in lowered and "tomorrow" not in lowered:
        return frozenset()  # every word looked for is one of these or holds "day"
    found = set()
    for match in _RELATIVE.finditer(lowered):
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
