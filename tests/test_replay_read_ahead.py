"""Forward replay reads the next block of recorded time in the background while playing; what
the model is fed is the same as reading every block when needed, and the same as seeking."""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.model.console_model import ConsoleModel
from backend_client.recording.replay import ReplaySource
from tests.test_incidents import T0, S, synthetic_history, write_recording

BLOCK_US = 60 * S


@pytest.fixture
def store(tmp_path):
    store = write_recording(tmp_path / "rec.sqlite", synthetic_history())
    yield store
    store.close()


def held(replay: ReplaySource) -> tuple:
    m = replay.model
    series = [m.buffers.series(ch) for ch in range(3)]
    return (
        m.alarms.changes_since(None).alarms,
        [(s.times_us.tolist(), s.values.view(np.uint32).tolist()) for s in series],
    )


def test_playing_across_blocks_read_in_the_background_feeds_what_seeking_shows(store):
    playing = ReplaySource(store, ConsoleModel(8192), window_s=3600)
    playing.ahead.block_us = BLOCK_US
    playing.play()
    playing.set_speed(64)
    checks = 0
    while playing.playing:
        playing.tick(1 / 30)  # 2.13 s of recording a frame
        if playing.now_us % (300 * S) < 3 * S:
            seeking = ReplaySource(store, ConsoleModel(8192), window_s=3600)
            seeking.seek(playing.now_us)
            assert held(playing) == held(seeking), (playing.now_us - T0) / S
            checks += 1
    assert playing.now_us == playing.end_us and checks >= 5
    assert playing.ahead.background_reads >= 3600 * S // BLOCK_US - 2


def test_advancing_while_paused_reads_blocks_when_needed_only(store):
    replay = ReplaySource(store, ConsoleModel(8192))
    replay.ahead.block_us = BLOCK_US
    for k in range(1, 200):
        replay.advance(T0 + k * 2 * S)
    assert replay.ahead.background_reads == 0
