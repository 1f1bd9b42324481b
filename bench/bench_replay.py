"""Replay at 64x: a recording of 2,000 channels at 1 Hz (with an alarm change every 10 s) played
through ReplaySource into a ConsoleModel, the way the console's 30 fps timer drives it: does it
keep 64 recorded seconds per wall second, and how late does a frame's work run?

The recording is generated and written as in bench_recording (the real writer thread), with a
catalog so ReplaySource can load it. Then two runs from the start of the recording:

- paced: frames due every 1/30 s of wall time; each calls tick(wall time since the last frame)
  at 64x, then sleeps until the next frame is due. Lag = how far a frame's work ran past the
  next frame's due time (0: never behind).
- unpaced: frames back to back, each advancing 64/30 s: the fastest replay speed this machine
  sustains (headroom over 64x).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from backend_client.city import demo_city_path, load_city
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmRecord, AlarmState
from backend_client.recording.config import RecordingConfig
from backend_client.recording.events import AlarmChangeEvent, CatalogEvent, SnapshotEvent
from backend_client.recording.replay import ReplaySource
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter
from bench import Figure, Result, benchmark
from bench.bench_recording import T0, Signals

SIZES = {  # mode: simulated minutes, channels
    "full": (60.0, 2_000),
    "quick": (16.0, 2_000),
    "smoke": (3.0, 200),
}
S = 1_000_000
SPEED = 64.0
FPS = 30.0
ALARM_EVERY_S = 10


def sensors(channels: int) -> tuple:
    """The demo city's sensors repeated (ids made unique) to `channels`."""
    demo = load_city(demo_city_path()).sensors
    return tuple(
        replace(demo[i % len(demo)], id=f"{demo[i % len(demo)].id}#{i}") for i in range(channels)
    )


def record(store: RecordingStore, minutes: float, channels: int) -> int:
    """Write the recording; returns the samples written."""
    writer = RecordingWriter(store, RecordingConfig(keep_raw_days=None))
    writer.start()
    writer.submit_event(CatalogEvent(T0, "bench", sensors(channels)))
    writer.submit_event(SnapshotEvent(T0, 0, ()))
    signals = Signals(channels)
    seq = 0
    for k in range(int(minutes * 60)):
        while writer.queued_samples > writer.config.queue_samples // 2:
            time.sleep(0.001)
        writer.submit_samples(*signals.second(k))
        if k % ALARM_EVERY_S == ALARM_EVERY_S - 1:
            seq += 1
            t = T0 + k * S
            state = AlarmState.UNACK if seq % 2 else AlarmState.NORMAL
            alarm = AlarmRecord(
                f"A{seq % 50}",
                seq % channels,
                "s",
                1 + seq % 4,
                state,
                state == AlarmState.UNACK,
                1.0,
                0.5,
                t,
                t,
            )
            writer.submit_event(AlarmChangeEvent(seq, alarm, applied=True))
    writer.stop(timeout=3600)
    assert writer.stats.failed_commits == 0 and writer.stats.shed_samples == 0, writer.stats
    return writer.stats.samples_written


def paced(replay: ReplaySource, wall_limit_s: float) -> dict[str, float]:
    """64x at 30 frames a second of wall time, until the end or wall_limit_s; play is pressed
    one frame before the timer's first tick, as in the console."""
    replay.seek(replay.start_us)
    replay.set_speed(SPEED)
    frame = 1.0 / FPS
    replay.play()
    time.sleep(frame)
    work: list[float] = []
    lags: list[float] = []
    began = last = due = time.perf_counter()
    while replay.playing and last - began < wall_limit_s:
        time.sleep(max(0.0, due - time.perf_counter()))
        now = time.perf_counter()
        replay.tick(now - last)
        last = now
        done = time.perf_counter()
        work.append(done - now)
        due += frame
        lags.append(done - due)  # > 0: the next frame could not start on time
        due = max(due, done)  # a timer skips the ticks it missed
    wall = last - began
    replayed = (replay.now_us - replay.start_us) / 1e6
    later = work[1:] or [0.0]
    return {
        "speed": replayed / wall,
        "first_ms": work[0] * 1e3,
        "max_lag_ms": max(0.0, *lags[1:]) * 1e3,
        "late_frames": sum(lag > 0 for lag in lags[1:]),
        "work_p50_ms": float(np.median(later)) * 1e3,
        "work_p99_ms": float(np.percentile(later, 99)) * 1e3,
        "work_max_ms": max(later) * 1e3,
        "frames": len(work),
        "replayed_s": replayed,
        "background_reads": replay.ahead.background_reads,
    }


