"""The alarm KPI panel on a real model: it follows the alarm stream and exports what it shows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC
from pathlib import Path

from backend_client.city import Limits, Sensor
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState
from views.alarm_kpi_view import AlarmKpiView

S = 1_000_000
T0 = 1_778_572_800 * S  # 2026-05-12T08:00:00Z


def _model() -> ConsoleModel:
    model = ConsoleModel(buffer_capacity=64)
    model.set_catalog(
        (Sensor("S1", "Gas Z01", "tunnel", "CH4", "%LEL", (0, 0, 0), "T1", "A1", Limits()),)
    )
    model.alarms.apply_snapshot(0, [])
    return model


def _raise(alarm_id: str, t: int, level: int = 2) -> AlarmRecord:
    return AlarmRecord(alarm_id, 0, "S1", level, AlarmState.UNACK, True, 30.0, 25.0, t, t)


def test_kpi_panel_counts_raises_acks_chattering_and_flood_from_the_alarm_stream(qtbot, tmp_path):
    model = _model()
    now = [T0 / S]
    view = AlarmKpiView(model, clock=lambda: now[0], tz=UTC)
    qtbot.addWidget(view)
    seq = 0
    for i in range(12):  # twelve raises of one alarm in 2 minutes: a flood and chattering
        seq += 1
        model.alarms.apply_change(AlarmChange(seq, _raise("A1", T0 + i * 10 * S)))
        view.observe()  # once per alarmsChanged
    seq += 1
    acked = replace(_raise("A1", T0 + 110 * S), state=AlarmState.ACKED, ack_us=T0 + 150 * S)
    model.alarms.apply_change(AlarmChange(seq, acked))
    now[0] = (T0 + 300 * S) / S
    report = view.recompute()
    assert report.rate.total == 12 and report.top[0].alarm_id == "A1"
    assert [c.alarm_id for c in report.chattering] == ["A1"]
    assert report.flood_fraction > 0
    assert view.top.item(0, 2).text() == "12"
    assert view.flood.property("band") == "bad"
    assert view.ack_level.item(0, 1).text() == "40 s"
    assert [view.ack_shift.item(r, 0).text() for r in range(3)] == ["08-16", "16-24", "00-08"]
    assert view.ack_shift.item(0, 3).text() == "1"  # raised at 08:01:50 UTC
    saved = view.export_to(tmp_path / "kpis.json")
    assert isinstance(saved, Path)
    doc = json.loads(saved.read_text())
    assert doc["rate"]["total"] == 12 and doc["chattering"][0]["alarm_id"] == "A1"
    assert "KPIs saved" in view.message.text()
