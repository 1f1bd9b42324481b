"""History backfill: fetched spans merge with the live buffer once, without duplicates."""

import itertools
import os
import socket
import time
from concurrent.futures import Future

import numpy as np
import pytest

from backend_client.city import demo_city_path, load_city
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.codec import pack_samples
from backend_client.model.backfill import BackfillCache
from backend_client.model.console_model import ConsoleModel
from backend_client.model.ring_buffer import Series
from backend_client.protocol import LinkState

S = 1_000_000


def _series(t0_s, t1_s, step_s=1):
    times = np.arange(t0_s, t1_s, step_s, dtype=np.int64) * S
    return Series(times, times.astype(np.float32) / S, np.zeros(times.size, np.uint8))


def test_missing_span_is_asked_for_once_while_pending_and_after_it_arrives():
    cache = BackfillCache()
    assert cache.missing(0, 0, 100 * S) == [(0, 100 * S)]
    cache.mark_requested(0, 0, 100 * S)
    assert cache.missing(0, 0, 100 * S) == []
    old = _series(0, 100)
    cache.add(0, old.times_us, old.values, old.quality)
    assert cache.missing(0, 0, 100 * S) == []
    assert cache.missing(0, -50 * S, 100 * S) == [(-50 * S, 0)]


def test_only_the_uncovered_parts_of_a_wider_window_are_missing():
    cache = BackfillCache()
    cache.mark_requested(0, 100 * S, 200 * S)
    assert cache.missing(0, 0, 300 * S) == [(0, 100 * S), (200 * S, 300 * S)]
    assert cache.missing(1, 0, 300 * S) == [(0, 300 * S)]  # per channel


def test_a_failed_request_can_be_asked_again():
    cache = BackfillCache()
    cache.mark_requested(0, 0, 100 * S)
    cache.forget_request(0, 0, 100 * S)
    assert cache.missing(0, 0, 100 * S) == [(0, 100 * S)]


def test_merge_puts_history_before_live_and_never_duplicates_a_time():
    cache = BackfillCache()
    fetched = _series(0, 120)  # overlaps the live buffer's 100..149
    cache.add(0, fetched.times_us, fetched.values, fetched.quality)
    cache.add(0, fetched.times_us, fetched.values, fetched.quality)  # same span twice
    live = _series(100, 150)
    merged = cache.merged(0, live)
    assert merged.times_us.size == 150
    assert np.all(np.diff(merged.times_us) > 0)
    assert merged.times_us[0] == 0 and merged.times_us[-1] == 149 * S


def test_merge_without_history_is_the_live_series():
    cache = BackfillCache()
    live = _series(100, 150)
    assert cache.merged(0, live) is live


def test_memory_is_bounded_and_what_was_dropped_is_not_fetched_again():
    cache = BackfillCache(max_samples_per_channel=50)
    cache.mark_requested(0, 0, 100 * S)
    fetched = _series(0, 100)
    cache.add(0, fetched.times_us, fetched.values, fetched.quality)
    held = cache.held(0)
    assert held.times_us.size == 50 and held.times_us[0] == 50 * S  # newest kept
    assert cache.missing(0, 0, 100 * S) == []


