"""The replay timeline: markers by level (colour and shape), the density strip, the playhead, and
seeks asked for at the time under the pointer. The pure helpers need no QApplication."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from backend_client.model.replay_timeline import (
    AlarmMark,
    density,
    duration_text,
    nice_ticks,
    parse_time,
    time_at,
    x_of,
)
from backend_client.protocol import LEVEL_COLOURS
from widgets.replay_timeline import ReplayTimeline

T0 = 1_700_000_000_000_000
SPAN = 600_000_000  # ten minutes


# --- pure -------------------------------------------------------------------------------------


def test_density_counts_raises_per_equal_bin_with_the_end_in_the_last():
    times = [T0, T0 + 1, T0 + SPAN // 2, T0 + SPAN]
    assert density(times, T0, T0 + SPAN, 4).tolist() == [2, 0, 1, 1]
    assert density([], T0, T0 + SPAN, 3).tolist() == [0, 0, 0]
    assert density([T0 - 1, T0 + SPAN + 1], T0, T0 + SPAN, 2).tolist() == [0, 0]


def test_pixels_and_times_map_both_ways_and_clamp_to_the_range():
    for t in (T0, T0 + 123_456_789, T0 + SPAN):
        assert abs(time_at(x_of(t, 800, T0, T0 + SPAN), 800, T0, T0 + SPAN) - t) <= 1
    assert time_at(-50, 800, T0, T0 + SPAN) == T0
    assert time_at(900, 800, T0, T0 + SPAN) == T0 + SPAN


def test_tick_labels_fall_on_round_times_and_never_crowd():
    ticks = nice_ticks(T0 + 1, T0 + SPAN, 12)
    assert 1 < len(ticks) <= 12
    steps = set(np.diff(ticks).tolist())
    assert len(steps) == 1 and steps.pop() % 60_000_000 == 0  # ten minutes: whole minutes


def test_texts_for_durations_and_command_line_times():
    assert duration_text(42_000_000) == "42 s"
    assert duration_text(185_000_000) == "3 min 05 s"
    assert duration_text(7_620_000_000) == "2 h 07 min"
    assert parse_time("2023-11-14T22:13:20+00:00") == T0
    assert parse_time("2023-11-14T22:13:20") == T0  # no zone: UTC, as lifeline-replay reads it
    assert parse_time("2023-11-15T06:13:20+08:00") == T0
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_time("yesterday")


# --- the widget -------------------------------------------------------------------------------


MARKS = [
    AlarmMark(T0 + 100_000_000, 1, "A/1"),
    AlarmMark(T0 + 300_000_000, 2, "A/2"),
    AlarmMark(T0 + 450_000_000, 3, "A/3"),
    AlarmMark(T0 + 500_000_000, 4, "A/4"),
]


@pytest.fixture
def timeline(qtbot):
    widget = ReplayTimeline()
    qtbot.addWidget(widget)
    widget.resize(820, 60)
    widget.set_range(T0, T0 + SPAN, MARKS)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def near_colour(image: QImage, x: float, y_range: range, colour: str, tol: int = 40) -> bool:
    """Any pixel within 3 px of column x, in the rows given, within tol of the colour."""
    want = QColor(colour)
    for dx in range(-3, 4):
        for y in y_range:
            c = image.pixelColor(round(x) + dx, y)
            diffs = (c.red() - want.red(), c.green() - want.green(), c.blue() - want.blue())
            if sum(abs(d) for d in diffs) < tol:
                return True
    return False


def test_each_marker_is_drawn_at_its_time_in_its_level_colour(timeline):
    image = timeline.grab().toImage()
    rows = range(2, 26)
    for mark in MARKS:
        x = timeline.x_at(mark.time_us)
        assert near_colour(image, x, rows, LEVEL_COLOURS[mark.level]), mark
    empty_x = timeline.x_at(T0 + 200_000_000)
    assert not any(near_colour(image, empty_x, rows, c) for c in LEVEL_COLOURS.values())


def test_markers_differ_by_shape_as_well_as_colour(timeline):
    from widgets.replay_timeline import marker_path

    areas = {}
    for level in (1, 2, 3, 4):
        rect = marker_path(level, 0, 0, 10).boundingRect()
        path = marker_path(level, 0, 0, 10)
        inside = sum(path.contains(QPoint(x, y)) for x in range(-10, 11) for y in range(-10, 11))
        areas[level] = (round(rect.width()), inside)
    assert len(set(areas.values())) == 4  # triangle, diamond, square and circle all differ


def test_density_strip_counts_the_markers(timeline):
    counts = timeline.density_counts()
    assert sum(counts) == len(MARKS)
    assert sum(1 for c in counts if c) == len(MARKS)  # four distinct bins at this width


def test_a_click_asks_to_seek_to_the_time_under_the_pointer(timeline, qtbot):
    x = round(timeline.x_at(T0 + SPAN // 4))
    with qtbot.waitSignal(timeline.positionPicked) as picked:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, 30))
    assert abs(picked.args[0] - (T0 + SPAN // 4)) <= SPAN / timeline.track_width()
    assert picked.args[0] == timeline.time_at_x(x)


def test_dragging_asks_for_each_position_then_the_release(timeline, qtbot):
    seen: list[int] = []
    timeline.positionDragged.connect(seen.append)
    start, end = round(timeline.x_at(T0 + SPAN // 10)), round(timeline.x_at(T0 + SPAN // 2))
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(start, 30))
    for x in range(start, end + 1, 40):
        qtbot.mouseMove(timeline, QPoint(x, 30))
    with qtbot.waitSignal(timeline.dragFinished) as released:
        qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(end, 30))
    assert seen and seen == sorted(seen)
    assert released.args[0] == timeline.time_at_x(end)
    assert not timeline.dragging


def test_the_playhead_moves_only_when_told(timeline):
    timeline.set_position(T0 + SPAN // 2)
    assert timeline.playhead_x() == pytest.approx(timeline.x_at(T0 + SPAN // 2))
    image = timeline.grab().toImage()
    assert near_colour(image, timeline.playhead_x(), range(30, 40), "#ffffff")


def test_hovering_names_the_time_and_a_nearby_alarm(timeline):
    text = timeline.hover_text(timeline.x_at(MARKS[0].time_us))
    assert "A/1" in text and "▲ I" in text
    assert "A/" not in timeline.hover_text(timeline.x_at(T0 + 200_000_000))
