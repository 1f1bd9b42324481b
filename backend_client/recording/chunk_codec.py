"""One channel's samples over a time span as one compressed blob, encoded and decoded vectorised.

A chunk is a 28-byte header followed by one zstd frame (format in docs/recording.md):

    header  <B B B x I q q I>  version, codec, flags (1: regular), n, first time (us),
                               base step (us), time scale (the steps' common divisor)
    payload (zstd)             zigzag((step - base) / scale) as int64, byte-shuffled  (n - 1) x 8
                            values as float32, byte-shuffled                          n x 4
                            quality codes                                             n x 1

Regular sampling makes the time part all zeros and byte-shuffling puts the slowly changing sign,
exponent and high mantissa bytes of the values side by side, so noisy 1 Hz data costs about 3
bytes a sample. Rows of equal length are encoded and decoded as one 2-D array.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import zstandard

FORMAT_VERSION = 1
CODEC_ZSTD = 1
CODEC_ZLIB = 2
HEADER = struct.Struct("<BBBxIqqI")
FLAG_REGULAR = 1  # every time step equals the base step: times are first + i x base
DEFAULT_LEVEL = 3


class ChunkFormatError(ValueError):
    """A blob that is not a chunk this version can read."""


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """A chunk ready for its row: the blob and the columns the index needs."""

    channel: int
    t_start: int  # earliest sample time, us
    t_end: int  # latest sample time, us
    n: int
    data: bytes


@dataclass(frozen=True, slots=True)
class DecodedChunks:
    """Samples of many chunks, chunk after chunk, each chunk's samples in recorded order."""

    channels: np.ndarray  # uint32, one per sample
    times_us: np.ndarray  # int64
    values: np.ndarray  # float32
    quality: np.ndarray  # uint8
    bounds: np.ndarray  # int64, len(chunks) + 1: chunk i is samples bounds[i]:bounds[i + 1]


def _shuffle(rows: np.ndarray, itemsize: int) -> np.ndarray:
    """(k, n) items -> (k, itemsize, n) bytes: byte j of every item together."""
    k, n = rows.shape
    return rows.view(np.uint8).reshape(k, n, itemsize).transpose(0, 2, 1)


def _zigzag(x: np.ndarray) -> np.ndarray:
    return ((x << 1) ^ (x >> 63)).view(np.uint64)


def _unzigzag(z: np.ndarray) -> np.ndarray:
    return (z >> np.uint64(1)).view(np.int64) ^ -(z & np.uint64(1)).view(np.int64)


