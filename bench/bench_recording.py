"""Recording: write rate into SQLite through the real store and writer thread, bytes per sample on
disk, seek to an instant, and read-back speed against what 64x playback needs.

A day of 2,000 channels at 1 Hz (172.8 M samples) is generated as it is written, one second of
every channel per batch as the backend publishes it: per channel a baseline, a daily cycle, an
AR(1) drift and white noise (float32, the noise filling the low mantissa bits), rare dropouts
(NaN, MISSING) and faults, times on the second plus a fixed per-channel phase.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from backend_client.protocol import Quality
from backend_client.recording.chunk_codec import encode_rows
from backend_client.recording.config import RecordingConfig
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter
from bench import Figure, Result, benchmark

SIZES = {  # mode: hours, channels, seeks
    "full": (24.0, 2_000, 30),
    "quick": (2.0, 2_000, 20),
    "smoke": (0.1, 200, 5),
}
T0 = 1_778_544_000_000_000  # 2026-05-12T00:00:00Z
S = 1_000_000
PLAYBACK_SPEED = 64
WINDOW_S = 600  # read-ahead window of a playback source


class Signals:
    """Sensor-like float32 values for many channels, one second at a time."""

    def __init__(self, channels: int, seed: int = 11) -> None:
        self.rng = np.random.default_rng(seed)
        n = channels
        scale = 10.0 ** self.rng.uniform(-1, 2.5, n)  # 0.1 .. 300 in the channel's unit
        self.baseline = scale * self.rng.uniform(0.5, 1.5, n)
        self.daily = scale * self.rng.uniform(0.0, 0.1, n)
        self.noise = scale * self.rng.uniform(0.002, 0.02, n)
        self.drift_sd = scale * self.rng.uniform(0.005, 0.03, n)
        self.drift = self.rng.standard_normal(n) * self.drift_sd
        self.a = np.exp(-1.0 / self.rng.uniform(60, 3600, n))
        self.phase_us = self.rng.integers(0, S, n)
        self.channels = np.arange(n, dtype=np.uint32)
        self.missing_until = np.zeros(n)

    def second(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        n = self.channels.shape[0]
        self.drift = self.a * self.drift + np.sqrt(1 - self.a**2) * self.drift_sd * (
            self.rng.standard_normal(n)
        )
        cycle = self.daily * np.cos(2 * np.pi * k / 86_400.0)
        values = self.baseline + cycle + self.drift + self.noise * self.rng.standard_normal(n)
        quality = np.zeros(n, np.uint8)
        starts = self.rng.random(n) < 1e-5
        self.missing_until[starts] = k + self.rng.uniform(5, 60, int(starts.sum()))
        missing = k < self.missing_until
        values[missing] = np.nan
        quality[missing] = Quality.MISSING
        faults = ~missing & (self.rng.random(n) < 5e-6)
        quality[faults] = Quality.FAULT
        times = T0 + k * S + self.phase_us
        return self.channels, times, values.astype(np.float32), quality


def write_recording(store: RecordingStore, hours: float, channels: int) -> tuple[float, int, dict]:
    """Generate and record; returns (seconds, samples, writer stats) until all is committed."""
    writer = RecordingWriter(store, RecordingConfig(keep_raw_days=None))
    signals = Signals(channels)
    seconds = int(hours * 3600)
    writer.start()
    budget = writer.config.queue_samples // 2
    start = time.perf_counter()
    for k in range(seconds):
        while writer.queued_samples > budget:  # a benchmark producer waits; the I/O thread sheds
            time.sleep(0.001)
        assert writer.submit_samples(*signals.second(k))
    writer.stop(timeout=3600)
    elapsed = time.perf_counter() - start
    stats = writer.stats
    assert stats.failed_commits == 0 and stats.shed_samples == 0, stats
    return (
        elapsed,
        stats.samples_written,
        {"chunks": stats.chunks_written, "chunk_bytes": stats.chunk_bytes},
    )


def file_bytes(path: Path) -> int:
    """Bytes on disk after a checkpoint (database file plus what is left of its WAL)."""
    import sqlite3

    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def seek_times(reader: RecordingReader, span: tuple[int, int], count: int, channels: int) -> list:
    rng = np.random.default_rng(5)
    out = []
    for t in rng.integers(span[0], span[1], count):
        start = time.perf_counter()
        state = reader.state_at(int(t))
        out.append(time.perf_counter() - start)
        assert len(state) >= channels * 0.99, len(state)
    return out


def read_rate(reader: RecordingReader, span: tuple[int, int], channels: int) -> float:
    """Samples/s of reading every channel, WINDOW_S at a time, at a few random places."""
    rng = np.random.default_rng(6)
    window = WINDOW_S * S
    starts = rng.integers(span[0], max(span[0] + 1, span[1] - window), 5)
    everything = list(range(channels))
    total, elapsed = 0, 0.0
    for t in starts:
        start = time.perf_counter()
        batch = reader.samples(everything, int(t), int(t) + window)
        elapsed += time.perf_counter() - start
        total += len(batch)
    return total / elapsed


def jitter_bytes_per_sample(channels: int, seconds: int, unit_us: int) -> float:
    """Chunk bytes a sample when timestamps carry +-5 ms of jitter at unit_us resolution."""
    signals = Signals(channels, seed=12)
    rng = np.random.default_rng(13)
    rows = [signals.second(k) for k in range(seconds)]
    jitter = rng.integers(-5000 // unit_us, 5000 // unit_us + 1, (channels, seconds)) * unit_us
    times = np.stack([r[1] for r in rows], 1) + jitter
    values = np.stack([r[2] for r in rows], 1)
    quality = np.stack([r[3] for r in rows], 1)
    chunks = []
    for c0 in range(0, seconds, 1024):
        part = slice(c0, c0 + 1024)
        chunks += encode_rows(
            np.arange(channels), times[:, part], values[:, part], quality[:, part]
        )
    return sum(len(c.data) for c in chunks) / (channels * seconds)


@benchmark("recording", "Recording: write rate, bytes on disk, seek, read-back for playback")
def run(mode: str) -> Result:
    hours, channels, seeks = SIZES[mode]
    with tempfile.TemporaryDirectory(prefix="lifeline-bench-rec-") as tmp:
        path = Path(tmp) / "bench.sqlite"
        store = RecordingStore(path)
        try:
            write_s, samples, stats = write_recording(store, hours, channels)
            disk = file_bytes(path)
            reader = RecordingReader(store)
            span = reader.time_span()
            assert span is not None
            seek = seek_times(reader, span, seeks, channels)
            rate = read_rate(reader, span, channels)
        finally:
            store.close()
    need = channels * PLAYBACK_SPEED
    jitter_s = 3600 if mode != "smoke" else 600
    jitter_us = jitter_bytes_per_sample(min(channels, 200), jitter_s, 1)
    jitter_ms = jitter_bytes_per_sample(min(channels, 200), jitter_s, 1000)
    return Result(
        figures=[
            Figure(
                "sustained write rate into SQLite (writer thread, all committed)",
                samples / write_s,
                "samples/s",
                target=">= 500,000 samples/s",
            ),
            Figure(
                "bytes per sample on disk (database file, indexes included)",
                disk / samples,
                "bytes",
                target="<= 4 bytes",
            ),
            Figure(
                "bytes per sample in chunk blobs",
                stats["chunk_bytes"] / samples,
                "bytes",
                baseline_name="raw wire sample (4 + 8 + 4 + 1)",
                baseline_value=17.0,
            ),
            Figure(
                "chunk blob bytes per sample, timestamps with +-5 ms jitter in whole ms",
                jitter_ms,
                "bytes",
            ),
            Figure(
                "chunk blob bytes per sample, timestamps with +-5 ms jitter in us",
                jitter_us,
                "bytes",
            ),
            Figure(
                "seek: every channel's state at a random instant, median",
                float(np.median(seek)) * 1e3,
                "ms",
                target="<= 200 ms",
            ),
            Figure("seek: worst of the random instants", max(seek) * 1e3, "ms", target="<= 200 ms"),
            Figure(
                f"read back every channel, {WINDOW_S} s windows",
                rate,
                "samples/s",
                baseline_name=f"needed for {PLAYBACK_SPEED}x playback of {channels} channels",
                baseline_value=float(need),
                target=f">= {need:,} samples/s",
            ),
        ],
        params={
            "hours recorded": hours,
            "channels": channels,
            "rate": "1 Hz",
            "samples": samples,
            "chunks": stats["chunks"],
            "chunk samples": RecordingConfig().chunk_samples,
            "seeks": seeks,
            "size": "the issue's 24 h x 2,000 channels"
            if mode == "full"
            else f"reduced for --{mode}: {hours} h x {channels} channels",
        },
        notes=(
            "Data is generated while it is written (one batch per second of all channels, as a "
            "backend publishes), so the write rate includes generating it. The rate is measured "
            "until the writer thread has committed everything. Values are float32 with white "
            "noise in the low mantissa bits (lossless; no quantisation), timestamps on the second "
            "plus a per-channel phase. Seek = RecordingReader.state_at over a fresh connection: "
            "one index probe per channel for its chunk, then one vectorised decode. Read-back "
            "decodes every chunk touching each window."
        ),
    )
