"""The console model derives per-sensor display codes without Qt, vectorised."""

import time

import numpy as np

from backend_client.city import Sensor
from backend_client.model.console_model import (
    CODE_BAD_QUALITY,
    CODE_NORMAL,
    CODE_OFFLINE,
    ConsoleModel,
)
from backend_client.protocol import AlarmRecord, AlarmState, Quality, TelemetryBatch


def _sensors(n):
    return tuple(
        Sensor(f"S{i}", f"Sensor {i}", "gas", "pressure", "kPa", (0, 0, 0), "P1", "A")
        for i in range(n)
    )


def _batch(channels, quality):
    now = int(time.time() * 1e6)
    n = len(channels)
    return TelemetryBatch(
        "gas",
        1,
        np.asarray(channels, np.uint32),
        np.full(n, now, np.int64),
        np.ones(n, np.float32),
        np.asarray(quality, np.uint8),
    )


def test_sensor_codes_show_alarm_level_bad_quality_and_offline():
    model = ConsoleModel(buffer_capacity=16)
    model.set_catalog(_sensors(4))
    model.ingest(_batch([0, 1, 2], [Quality.GOOD, Quality.GOOD, Quality.FAULT]))
    now = int(time.time() * 1e6)
    model.alarms.apply_snapshot(
        1, [AlarmRecord("S1", 1, "S1", 2, AlarmState.UNACK, True, 9.0, 5.0, now, now)]
    )
    codes, blink = model.sensor_codes()
    assert codes.tolist() == [CODE_NORMAL, 2, CODE_BAD_QUALITY, CODE_OFFLINE]
    assert blink.tolist() == [False, True, False, False]


def test_acknowledged_alarm_keeps_its_colour_but_stops_blinking():
    model = ConsoleModel(buffer_capacity=16)
    model.set_catalog(_sensors(2))
    model.ingest(_batch([0, 1], [0, 0]))
    now = int(time.time() * 1e6)
    model.alarms.apply_snapshot(
        1, [AlarmRecord("S0", 0, "S0", 1, AlarmState.ACKED, True, 9.0, 5.0, now, now)]
    )
    codes, blink = model.sensor_codes()
    assert codes[0] == 1 and not blink[0]


def test_selection_is_validated_and_versioned():
    model = ConsoleModel()
    model.set_catalog(_sensors(3))
    version = model.selection_version
    model.select(2)
    assert model.selected == 2 and model.selection_version == version + 1
    try:
        model.select(5)
    except IndexError as exc:
        assert "no channel 5" in str(exc)
    else:
        raise AssertionError("selecting a missing channel must fail")


def test_a_new_catalog_resets_the_buffers():
    model = ConsoleModel(buffer_capacity=16)
    model.set_catalog(_sensors(2))
    model.ingest(_batch([0, 1], [0, 0]))
    model.set_catalog(_sensors(5))
    assert model.buffers.n_channels == 5
    assert model.buffers.counts().sum() == 0
