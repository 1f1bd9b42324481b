"""Tail chunks: samples still staged are saved with every commit, so a killed writer loses at
most one commit interval, not a chunk's age; a channel's tails are deleted in the transaction
that writes its cut chunk, so every sample is stored exactly once whenever the process dies.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sqlalchemy import Connection, delete, insert

from backend_client.recording.chunk_codec import EncodedChunk, encode_rows
from backend_client.recording.schema import ChunkRow
from backend_client.recording.stager import ChannelStager

DELETE_BATCH = 10_000


class TailLedger:
    """Which tail chunks each channel has in the database, and which channels were cut since."""

    def __init__(self, zstd_level: int) -> None:
        self.zstd_level = zstd_level
        self._ids: dict[int, list[int]] = {}
        self._cut: set[int] = set()

    def cut(self, channels: np.ndarray) -> None:
        """These channels' rows were cut into chunks: their tails go with the next commit."""
        self._cut.update(channels.tolist())

    def encode(self, stage: ChannelStager) -> list[EncodedChunk]:
        """Chunks of what was staged since the last call (they stay staged)."""
        rows = stage.take_unsaved()
        if rows is None:
            return []
        return encode_rows(
            rows.channels, rows.times_us, rows.values, rows.quality, rows.lengths, self.zstd_level
        )

    def replace(self, conn: Connection, tail: list[EncodedChunk]) -> Callable[[], int]:
        """Delete the tails of cut channels and insert the new ones, inside the caller's
        transaction; call what it returns once that commits (it returns the tails written)."""
        cut = [c for c in self._cut if c in self._ids]
        stale = [i for c in cut for i in self._ids[c]]
        for at in range(0, len(stale), DELETE_BATCH):
            conn.execute(delete(ChunkRow).where(ChunkRow.id.in_(stale[at : at + DELETE_BATCH])))
        saved: list[tuple[int, int]] = []
        if tail:
            rows = [
                {"channel": c.channel, "t_start": c.t_start, "t_end": c.t_end, "n": c.n,
                 "data": c.data}
                for c in tail
            ]  # fmt: skip
            result = conn.execute(insert(ChunkRow).returning(ChunkRow.channel, ChunkRow.id), rows)
            saved = [(int(ch), int(ident)) for ch, ident in result.all()]

        def committed() -> int:
            for channel in cut:
                del self._ids[channel]
            self._cut.clear()
            for channel, ident in saved:
                self._ids.setdefault(channel, []).append(ident)
            return len(saved)

        return committed
