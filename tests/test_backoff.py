from datetime import UTC, datetime, timedelta

from news.backoff import next_check_at

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def delay(poll: float, failures: int, retry_after: float | None = None) -> float:
    return (next_check_at(NOW, poll, failures, retry_after) - NOW).total_seconds()


def test_success_waits_one_poll_interval() -> None:
    assert delay(300, 0) == 300


def test_failures_double_the_wait_up_to_24_intervals() -> None:
    assert [delay(300, n) for n in range(1, 7)] == [600, 1200, 2400, 4800, 7200, 7200]


def test_long_poll_intervals_are_capped_at_six_hours() -> None:
    assert delay(3600, 10) == 6 * 3600


def test_poll_longer_than_the_cap_is_never_shortened() -> None:
    assert delay(12 * 3600, 3) == 12 * 3600


def test_a_huge_failure_count_does_not_overflow() -> None:
    assert delay(300, 10_000) == 7200


def test_retry_after_is_a_floor() -> None:
    assert delay(300, 1, retry_after=3600) == 3600
    assert delay(300, 3, retry_after=10) == 2400


def test_retry_after_is_capped_at_a_day() -> None:
    assert delay(300, 1, retry_after=10**9) == 24 * 3600


def test_result_is_aware_utc() -> None:
    assert next_check_at(NOW, 60, 0) == NOW + timedelta(seconds=60)
