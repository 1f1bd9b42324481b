"""Channel ring buffers: vectorised mixed-channel appends, wrap-around, bounded memory."""

import numpy as np
import pytest

from backend_client.model.ring_buffer import ChannelBuffers
from backend_client.protocol import Quality


def _batch(channels, times, values=None, quality=None):
    channels = np.asarray(channels)
    values = np.asarray(values if values is not None else times, dtype=np.float32)
    quality = np.asarray(quality if quality is not None else np.zeros(len(channels)), np.uint8)
    return channels, np.asarray(times, dtype=np.int64), values, quality


def test_mixed_channel_batch_lands_in_each_channel_in_order():
    buffers = ChannelBuffers(3, 8)
    buffers.append(*_batch([0, 2, 0, 1, 2, 0], [10, 11, 12, 13, 14, 15]))
    assert buffers.series(0).times_us.tolist() == [10, 12, 15]
    assert buffers.series(1).times_us.tolist() == [13]
    assert buffers.series(2).times_us.tolist() == [11, 14]


def test_grouped_and_interleaved_batches_store_the_same_samples():
    grouped, interleaved = ChannelBuffers(4, 3), ChannelBuffers(4, 3)
    rng = np.random.default_rng(7)
    for start in range(0, 200, 20):
        channels = rng.integers(0, 4, size=20)
        times = np.arange(start, start + 20)
        order = np.argsort(channels, kind="stable")
        interleaved.append(*_batch(channels, times))
        grouped.append(*_batch(channels[order], times[order]))
    for ch in range(4):
        assert grouped.series(ch).times_us.tolist() == interleaved.series(ch).times_us.tolist()
    assert grouped.counts().tolist() == interleaved.counts().tolist()


def test_wrap_around_keeps_only_the_newest_capacity_samples():
    buffers = ChannelBuffers(2, 5)
    for start in range(0, 12, 3):
        buffers.append(*_batch([1, 1, 1], [start, start + 1, start + 2]))
    series = buffers.series(1)
    assert series.times_us.tolist() == [7, 8, 9, 10, 11]
    assert series.values.tolist() == [7, 8, 9, 10, 11]
    assert buffers.series(0).times_us.size == 0


def test_one_batch_longer_than_capacity_keeps_its_newest_samples():
    buffers = ChannelBuffers(1, 4)
    buffers.append(*_batch([0] * 10, list(range(10))))
    assert buffers.series(0).times_us.tolist() == [6, 7, 8, 9]


def test_memory_is_fixed_whatever_is_appended():
    buffers = ChannelBuffers(50, 100)
    before = buffers.nbytes
    rng = np.random.default_rng(1)
    for i in range(200):
        ch = rng.integers(0, 50, 1000)
        buffers.append(*_batch(ch, np.arange(1000) + i * 1000))
    assert buffers.nbytes == before
    assert buffers.counts().sum() == 200 * 1000


def test_series_since_returns_only_recent_samples():
    buffers = ChannelBuffers(1, 16)
    buffers.append(*_batch([0] * 6, [100, 200, 300, 400, 500, 600]))
    assert buffers.series(0, since_us=350).times_us.tolist() == [400, 500, 600]


def test_samples_for_unknown_channels_are_counted_not_stored():
    buffers = ChannelBuffers(2, 4)
    stored = buffers.append(*_batch([0, 7, 1], [1, 2, 3]))
    assert stored == 2
    assert buffers.rejected == 1


def test_latest_reports_missing_for_channels_never_heard_from():
    buffers = ChannelBuffers(3, 4)
    buffers.append(*_batch([0, 0, 2], [5, 6, 7], quality=[0, 2, 0]))
    latest = buffers.latest()
    assert latest.times_us.tolist() == [6, 0, 7]
    assert latest.quality.tolist() == [Quality.FAULT, Quality.MISSING, Quality.GOOD]


def test_invalid_sizes_are_refused():
    with pytest.raises(ValueError):
        ChannelBuffers(3, 0)


def test_a_reader_gets_only_what_arrived_since_it_last_read():
    buffers = ChannelBuffers(2, 8)
    buffers.append(*_batch([0, 0, 0], [1, 2, 3]))
    first, seen, complete = buffers.newer(0, 0)
    assert first.times_us.tolist() == [1, 2, 3] and seen == 3 and complete
    buffers.append(*_batch([0, 1, 0], [4, 5, 6]))
    new, seen, complete = buffers.newer(0, seen)
    assert new.times_us.tolist() == [4, 6] and seen == 5 and complete


def test_a_reader_that_fell_behind_the_ring_is_told_to_reload():
    buffers = ChannelBuffers(1, 4)
    buffers.append(*_batch([0, 0], [1, 2]))
    _series, seen, _ = buffers.newer(0, 0)
    buffers.append(*_batch([0] * 6, [3, 4, 5, 6, 7, 8]))
    new, seen, complete = buffers.newer(0, seen)
    assert not complete and new.times_us.tolist() == [5, 6, 7, 8] and seen == 8
    assert buffers.oldest_time(0) == 5


def test_a_channel_read_for_the_first_time_is_filled_from_the_shared_log():
    buffers = ChannelBuffers(3, 4, log_samples=64)
    for start in range(0, 30, 3):
        buffers.append(*_batch([0, 1, 2], [start, start + 1, start + 2]))
    assert buffers.series(1).times_us.tolist() == [19, 22, 25, 28]  # its newest four
    buffers.append(*_batch([1], [31]))
    assert buffers.series(1).times_us.tolist() == [22, 25, 28, 31]  # now kept as it arrives


def test_a_ring_holds_only_what_the_log_still_had_when_it_was_first_read():
    buffers = ChannelBuffers(2, 8, log_samples=6)
    buffers.append(*_batch([0, 0, 0, 1, 1, 1, 1, 1, 1], list(range(9))))
    assert buffers.series(0).times_us.tolist() == []  # its samples left the log already
    assert buffers.oldest_time(0) is None
    buffers.append(*_batch([0], [9]))
    series, seen, complete = buffers.newer(0, 0)
    assert series.times_us.tolist() == [9] and seen == 4 and not complete


def test_the_least_recently_read_channel_gives_up_its_ring_first():
    buffers = ChannelBuffers(3, 4, log_samples=4, ring_slots=2)
    buffers.append(*_batch([0, 1, 2], [1, 2, 3]))
    buffers.series(0)
    buffers.series(1)
    buffers.series(0)
    buffers.series(2)  # takes channel 1's ring
    buffers.append(*_batch([0, 1, 2] * 3, list(range(10, 19))))
    assert buffers.series(0).times_us.tolist() == [1, 10, 13, 16]
    assert buffers.series(2).times_us.tolist() == [3, 12, 15, 18]
    assert buffers.series(1).times_us.tolist() == [17]  # seeded again from the short log


def test_latest_is_each_channels_newest_sample_even_in_an_interleaved_batch():
    buffers = ChannelBuffers(3, 4)
    buffers.append(*_batch([2, 0, 2, 0], [1, 2, 3, 4], [10.0, 20.0, 30.0, 40.0]))
    latest = buffers.latest()
    assert latest.times_us.tolist() == [4, 0, 3]
    assert latest.values[[0, 2]].tolist() == [40.0, 30.0]
    assert buffers.counts().tolist() == [2, 0, 2]