def test_plot_feed_requests_history_once_and_draws_it_with_live_data(qtbot):
    from tests.test_plot_panel import model_with

    model = model_with(["%LEL"])
    now = time.time()
    times = (np.arange(now - 20, now, 1.0) * S).astype(np.int64)
    model.buffers.append(np.zeros(times.size), times, np.ones(times.size), np.zeros(times.size))
    calls = []

    def history(channels, t0, t1):
        calls.append((channels, t0, t1))
        t = np.arange(t0, t1, 5 * S, dtype=np.int64)
        future = Future()
        future.set_result(
            {"samples": pack_samples(np.zeros(t.size), t, np.full(t.size, 2.0), np.zeros(t.size))}
        )
        return future

    from views.plots_view import PlotsView

    view = PlotsView(model, 600.0, history=history)
    qtbot.addWidget(view)
    view.show_channel(0)
    assert len(calls) == 1 and calls[0][0] == [0]
    assert calls[0][1] == pytest.approx((now - 600) * S, abs=2 * S)
    assert calls[0][2] == times[0]
    view.refresh()
    view.refresh()
    assert len(calls) == 1, "the same span was asked for again"
    seconds, _values = view.plot.samples(0)
    assert seconds.size > times.size and np.all(np.diff(seconds) > 0)
    assert seconds[0] == pytest.approx(now - 600, abs=6)


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs the X server (with-xvfb.sh)")
def test_backfill_from_the_simulator_fills_the_window_beyond_the_ring_buffer(qtbot):
    from console.model_bridge import ModelBridge
    from simulator.server import SimServer
    from views.plots_view import PlotsView

    city = load_city(demo_city_path())
    fast = next(i for i, s in enumerate(city.sensors) if s.rate_hz >= 10)
    server = SimServer(city, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*")
    server.start()
    model = ConsoleModel(buffer_capacity=16)  # 1.6 s of a 10 Hz channel
    client = BackendClient(
        model,
        ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint),
        Identity(user="lin", role="operator", host=socket.gethostname()),
    )
    bridge = ModelBridge(model, fps=30)
    spans = []

    def history(channels, t0, t1):
        spans.append((t0, t1))
        return client.history(channels, t0, t1)

    view = PlotsView(model, 60.0, history=history, when_done=bridge.when_done)
    qtbot.addWidget(view)
    try:
        client.start()
        bridge.start()
        qtbot.waitUntil(lambda: model.link == LinkState.LIVE, timeout=10_000)
        qtbot.waitUntil(lambda: model.buffers.counts()[fast] > 40, timeout=10_000)
        view.show_channel(fast)
        bridge.frameTicked.connect(view.refresh)
        qtbot.waitUntil(lambda: view.plot.samples(fast)[0].size > 30, timeout=5_000)
    finally:
        bridge.stop()
        client.stop()
        server.stop()
    seconds, _values = view.plot.samples(fast)
    assert np.all(np.diff(seconds) > 0), "a sample is drawn twice or out of order"
    ordered = sorted(spans)
    assert all(a1 <= b0 for (_a0, a1), (b0, _b1) in itertools.pairwise(ordered))


def test_curve_draws_history_before_live_with_a_break_where_they_do_not_meet():
    from widgets.plot_series import CurveData

    data = CurveData()
    history = _series(0, 1000)
    data.set(_series(1500, 1600), history)
    x, y = data.decimated(0.0, 100, 16.0)
    assert x.size <= 2 * 100 + 1 + 2 * 100
    assert np.all(np.diff(x) >= 0), "history and live overlap or run backwards"
    hole = (x > 1000) & (x < 1500)
    assert hole.any() and np.isnan(y[hole]).all()
    cached = data.history._cache
    data.set(_series(1501, 1601), history)  # next frame: same history object
    data.decimated(16.0, 100, 16.0)
    assert data.history._cache is cached, "history columns were recomputed while scrolling"


def test_curve_drops_history_that_the_live_buffer_already_holds():
    from widgets.plot_series import CurveData

    data = CurveData()
    data.set(_series(100, 150), _series(0, 120))
    t, _y, _marks = data.samples()
    assert t.size == 150 and np.all(np.diff(t) > 0)


