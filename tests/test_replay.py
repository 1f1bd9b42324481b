"""Replay of a real simulator recording: at replay time t the model holds what the live console
held at t (alarm book and plotted series), whether reached by seeking, advancing or playing."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pytest

from backend_client.city import city_to_dict, demo_city_path, load_city
from backend_client.client import ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from backend_client.model.ring_buffer import Series
from backend_client.protocol import AlarmRecord, AlarmState, Heartbeat, LinkState
from backend_client.recording.config import RecordingConfig
from backend_client.recording.reader import RecordingReader
from backend_client.recording.replay import ReplaySource
from backend_client.recording.store import RecordingStore
from backend_client.recording.tap import RecordingClient, RecordingModel
from backend_client.recording.writer import RecordingWriter
from simulator.server import SimServer

CAPACITY = 8192
RECORD_S = 9.0


@dataclass(frozen=True)
class Held:
    """What the live console held when the heartbeat of tick time t arrived."""

    t_us: int
    alarms: dict[str, AlarmRecord]
    series: dict[int, Series]


class CapturingClient(RecordingClient):
    """Snapshots the live model at each heartbeat: the tick's samples (times <= the tick's time)
    and alarm changes are in, the next tick's are not, so the state is exactly the state at t."""

    watch: tuple[int, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held: list[Held] = []

    def _on_heartbeat(self, beat: Heartbeat) -> None:
        super()._on_heartbeat(beat)
        m = self.model
        if self.watch and m.alarms.synced and m.link == LinkState.LIVE:
            book = m.alarms.changes_since(None).alarms
            series = {ch: m.buffers.series(ch) for ch in self.watch}
            self.held.append(Held(beat.time_us, book, series))


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@dataclass(frozen=True)
class Recorded:
    db: str
    city: dict
    held: list[Held]
    watch: tuple[int, ...]
    leak_channel: int


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Recorded:
    """A gas leak recorded for about RECORD_S seconds, with what the live console held."""
    db = tmp_path_factory.mktemp("replay") / "rec.sqlite"
    server = SimServer(load_city(demo_city_path()), seed=11)
    server.start()
    store = RecordingStore(db)
    writer = RecordingWriter(store, RecordingConfig(max_chunk_age_s=1.0))
    writer.start()
    model = RecordingModel(writer, buffer_capacity=CAPACITY)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = CapturingClient(model, config, Identity("lin", "supervisor", "desk1"))
    client.start()
    try:
        wait_for(lambda: model.link == LinkState.LIVE, 10, "the link")
        fast = next(i for i, s in enumerate(model.sensors) if s.rate_hz >= 10)
        server.schedule_scenario("gas-leak")
        began = time.monotonic()
        client.watch = (0, 1, fast, len(model.sensors) - 1)  # the leak's channel added below
        wait_for(lambda: bool(model.alarms.active()), 30, "a gas alarm")
        raised = model.alarms.active()[0]
        client.watch = (*client.watch, raised.channel)
        client.acknowledge(raised.id, "checked on CCTV").result(5)
        wait_for(lambda: time.monotonic() - began >= RECORD_S, 30, "the recording's length")
    finally:
        client.stop()
        writer.stop()
        server.stop()
    store.close()
    assert writer.stats.shed_samples == 0 and writer.stats.failed_commits == 0
    held = [h for h in client.held if raised.channel in h.series]
    assert len(held) >= 3
    return Recorded(str(db), city_to_dict(server.city), held, client.watch, raised.channel)


@pytest.fixture
def replay(recorded):
    store = RecordingStore(recorded.db)
    model = ConsoleModel(buffer_capacity=CAPACITY)
    yield ReplaySource(store, model)
    store.close()


def assert_holds(model: ConsoleModel, held: Held) -> None:
    assert model.alarms.changes_since(None).alarms == held.alarms, held.t_us
    for ch, live in held.series.items():
        got = model.buffers.series(ch)
        assert np.array_equal(got.times_us, live.times_us), (held.t_us, ch)
        assert np.array_equal(got.values.view(np.uint32), live.values.view(np.uint32))
        assert np.array_equal(got.quality, live.quality), (held.t_us, ch)


def test_seeking_to_t_shows_the_alarm_book_and_series_the_live_console_held_at_t(recorded, replay):
    assert any(h.alarms for h in recorded.held)  # the leak's alarm is in some of them
    assert any(len(h.series[recorded.leak_channel].times_us) for h in recorded.held)
    for held in reversed(recorded.held):  # backwards: every seek rebuilds from scratch
        assert replay.seek(held.t_us) == held.t_us
        assert_holds(replay.model, held)


def test_advancing_from_the_start_passes_through_what_the_live_console_held(recorded, replay):
    replay.seek(replay.start_us)
    for held in recorded.held:
        assert replay.advance(held.t_us) == held.t_us
        assert_holds(replay.model, held)


def test_an_acknowledgement_replays_as_it_happened(recorded, replay):
    acked = [
        h for h in recorded.held if any(a.state == AlarmState.ACKED for a in h.alarms.values())
    ]
    assert acked, "the ack reached the live book before the last heartbeat held"
    replay.seek(acked[0].t_us)
    assert any(a.state == AlarmState.ACKED for a in replay.model.alarms.active())


def test_seeking_back_then_forward_gives_the_state_playing_reached(recorded, replay):
    first, last = recorded.held[0], recorded.held[-1]
    replay.seek(last.t_us)
    replay.seek(first.t_us)
    assert_holds(replay.model, first)
    replay.advance(last.t_us)
    assert_holds(replay.model, last)
    replay.advance(first.t_us)  # backwards: a seek
    assert replay.now_us == first.t_us
    assert_holds(replay.model, first)


def test_the_play_clock_moves_recorded_time_by_wall_time_times_speed(recorded, replay):
    start = replay.start_us
    replay.seek(start)
    assert replay.tick(1.0) == start  # paused: nothing moves
    replay.play()
    replay.set_speed(4)
    assert replay.tick(0.5) == start + 2_000_000
    replay.set_speed(0.25)
    assert replay.tick(2.0) == start + 2_500_000
    for bad in (0.1, 65, 0):
        with pytest.raises(ValueError):
            replay.set_speed(bad)
    replay.set_speed(64)
    assert replay.tick(10.0) == replay.end_us and not replay.playing  # stops at the end
    replay.loop = True
    replay.play()
    assert replay.tick(10.0) == start and replay.playing  # starts over


def test_playing_at_speed_reaches_the_same_state_as_seeking(recorded, replay):
    target = recorded.held[-1]
    replay.seek(replay.start_us)
    replay.play()
    replay.set_speed(8)
    while replay.now_us < target.t_us:  # 30 frames a second of wall time
        replay.advance(min(target.t_us, replay.now_us + round(8e6 / 30)))
    assert_holds(replay.model, target)


def test_stepping_goes_to_the_recorded_alarm_raises(recorded, replay):
    raises = replay.raise_times()
    assert raises and all(replay.start_us <= t <= replay.end_us for t in raises)
    replay.seek(replay.start_us)
    at = replay.step_next_alarm()
    assert at == raises[0]
    assert any(a.raised_us == at for a in replay.model.alarms.changes_since(None).alarms.values())
    replay.seek(replay.end_us)
    assert replay.step_previous_alarm() == raises[-1]
    replay.seek(raises[0])
    assert replay.step_previous_alarm() is None and replay.now_us == raises[0]


def test_replay_loads_the_recorded_catalog_and_city_and_shows_replay_as_the_link(recorded, replay):
    model = replay.model
    assert model.link == LinkState.REPLAY
    assert model.city is not None and city_to_dict(model.city) == recorded.city
    assert [s.id for s in model.sensors] == [s["id"] for s in recorded.city["sensors"]]
    store = RecordingStore(recorded.db)
    try:
        reader = RecordingReader(store)
        city = reader.city_at(0)  # before the first: the first recorded
        assert city is not None and city_to_dict(city) == recorded.city
    finally:
        store.close()
