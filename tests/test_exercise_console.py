"""Every seat shows a drill's alarms as EXERCISE: in the queue row and in the alarm details."""

from __future__ import annotations

from dataclasses import replace

from backend_client.protocol import AlarmState
from tests.test_alarm_queue_view import _alarm, _model, _view
from widgets.alarm_details_parts import DetailsHeader
from widgets.alarm_table_model import COLUMNS

MESSAGE = COLUMNS.index("Message")


def test_the_queue_row_of_a_drill_alarm_says_exercise_and_a_real_one_does_not(qtbot) -> None:
    model = _model()
    drill, real = replace(_alarm(0, 1), exercise=True), _alarm(1, 1)
    model.alarms.apply_snapshot(0, [drill, real])
    view = _view(qtbot, model)
    table = view.table_model
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=5_000)
    texts = {table.alarm_at(r).id: table.index(r, MESSAGE).data() for r in range(2)}
    assert texts["S0"].startswith("EXERCISE") and "high" in texts["S0"]
    assert "EXERCISE" not in texts["S1"]


def test_the_details_header_flags_a_drill_alarm_before_its_state(qtbot) -> None:
    header = DetailsHeader()
    qtbot.addWidget(header)
    header.show_alarm(replace(_alarm(0, 2, AlarmState.ACKED), exercise=True), in_book=True)
    assert header.state.text().startswith("EXERCISE · ")
    header.show_alarm(_alarm(0, 2, AlarmState.ACKED), in_book=True)
    assert "EXERCISE" not in header.state.text()