def test_a_failed_history_span_is_asked_again_only_after_a_pause(qtbot, monkeypatch):
    from tests.test_plot_panel import model_with
    from views import plot_feed
    from views.plots_view import PlotsView

    model = model_with(["%LEL"])
    now = time.time()
    model.buffers.append(np.zeros(1), np.array([int(now * S)]), np.ones(1), np.zeros(1))
    calls = []

    def history(channels, t0, t1):
        calls.append((t0, t1))
        future = Future()
        future.set_exception(RuntimeError("backend busy"))
        return future

    view = PlotsView(model, 600.0, history=history)
    qtbot.addWidget(view)
    view.show_channel(0)
    model.buffers.append(np.zeros(1), np.array([int(now * S) + 1]), np.ones(1), np.zeros(1))
    view.refresh()
    assert len(calls) == 1
    monkeypatch.setattr(plot_feed, "RETRY_AFTER_S", 0.0)
    model.buffers.append(np.zeros(1), np.array([int(now * S) + 2]), np.ones(1), np.zeros(1))
    view.refresh()
    assert len(calls) == 2


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _fill(cache, channel, t0_s=0, t1_s=100):
    cache.mark_requested(channel, t0_s * S, t1_s * S)
    s = _series(t0_s, t1_s)
    cache.add(channel, s.times_us, s.values, s.quality)


def test_history_of_a_channel_no_plot_reads_any_more_is_let_go_when_the_cache_grows():
    clock = _Clock()
    cache = BackfillCache(idle_s=60, clock=clock)
    _fill(cache, 1)  # the alarm followed first
    clock.now = 30
    _fill(cache, 2)  # the next one: 1 is still recent
    assert len(cache) == 2
    clock.now = 61
    cache.held(2)  # 2 is on screen and read every frame; 1 is not
    _fill(cache, 3)
    assert len(cache) == 2
    assert cache.held(1).times_us.size == 0
    assert cache.missing(1, 0, 100 * S) == [(0, 100 * S)]  # shown again: fetched again
    assert cache.held(2).times_us.size == 100


def test_a_channel_on_screen_keeps_its_history_however_long_it_is_shown():
    clock = _Clock()
    cache = BackfillCache(idle_s=60, clock=clock)
    _fill(cache, 7)
    for minute in range(1, 31):  # half an hour of new alarms while channel 7 stays plotted
        clock.now = minute * 61.0
        cache.held(7)
        _fill(cache, 100 + minute)
    assert cache.held(7).times_us.size == 100
    assert len(cache) == 2  # channel 7 and the newest followed one


def test_nothing_is_let_go_while_no_history_arrives():
    clock = _Clock()
    cache = BackfillCache(idle_s=60, clock=clock)
    _fill(cache, 1)
    clock.now = 3600  # a paused replay: nothing read, nothing fetched
    assert cache.held(1).times_us.size == 100


def test_channels_beyond_the_cap_go_least_recently_read_first():
    cache = BackfillCache(max_channels=3, clock=_Clock())
    for channel in range(3):
        _fill(cache, channel)
    cache.held(0)
    _fill(cache, 3)
    assert len(cache) == 3
    assert cache.held(1).times_us.size == 0  # the least recently read
    assert cache.held(0).times_us.size == 100


def test_history_arriving_in_any_order_is_held_sorted_once_per_time_with_the_first_kept():
    cache = BackfillCache()
    for t0, t1 in ((100, 150), (150, 200), (0, 100), (50, 120)):  # after, after, before, overlap
        s = _series(t0, t1)
        cache.add(0, s.times_us, s.values + (t0 == 50), s.quality)
    held = cache.held(0)
    assert np.array_equal(held.times_us, np.arange(0, 200, dtype=np.int64) * S)
    assert np.array_equal(held.values, np.arange(0, 200, dtype=np.float32))  # not the overlap's
    unsorted = np.array([260, 250, 250], dtype=np.int64) * S
    cache.add(0, unsorted, np.array([2, 1, 9], np.float32), np.zeros(3, np.uint8))
    assert cache.held(0).times_us[-2:].tolist() == [250 * S, 260 * S]
    assert cache.held(0).values[-2:].tolist() == [1.0, 2.0]
    cache.add(0, np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.uint8))
    assert cache.held(0).times_us.size == 202
