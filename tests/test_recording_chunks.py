"""Chunk codec and per-channel staging: exact round trips, compact on realistic data, no loss."""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.city import demo_city_path, load_city
from backend_client.protocol import Quality
from backend_client.recording.chunk_codec import (
    ChunkFormatError,
    decode_chunks,
    encode_rows,
    latest_at,
)
from backend_client.recording.stager import ChannelStager
from simulator.signals import SignalModel

T0 = 1_778_572_800_000_000


def test_chunks_round_trip_times_values_quality_bit_exactly_including_nan_and_jitter() -> None:
    rng = np.random.default_rng(4)
    k, width = 5, 300
    times = T0 + np.cumsum(rng.integers(900_000, 1_100_000, (k, width)), axis=1)
    times[2] = T0 + np.arange(width) * 1_000_000  # perfectly regular
    times[3, 10] = times[3, 9] - 5  # one late sample, out of order
    values = rng.normal(300, 5, (k, width)).astype(np.float32)
    values[1, 7] = np.nan
    quality = np.zeros((k, width), np.uint8)
    quality[1, 7] = Quality.MISSING
    lengths = np.array([300, 17, 300, 1, 2])
    chunks = encode_rows(np.arange(k), times, values, quality, lengths)
    assert [c.n for c in chunks] == lengths.tolist()
    assert chunks[3].t_start == chunks[3].t_end == times[3, 0]
    assert chunks[0].t_start == times[0, 0] and chunks[0].t_end == times[0, -1]
    decoded = decode_chunks([c.channel for c in chunks], [c.data for c in chunks])
    for i, n in enumerate(lengths):
        part = slice(decoded.bounds[i], decoded.bounds[i + 1])
        assert np.array_equal(decoded.times_us[part], times[i, :n])
        assert np.array_equal(decoded.values[part].view(np.uint32), values[i, :n].view(np.uint32))
        assert np.array_equal(decoded.quality[part], quality[i, :n])
        assert (decoded.channels[part] == i).all()


def test_a_corrupt_or_foreign_blob_is_refused_with_a_clear_error() -> None:
    chunk = encode_rows(np.array([0]), np.array([[T0, T0 + 1]]), np.ones((1, 2)), np.zeros((1, 2)))
    with pytest.raises(ChunkFormatError, match="version"):
        decode_chunks([0], [b"\x09" + chunk[0].data[1:]])
    with pytest.raises(ChunkFormatError, match="shorter"):
        decode_chunks([0], [b"abc"])


def test_simulated_1hz_sensor_data_with_noise_costs_at_most_4_bytes_a_sample() -> None:
    sensors = load_city(demo_city_path()).sensors
    model = SignalModel(sensors, seed=3)
    n, seconds = len(sensors), 900
    times = np.empty((n, seconds), np.int64)
    values = np.empty((n, seconds), np.float32)
    quality = np.empty((n, seconds), np.uint8)
    for k in range(seconds):
        t_s = T0 / 1e6 + k
        model.advance(t_s)
        values[:, k], quality[:, k] = model.sample(np.arange(n), np.full(n, t_s))
        times[:, k] = T0 + k * 1_000_000
    chunks = encode_rows(np.arange(n), times, values, quality)
    per_sample = sum(len(c.data) for c in chunks) / (n * seconds)
    assert per_sample <= 4.0, f"{per_sample:.2f} bytes a sample (17 raw)"


def test_stager_cuts_full_rows_and_keeps_each_channels_samples_in_order() -> None:
    stager = ChannelStager(chunk_samples=4, budget_samples=1_000)
    ch = np.array([2, 0, 2, 2, 0, 2, 2], np.uint32)  # channel 2 overflows its row in one batch
    t = np.arange(7, dtype=np.int64)
    out = stager.add(ch, t, t.astype(np.float32), np.zeros(7, np.uint8), now=0.0)
    assert len(out) == 1 and out[0].channels.tolist() == [2]
    assert out[0].times_us[0].tolist() == [0, 2, 3, 5] and out[0].lengths.tolist() == [4]
    assert stager.staged == 3  # channel 0: 1, 4; channel 2: 6
    assert stager.take_old(10.0, now=5.0) == []
    old = stager.take_old(10.0, now=10.0)
    rows = {
        int(c): r[: int(n)].tolist()
        for c, r, n in zip(*[old[0].channels, old[0].times_us, old[0].lengths], strict=True)
    }
    assert rows == {0: [1, 4], 2: [6]} and stager.staged == 0


def test_stager_narrows_rows_to_its_memory_budget_as_channels_appear() -> None:
    stager = ChannelStager(chunk_samples=1024, budget_samples=10_000)
    one = np.array([0], np.uint32)
    stager.add(one, np.array([1], np.int64), np.ones(1, np.float32), np.zeros(1, np.uint8))
    cut = stager.add(
        np.array([999], np.uint32),
        np.array([2], np.int64),
        np.ones(1, np.float32),
        np.zeros(1, np.uint8),
    )
    assert stager.width == 10  # 1,000 channels x 10 samples within the 10,000-sample budget
    assert [r.channels.tolist() for r in cut] == [[0]]  # what was staged is written, not lost
    assert stager.staged == 1


def test_latest_at_finds_each_chunks_last_sample_at_or_before_an_instant() -> None:
    rng = np.random.default_rng(8)
    k, width = 40, 64
    times = T0 + np.arange(width)[None, :] * 1_000_000 + np.zeros((k, 1), np.int64)
    times[k // 2 :] += rng.integers(-5_000, 5_000, (k - k // 2, width))  # jittered half
    times[-1, 5] = times[-1, 9]  # a duplicate time, out of order
    values = rng.normal(size=(k, width)).astype(np.float32)
    quality = rng.integers(0, 8, (k, width)).astype(np.uint8)
    chunks = encode_rows(np.arange(k), times, values, quality)
    for t in (T0 + 9_000_000, T0 + 9_500_000, T0 + 10**12):
        eligible = [c for c in range(k) if times[c].min() <= t]
        found = latest_at(eligible, [chunks[c].data for c in eligible], t)
        for row, c in enumerate(eligible):
            ok = np.flatnonzero(times[c] <= t)
            j = ok[np.flatnonzero(times[c][ok] == times[c][ok].max())[-1]]
            assert found.times_us[row] == times[c, j]
            assert found.values[row] == values[c, j] and found.quality[row] == quality[c, j]


def test_millisecond_timestamps_jitter_in_whole_milliseconds_and_cost_little() -> None:
    rng = np.random.default_rng(9)
    k, width = 50, 1024
    grid = T0 + np.arange(width)[None, :] * 1_000_000
    values = np.zeros((k, width), np.float32)  # constant: what remains is the cost of time
    quality = np.zeros((k, width), np.uint8)
    costs = []
    for unit in (1, 1000):  # jitter of +-5 ms at 1 us and at 1 ms resolution
        times = grid + rng.integers(-5000 // unit, 5000 // unit + 1, (k, width)) * unit
        chunks = encode_rows(np.arange(k), times, values, quality)
        decoded = decode_chunks(range(k), [c.data for c in chunks])
        assert np.array_equal(decoded.times_us, times.ravel())
        costs.append(sum(len(c.data) for c in chunks) / (k * width))
    assert costs[1] < 0.7 < 1.5 < costs[0]  # bytes a sample for the times
