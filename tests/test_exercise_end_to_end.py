"""Drill alarms carry the EXERCISE mark end to end: backend, wire, console model, recording, replay.

A real SimServer on loopback runs a scenario file whose methane release raises an alarm within a
second (a strong release, time compressed); the console side is a real BackendClient feeding a
ConsoleModel, recording into SQLite, and a ReplaySource reading the recording back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend_client.city import city_from_dict, demo_city_path, load_city
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import LinkState
from backend_client.recording.config import RecordingConfig
from backend_client.recording.replay import ReplaySource
from backend_client.recording.store import RecordingStore
from backend_client.recording.tap import RecordingClient, RecordingModel
from backend_client.recording.writer import RecordingWriter
from simulator.scenario_file import scenario_from_dict
from simulator.server import SimServer
from tests.scripted_backend import wait_for

SOURCE, NEIGHBOUR = "T1/GAS/Z01/CH4/01", "T1/GAS/Z02/CH4/01"


def _detector(ident: str, zone: str) -> dict[str, Any]:
    return {
        "id": ident, "name": ident, "domain": "tunnel", "type": "CH4", "unit": "%LEL",
        "position": [150, 104.4, -2.8], "asset": "T1", "compartment": "T1/GAS", "zone": zone,
        "limits": {"high": [25, 20, 10, 5], "deadband": 1.0},
    }  # fmt: skip


CITY = {
    "format": "lifeline-city/1",
    "name": "Drill test",
    "tunnels": [
        {
            "id": "T1", "name": "Main St tunnel", "centreline": [[50, 100, -6], [450, 100, -6]],
            "width": 11.0, "height": 3.7,
            "compartments": [{"id": "T1/GAS", "kind": "gas", "x0": 0.0, "x1": 2.2}],
            "fire_zones": [
                {"id": "T1/Z01", "start": 0, "end": 200}, {"id": "T1/Z02", "start": 200, "end": 400}
            ],
        }
    ],
    "sensors": [_detector(SOURCE, "T1/Z01"), _detector(NEIGHBOUR, "T1/Z02")],
}  # fmt: skip


def _release(exercise: bool) -> dict[str, Any]:
    return {
        "format": "lifeline-scenario/1",
        "name": "flash-release",
        "seed": 1,
        "exercise": exercise,
        "duration_s": 60,
        "time_scale": 20,
        "events": [
            {"at_s": 0, "kind": "gas_release", "tunnel": "T1", "zone": "T1/Z01", "rate_m3s": 3.0}
        ],
    }


@pytest.fixture
def server() -> Iterator[SimServer]:
    srv = SimServer(city_from_dict(CITY))
    srv.start()
    yield srv
    srv.stop()


def test_a_drill_alarm_is_marked_exercise_on_the_seat_and_in_the_recording_and_replay(
    server: SimServer, tmp_path: Path
) -> None:
    store = RecordingStore(tmp_path / "drill.sqlite")
    writer = RecordingWriter(store, RecordingConfig(max_chunk_age_s=0.5))
    writer.start()
    model = RecordingModel(writer, buffer_capacity=1024)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = RecordingClient(model, config, Identity("trainer-1", "trainer", "desk-3"))
    client.start()
    try:
        assert wait_for(lambda: model.link == LinkState.LIVE, 10)
        server.schedule_scenario_file(scenario_from_dict(_release(True), "flash.json"))
        assert wait_for(lambda: model.alarms.get(SOURCE) is not None, 10), "no drill alarm"
        live = model.alarms.get(SOURCE)
        assert live.exercise and live.active
        raised_us = live.raised_us
        time.sleep(1.0)  # let the writer commit the alarm change
    finally:
        client.stop()
        writer.stop()
    replayed = ConsoleModel(buffer_capacity=1024)
    ReplaySource(store, replayed).seek(raised_us + 1)
    assert replayed.alarms.get(SOURCE) is not None
    assert replayed.alarms.get(SOURCE).exercise, "the mark survives recording and replay"
    store.close()


def test_the_same_release_not_run_as_a_drill_raises_an_unmarked_alarm(server: SimServer) -> None:
    model = ConsoleModel(buffer_capacity=1024)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = BackendClient(model, config, Identity("li.wei", "operator", "desk-1"))
    client.start()
    try:
        assert wait_for(lambda: model.link == LinkState.LIVE, 10)
        server.schedule_scenario_file(scenario_from_dict(_release(False), "real.json"))
        assert wait_for(lambda: model.alarms.get(SOURCE) is not None, 10), "no alarm"
        assert model.alarms.get(SOURCE).exercise is False
    finally:
        client.stop()


def test_a_library_file_started_by_request_runs_as_a_drill_on_the_demo_city() -> None:
    with SimServer(load_city(demo_city_path())) as srv:
        srv.start()
        model = ConsoleModel(buffer_capacity=256)
        config = ClientConfig(pub=srv.pub_endpoint, rpc=srv.rpc_endpoint)
        client = BackendClient(model, config, Identity("coach", "trainer", "desk-2"))
        client.start()
        try:
            assert wait_for(lambda: model.link == LinkState.LIVE, 10)
            listed = client.request("scenarios").result(5)["scenarios"]
            drill = next(s for s in listed if s["name"] == "tunnel-gas-drill")
            assert drill["file"] and drill["exercise"]
            started = client.request("scenario", {"name": "tunnel-gas-drill", "params": {}}).result(
                5
            )
            assert started["exercise"] and "preparing" in started["summary"]
            assert wait_for(lambda: bool(srv.scenarios.active), 10), "the runs start"
            assert all(a.exercise for a in srv.scenarios.active)
        finally:
            client.stop()
