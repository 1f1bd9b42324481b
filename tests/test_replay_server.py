"""lifeline-replay: a recorded gas leak served over protocol v1 on loopback; two consoles (the
live client and model, unchanged) attached to it see the same alarms and the same values, which
are the recording's; a trainer steers the wall; operator requests are refused or, in training,
kept as training acknowledgements."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest

from backend_client.client import BackendClient, ClientConfig, Identity, RequestError
from backend_client.model.console_model import ConsoleModel
from backend_client.model.replay_clock import ReplayClock
from backend_client.protocol import LinkState
from backend_client.recording.incident_file import export_incident
from backend_client.recording.incidents import IncidentLibrary
from backend_client.recording.reader import RecordingReader
from backend_client.recording.replay import ReplaySource
from backend_client.recording.replay_cli import READY_PREFIX
from backend_client.recording.replay_server import ReplayServer, ReplayServerConfig
from backend_client.recording.store import RecordingStore
from backend_client.recording.training import TrainingLog
from tests.test_incident_export import record_gas_leak, wait_for

CAPACITY = 8192


@pytest.fixture(scope="module")
def leak(tmp_path_factory):
    return record_gas_leak(tmp_path_factory.mktemp("leak") / "a.sqlite")


class Wall:
    """A replay server and the consoles attached to it."""

    def __init__(self, store: RecordingStore, config: ReplayServerConfig) -> None:
        self.server = ReplayServer(store, config=config)
        self.server.start()
        self.consoles: list[tuple[ConsoleModel, BackendClient]] = []

    def attach(
        self,
        user: str,
        role: str,
        interests: tuple[str, ...] = (),
        kind: type[BackendClient] = BackendClient,
    ) -> tuple[ConsoleModel, BackendClient]:
        model = ConsoleModel(CAPACITY)
        cfg = ClientConfig(
            pub=self.server.pub_endpoint, rpc=self.server.rpc_endpoint, interests=interests
        )
        client = kind(model, cfg, Identity(user, role, f"{user}-desk"))
        client.start()
        self.consoles.append((model, client))
        wait_for(lambda: model.link == LinkState.REPLAY, 10, f"{user}'s link")
        return model, client

    def close(self) -> None:
        for _, client in self.consoles:
            client.stop()
        self.server.stop()


@pytest.fixture
def wall(leak):
    store = RecordingStore(leak.db)
    session = TrainingLog(store).start_session("li", None, 0, 2**62)
    config = ReplayServerConfig(speed=4.0, playing=False, training_session=session)
    wall = Wall(store, config)
    yield wall
    wall.close()
    store.close()


def steer(client: BackendClient, **args) -> dict:
    return client.request("replay", args).result(5)


def series(model: ConsoleModel, channel: int, after_us: int) -> tuple:
    s = model.buffers.series(channel)
    keep = s.times_us > after_us
    return s.times_us[keep].tolist(), s.values[keep].view(np.uint32).tolist()


def play_to_the_end(trainer: BackendClient, consoles: list[ConsoleModel]) -> dict:
    steer(trainer, action="play")
    wait_for(lambda: not steer(trainer)["playing"], 15, "the end of the replay")
    return steer(trainer)


def test_two_consoles_on_a_replay_server_see_the_same_alarms_and_values_as_the_recording(
    leak, wall
):
    trainer_model, trainer = wall.attach("zhang", "trainer")
    wall_model, _ = wall.attach("wall-1", "wall")
    start = steer(trainer)["start"]
    end = play_to_the_end(trainer, [trainer_model, wall_model])
    assert end["now"] == end["end"]
    reference = ReplaySource(wall.server.store, ConsoleModel(CAPACITY))
    reference.advance(end["end"])
    book = reference.model.alarms.changes_since(None).alarms
    assert book, "the leak's alarm is raised at the end"
    for model in (trainer_model, wall_model):
        wait_for(lambda m=model: m.alarms.changes_since(None).alarms == book, 5, "the book")
    for channel in (0, leak.leak_channel, leak.fast_channel):
        expected = series(reference.model, channel, start)
        assert expected[0], channel
        for model in (trainer_model, wall_model):
            wait_for(lambda m=model, c=channel, e=expected: series(m, c, start) == e, 5, "series")


def test_a_seat_subscribed_to_one_area_gets_that_areas_share_of_the_replay(leak, wall):
    trainer_model, trainer = wall.attach("zhang", "trainer")
    sensor = trainer_model.sensors[leak.leak_channel]
    area_model, _ = wall.attach("area-desk", "operator", (f"{sensor.domain}/{sensor.area}",))
    start = steer(trainer)["start"]
    play_to_the_end(trainer, [trainer_model, area_model])
    expected = series(trainer_model, leak.leak_channel, start)
    assert expected[0]
    wait_for(lambda: series(area_model, leak.leak_channel, start) == expected, 5, "the series")
    where = (sensor.domain, sensor.area)
    mine = {i for i, s in enumerate(area_model.sensors) if (s.domain, s.area) == where}
    others = [c for c in range(len(area_model.sensors)) if c not in mine]
    assert not any(len(area_model.buffers.series(c).times_us) for c in others[:200])


def test_a_replay_aware_console_draws_the_replay_time_and_starts_afresh_on_a_seek(leak, wall):
    model, trainer = wall.attach("zhang", "trainer")
    state = steer(trainer, action="speed", speed=2)
    assert abs(model.clock() * 1e6 - state["now"]) < 1e3  # from hello, before any play
    steer(trainer, action="play")
    wait_for(lambda: model.clock() * 1e6 > state["start"] + 2_500_000, 10, "replay time moving")
    now = steer(trainer)["now"]
    assert abs(model.clock() * 1e6 - now) < 0.5e6  # heartbeats every 50 ms, at 2x
    steer(trainer, action="pause")
    paused = steer(trainer)["now"]
    wait_for(lambda: abs(model.clock() * 1e6 - paused) < 1e3, 5, "the clock to stop")
    time.sleep(0.3)
    assert abs(model.clock() * 1e6 - paused) < 1e3
    assert (model.buffers.latest().times_us > state["start"]).any()
    back = steer(trainer, action="seek", t=state["start"])
    wait_for(lambda: abs(model.clock() * 1e6 - back["now"]) < 1e3, 5, "the clock back")
    wait_for(lambda: not (model.buffers.latest().times_us > back["now"]).any(), 5, "fresh buffers")


def test_the_trainer_steers_every_console_and_a_wall_seat_may_not(leak, wall):
    trainer_model, trainer = wall.attach("zhang", "trainer")
    wall_model, wall_seat = wall.attach("wall-1", "wall")
    with pytest.raises(RequestError, match="may not steer"):
        wall_seat.request("replay", {"action": "play"}).result(5)
    state = steer(trainer, action="speed", speed=64)
    assert state["speed"] == 64 and not state["playing"]
    with pytest.raises(RequestError, match="64"):
        steer(trainer, action="speed", speed=100)
    raised = RecordingReader(wall.server.store).raise_times(state["start"], state["end"])
    at = steer(trainer, action="step", direction="next")
    assert at["now"] == raised[0]
    expected = RecordingReader(wall.server.store).alarms_at(raised[0])
    for model in (trainer_model, wall_model):
        wait_for(lambda m=model: m.alarms.changes_since(None).alarms == expected, 5, "the book")
    back = steer(trainer, action="seek", t=state["start"])
    assert back["now"] == state["start"] and back["instance"] != state["instance"]
    for model in (trainer_model, wall_model):  # a seek is a new instance: both handshake again
        wait_for(lambda m=model: m.alarms.changes_since(None).alarms == {}, 5, "the empty book")
        wait_for(lambda m=model: m.link == LinkState.REPLAY, 5, "the link again")


def test_history_is_served_from_the_recording_up_to_the_replay_time(leak, wall):
    _, trainer = wall.attach("zhang", "trainer")
    state = steer(trainer, action="seek", t=steer(trainer)["start"] + 3_000_000)
    got = trainer.history([leak.leak_channel], state["start"], state["end"] + 1).result(5)
    times = np.frombuffer(got["samples"]["ts"], "<i8")
    assert times.size and times.max() <= state["now"] and times.min() >= state["start"]
    reader = RecordingReader(wall.server.store)
    expected = reader.samples([leak.leak_channel], state["start"], state["now"] + 1)
    assert times.tolist() == expected.times_us.tolist()


def test_operator_requests_are_refused_and_acks_become_training_acks(leak, wall):
    model, operator = wall.attach("li", "operator")
    _, trainer = wall.attach("zhang", "trainer")
    raised = RecordingReader(wall.server.store).raise_times(0, 2**62)
    steer(trainer, action="seek", t=raised[0] + 500_000)
    wait_for(lambda: bool(model.alarms.active()), 5, "the raised alarm")
    alarm = model.alarms.active()[0]
    actions = RecordingReader(wall.server.store).actions(0, 2**62)
    result = operator.acknowledge(alarm.id, "seen").result(5)
    assert result["training"] is True and result["alarm"]["state"] == str(alarm.state)
    log = TrainingLog(wall.server.store)
    (ack,) = log.acks(wall.server.config.training_session)
    assert (ack.alarm_id, ack.user, ack.replay_us, ack.comment) == (
        alarm.id,
        "li",
        raised[0] + 500_000,
        "seen",
    )
    assert RecordingReader(wall.server.store).actions(0, 2**62) == actions
    assert model.alarms.get(alarm.id) == alarm  # the replayed book is never changed
    for call in (
        lambda: operator.shelve(alarm.id, 10, "noise"),
        lambda: operator.verify(alarm.id, True),
        lambda: operator.start_scenario("gas-leak"),
    ):
        with pytest.raises(RequestError, match="replay: read only"):
            call().result(5)


def test_without_training_an_ack_is_refused_as_read_only(leak):
    store = RecordingStore(leak.db)
    wall = Wall(store, ReplayServerConfig(playing=False))
    try:
        _, operator = wall.attach("li", "operator")
        with pytest.raises(RequestError, match="replay: read only"):
            operator.acknowledge("anything", "seen").result(5)
    finally:
        wall.close()
        store.close()


def test_lifeline_replay_serves_a_range_and_says_where(leak):
    reader_store = RecordingStore(leak.db)
    lo, hi = RecordingReader(reader_store).time_span()
    reader_store.close()
    cmd = [
        sys.executable,
        "-m",
        "backend_client.recording.replay_cli",
        str(leak.db),
        "--pub",
        "tcp://127.0.0.1:*",
        "--router",
        "tcp://127.0.0.1:*",
        "--paused",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith(READY_PREFIX), proc.stderr.read() if proc.poll() else line
        ready = json.loads(line[len(READY_PREFIX) :])
        assert (ready["start"], ready["end"]) == (lo, hi)
        model = ConsoleModel(CAPACITY)
        client = BackendClient(model, ClientConfig(pub=ready["pub"], rpc=ready["rpc"]))
        client.start()
        try:
            wait_for(lambda: model.link == LinkState.REPLAY, 10, "the link")
            assert model.backend_name.startswith("lifeline-replay")
            wait_for(lambda: model.city is not None, 5, "the recorded city")
        finally:
            client.stop()
    finally:
        proc.terminate()
        assert proc.wait(10) == 0


def test_lifeline_replay_of_an_incident_file_serves_that_incident_for_training(leak, tmp_path):
    store = RecordingStore(leak.db)
    try:
        lo, hi = RecordingReader(store).time_span()
        mark = IncidentLibrary(store).bookmark("drill", "", lo + 1_000_000, hi - 1_000_000)
        path = export_incident(store, mark.id, tmp_path / "drill.lifeline-incident").path
    finally:
        store.close()
    cmd = [
        sys.executable,
        "-m",
        "backend_client.recording.replay_cli",
        str(path),
        "--paused",
        "--pub",
        "tcp://127.0.0.1:*",
        "--router",
        "tcp://127.0.0.1:*",
        "--trainee",
        "li",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith(READY_PREFIX), proc.stderr.read() if proc.poll() else line
        ready = json.loads(line[len(READY_PREFIX) :])
        assert (ready["start"], ready["end"]) == (mark.start_us, mark.end_us)
        assert ready["training_session"] is not None
    finally:
        proc.terminate()
        assert proc.wait(10) == 0
    copy = RecordingStore(path)
    try:
        session = TrainingLog(copy).session(ready["training_session"])
        assert (session.trainee, session.t0_us, session.t1_us) == ("li", mark.start_us, mark.end_us)
    finally:
        copy.close()


def test_lifeline_replay_names_an_unknown_incident(leak):
    cmd = [sys.executable, "-m", "backend_client.recording.replay_cli", str(leak.db)]
    done = subprocess.run([*cmd, "--incident", "999"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no incident 999" in done.stderr


def test_the_replay_clock_moves_at_the_pace_heartbeats_show_and_stops_when_they_do():
    wall = [100.0]
    clock = ReplayClock(lambda: wall[0])
    assert clock() == 0.0
    clock.reset(5_000_000)
    assert clock() == 5.0 and clock.pace == 0.0
    clock.heartbeat(5_000_000, 50)
    wall[0] += 0.05
    clock.heartbeat(8_200_000, 50)  # 3.2 s of replay in 50 ms: 64x
    assert clock.pace == pytest.approx(64)
    wall[0] += 0.025
    assert clock() == pytest.approx(9.8)
    wall[0] += 10
    assert clock() == pytest.approx(8.2 + 64 * 0.1)  # never more than two periods ahead
    clock.heartbeat(8_200_000, 50)  # paused
    wall[0] += 1
    assert clock() == pytest.approx(8.2)