def unpaced(replay: ReplaySource) -> float:
    """Recorded seconds per wall second with frames back to back (64/30 s each)."""
    replay.seek(replay.start_us)
    step = round(SPEED / FPS * S)
    began = time.perf_counter()
    while replay.now_us < replay.end_us:
        replay.advance(replay.now_us + step)
    return (replay.now_us - replay.start_us) / 1e6 / (time.perf_counter() - began)


@benchmark("replay", "Replay: 64x playback of 2,000 channels x 1 Hz into the console model")
def run(mode: str) -> Result:
    minutes, channels = SIZES[mode]
    with tempfile.TemporaryDirectory(prefix="lifeline-bench-replay-") as tmp:
        store = RecordingStore(Path(tmp) / "replay.sqlite")
        try:
            samples = record(store, minutes, channels)
            model = ConsoleModel()  # the console's own buffer capacity
            replay = ReplaySource(store, model)
            fast = unpaced(replay)
            result = paced(replay, wall_limit_s=minutes * 60 / SPEED + 5)
        finally:
            store.close()
    frame_ms = 1e3 / FPS
    return Result(
        figures=[
            Figure(
                "64x playback paced at 30 frames/s: recorded seconds per wall second",
                result["speed"],
                "x",
                baseline_name="asked",
                baseline_value=SPEED,
                target=">= 64x (never falls behind)",
            ),
            Figure(
                "64x playback: latest a frame's work ran past the next frame's due time",
                result["max_lag_ms"],
                "ms",
                target=f"0 ms (every frame's work within its {frame_ms:.0f} ms)",
            ),
            Figure("64x playback: frames whose work ran late", result["late_frames"], "frames"),
            Figure("64x playback: work per frame, median", result["work_p50_ms"], "ms"),
            Figure("64x playback: work per frame, p99", result["work_p99_ms"], "ms"),
            Figure("64x playback: work per frame, worst", result["work_max_ms"], "ms"),
            Figure("first frame after play (waits for the first block)", result["first_ms"], "ms"),
            Figure(
                "fastest sustained replay (frames back to back)",
                fast,
                "x",
                baseline_name="64x",
                baseline_value=SPEED,
                target=">= 64x",
            ),
        ],
        params={
            "recorded minutes": minutes,
            "channels": channels,
            "rate": "1 Hz",
            "samples": samples,
            "alarm changes": f"one every {ALARM_EVERY_S} s",
            "frames": result["frames"],
            "blocks read in the background": result["background_reads"],
            "replayed seconds (paced run)": round(result["replayed_s"], 1),
            "size": "2,000 channels, an hour of recording"
            if mode == "full"
            else f"reduced for --{mode}: {minutes} min x {channels} channels",
        },
        notes=(
            "ReplaySource reads 120 s of recorded time at once while playing forward and slices "
            "each frame from it; at 64x a block (every channel's chunks decoded) is needed about "
            "every 1.9 s of wall time, and is read on a worker thread once half of the current "
            "one is played (read_ahead.py), so the frame that crosses into it only joins two "
            "blocks. The first frame after play waits for the first block (primed when play "
            "is pressed). A frame's work is tick(): ingest of the frame's samples into the ring "
            "buffers and the alarm changes; drawing is the console's (bench demo). Lags and "
            "work per frame exclude the first frame; the replay clock follows wall time, so a "
            "late frame feeds more samples and replay time never falls behind."
        ),
    )
