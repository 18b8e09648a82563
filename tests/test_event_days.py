"""news.event_days: the day a story names, and when two stories' days disagree."""

from __future__ import annotations

from datetime import UTC, datetime

from news.event_days import calendar_days, days_disagree, weekdays

WEDNESDAY = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)
NONE: frozenset[int] = frozenset()


def test_calendar_dates_in_either_order_are_the_same_day() -> None:
    assert calendar_days("talks on March 18") == calendar_days("talks on 18th March")
    assert calendar_days("Dec. 2 meeting") == calendar_days("2 December meeting")
    assert len(calendar_days("between May 15 and May 16, not June 2")) == 3


def test_numbers_that_are_not_dates_are_left_alone() -> None:
    assert calendar_days("a 30-day truce, 1,000 prisoners, 2025") == NONE
    assert calendar_days("may 2025 bring peace") == NONE
    assert calendar_days("in May 1,000 soldiers") == NONE
    assert calendar_days("on March 18 2025") == calendar_days("March 18, 2025")


def test_weekdays_and_relative_days_resolved_against_the_report() -> None:
    assert weekdays("talks ended on Tuesday", None) == {1}
    assert weekdays("talks ended yesterday", WEDNESDAY) == {1}
    assert weekdays("talks ended yesterday", None) == NONE
    assert weekdays("Talks resume TOMORROW", WEDNESDAY) == {3}


def test_days_within_one_day_agree() -> None:
    march_18, march_19 = calendar_days("March 18"), calendar_days("March 19")
    assert not days_disagree(march_18, NONE, march_19, NONE)
    assert not days_disagree(calendar_days("Dec 31"), NONE, calendar_days("Jan 1"), NONE)
    assert not days_disagree(NONE, frozenset({6}), NONE, frozenset({0}))  # Sunday, Monday


def test_days_further_apart_disagree() -> None:
    assert days_disagree(calendar_days("March 13"), NONE, calendar_days("March 18"), NONE)
    assert days_disagree(NONE, frozenset({1}), NONE, frozenset({3}))


def test_undated_stories_never_disagree() -> None:
    assert not days_disagree(NONE, NONE, calendar_days("March 13"), frozenset({1}))
    # a calendar date and a weekday are not compared with each other
    assert not days_disagree(calendar_days("March 13"), NONE, NONE, frozenset({1}))
