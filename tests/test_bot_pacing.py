"""The pacing windows, on a test clock (no sleeping)."""

from __future__ import annotations

from handlers.pacing import SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_caps_any_window() -> None:
    clock = Clock()
    window = SlidingWindow(5, 5.0, clock=clock)
    for _ in range(5):
        assert window.delay() == 0
        window.record(0.0)
    assert window.delay() == 5.0
    clock.now += 4.9
    assert round(window.delay(), 6) == 0.1
    clock.now += 0.1
    assert window.delay() == 0


def test_starts_before_a_restart_count() -> None:
    clock = Clock()
    window = SlidingWindow(2, 5.0, clock=clock)
    window.record(4.0)
    window.record(1.0)
    assert round(window.delay(), 6) == 1.0


def test_even_spacing_never_exceeds_the_limit_in_any_second() -> None:
    clock = Clock()
    window = SlidingWindow(48, 1.0, clock=clock, min_gap_seconds=1 / 48)
    starts = []
    for _ in range(200):
        while (wait := window.try_start()) > 0:
            clock.now += wait + 0.003  # a late wake-up
        starts.append(clock.now)
    for index, start in enumerate(starts):
        assert sum(1 for s in starts[index:] if s < start + 1.0) <= 48
    assert starts[-1] - starts[0] < 200 / 48 + 0.2, "late wake-ups do not slow the pace"