def encode_rows(
    channels: np.ndarray,
    times_us: np.ndarray,
    values: np.ndarray,
    quality: np.ndarray,
    lengths: np.ndarray | None = None,
    level: int = DEFAULT_LEVEL,
) -> list[EncodedChunk]:
    """Encode k chunks given as (k, width) rows; row i holds lengths[i] samples (all by default)."""
    k, width = times_us.shape
    if k == 0 or width == 0:
        return []
    lengths = np.full(k, width, np.int64) if lengths is None else np.asarray(lengths, np.int64)
    times = np.ascontiguousarray(times_us, np.int64)
    steps = np.diff(times, axis=1)
    base = steps[:, 0].copy() if width > 1 else np.zeros(k, np.int64)
    live_steps = np.arange(width - 1)[None, :] < (lengths - 1)[:, None]
    deviation = np.where(live_steps, steps - base[:, None], 0)
    # millisecond timestamps jitter in whole milliseconds: store deviations in those units
    scale = np.gcd.reduce(deviation, axis=1) if width > 1 else np.zeros(k, np.int64)
    scale[(scale == 0) | (scale > 0xFFFFFFFF)] = 1
    resid = np.ascontiguousarray(_zigzag(deviation // scale[:, None]))
    t_planes = _shuffle(resid, 8)
    v_planes = _shuffle(np.ascontiguousarray(values, np.float32), 4)
    q = np.ascontiguousarray(quality, np.uint8)
    live = np.arange(width)[None, :] < lengths[:, None]
    t_first = times[:, 0]
    t_min = np.where(live, times, np.iinfo(np.int64).max).min(axis=1)
    t_max = np.where(live, times, np.iinfo(np.int64).min).max(axis=1)
    compressor = zstandard.ZstdCompressor(level=level)
    out = []
    for i in range(k):
        n = int(lengths[i])
        if n <= 0:
            continue
        if n == width:
            payload = t_planes[i].tobytes() + v_planes[i].tobytes() + q[i].tobytes()
        else:
            payload = (
                t_planes[i, :, : n - 1].tobytes()
                + v_planes[i, :, :n].tobytes()
                + q[i, :n].tobytes()
            )
        flags = FLAG_REGULAR if not resid[i, : n - 1].any() else 0
        head = HEADER.pack(
            FORMAT_VERSION, CODEC_ZSTD, flags, n, int(t_first[i]), int(base[i]), int(scale[i])
        )
        out.append(
            EncodedChunk(
                int(channels[i]),
                int(t_min[i]),
                int(t_max[i]),
                n,
                head + compressor.compress(payload),
            )
        )
    return out


def _payload(
    blob: bytes, decompressor: zstandard.ZstdDecompressor
) -> tuple[int, int, int, bytes, int, int]:
    if len(blob) < HEADER.size:
        raise ChunkFormatError(f"chunk of {len(blob)} bytes is shorter than its header")
    version, codec, flags, n, t_first, base, scale = HEADER.unpack_from(blob)
    if version != FORMAT_VERSION:
        raise ChunkFormatError(f"chunk format version {version}, expected {FORMAT_VERSION}")
    body = memoryview(blob)[HEADER.size :]
    if codec == CODEC_ZSTD:
        raw = decompressor.decompress(body, max_output_size=13 * n)
    elif codec == CODEC_ZLIB:
        raw = zlib.decompress(body)
    else:
        raise ChunkFormatError(f"unknown chunk codec {codec}")
    if len(raw) != 13 * n - 8:
        raise ChunkFormatError(
            f"chunk of {n} samples holds {len(raw)} bytes, expected {13 * n - 8}"
        )
    return n, t_first, base, raw, flags, scale


def decode_chunks(channels: Sequence[int] | np.ndarray, blobs: Sequence[bytes]) -> DecodedChunks:
    """Decode many chunks; chunks of equal length are decoded together as one 2-D array."""
    decompressor = zstandard.ZstdDecompressor()
    parts = [_payload(blob, decompressor) for blob in blobs]
    counts = np.array([p[0] for p in parts], np.int64)
    bounds = np.zeros(len(parts) + 1, np.int64)
    np.cumsum(counts, out=bounds[1:])
    total = int(bounds[-1])
    times = np.empty(total, np.int64)
    values = np.empty(total, np.float32)
    quality = np.empty(total, np.uint8)
    chans = np.repeat(np.asarray(channels, np.uint32), counts)
    for n in np.unique(counts):
        n = int(n)
        idx = np.flatnonzero(counts == n)
        raw = np.frombuffer(b"".join(parts[i][3] for i in idx), np.uint8).reshape(len(idx), -1)
        t_bytes = 8 * (n - 1)
        resid = np.ascontiguousarray(
            raw[:, :t_bytes].reshape(len(idx), 8, n - 1).transpose(0, 2, 1)
        )
        steps = _unzigzag(resid.view(np.uint64).reshape(len(idx), n - 1))
        first = np.array([parts[i][1] for i in idx], np.int64)
        base = np.array([parts[i][2] for i in idx], np.int64)
        scale = np.array([parts[i][5] for i in idx], np.int64)
        t = np.empty((len(idx), n), np.int64)
        t[:, 0] = first
        np.cumsum(steps * scale[:, None] + base[:, None], axis=1, out=t[:, 1:])
        t[:, 1:] += first[:, None]
        v_raw = raw[:, t_bytes : t_bytes + 4 * n].reshape(len(idx), 4, n).transpose(0, 2, 1)
        v = np.ascontiguousarray(v_raw).view(np.float32).reshape(len(idx), n)
        q = raw[:, t_bytes + 4 * n :]
        if idx.shape[0] == len(parts):  # one length for all: rows are already in order
            return DecodedChunks(chans, t.ravel(), v.ravel(), q.ravel(), bounds)
        # scatter the group's rows into their places in the flat output
        where = (bounds[idx][:, None] + np.arange(n)[None, :]).ravel()
        times[where] = t.ravel()
        values[where] = v.ravel()
        quality[where] = q.ravel()
    return DecodedChunks(chans, times, values, quality, bounds)


def latest_at(
    channels: Sequence[int] | np.ndarray, blobs: Sequence[bytes], t_us: int
) -> DecodedChunks:
    """Each chunk's latest sample at or before t (every chunk must start at or before t).

    Regular chunks find it by arithmetic; irregular ones decode their times, grouped by length
    as 2-D arrays. Values and quality are read at that one position only.
    """
    decompressor = zstandard.ZstdDecompressor()
    k = len(blobs)
    parts = [_payload(blob, decompressor) for blob in blobs]
    times = np.empty(k, np.int64)
    picked = np.empty((k, 5), np.uint8)
    irregular: dict[int, list[int]] = {}
    for i, (n, t_first, base, raw, flags, _scale) in enumerate(parts):
        if not flags & FLAG_REGULAR:
            irregular.setdefault(n, []).append(i)
            continue
        j = n - 1 if base <= 0 else min(n - 1, max(0, (t_us - t_first) // base))
        times[i] = t_first + j * base
        off = 8 * (n - 1) + j
        picked[i] = (raw[off], raw[off + n], raw[off + 2 * n], raw[off + 3 * n], raw[off + 4 * n])
    for n, members in irregular.items():
        idx = np.array(members)
        g = idx.shape[0]
        raw = np.frombuffer(b"".join(parts[i][3] for i in members), np.uint8).reshape(g, -1)
        planes = raw[:, : 8 * (n - 1)].reshape(g, 8, n - 1).transpose(0, 2, 1)
        steps = _unzigzag(np.ascontiguousarray(planes).view(np.uint64).reshape(g, n - 1))
        first = np.array([parts[i][1] for i in members], np.int64)
        base = np.array([parts[i][2] for i in members], np.int64)
        scale = np.array([parts[i][5] for i in members], np.int64)
        t = np.empty((g, n), np.int64)
        t[:, 0] = first
        np.cumsum(steps * scale[:, None] + base[:, None], axis=1, out=t[:, 1:])
        t[:, 1:] += first[:, None]
        eligible = np.where(t <= t_us, t, np.iinfo(np.int64).min)
        j = n - 1 - np.argmax(eligible[:, ::-1], axis=1)  # latest time; of equals, the later
        rows = np.arange(g)
        times[idx] = t[rows, j]
        off = 8 * (n - 1) + j
        picked[idx] = np.stack([raw[rows, off + c * n] for c in range(5)], axis=1)
    values = np.ascontiguousarray(picked[:, :4]).view(np.float32).ravel()
    return DecodedChunks(
        np.asarray(channels, np.uint32),
        times,
        values,
        picked[:, 4].copy(),
        np.arange(k + 1, dtype=np.int64),
    )
