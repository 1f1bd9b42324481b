"""Typed settings of a recording: where it goes, how samples are chunked, what is kept."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_db_path() -> Path:
    """$XDG_STATE_HOME (or ~/.local/state)/lifeline-recorder/recording.sqlite."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "lifeline-recorder" / "recording.sqlite"


def database_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL from a URL, a file path or None (the default file)."""
    if target is None:
        target = default_db_path()
    text = str(target)
    if "://" in text:
        return text
    path = Path(text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


@dataclass(frozen=True, slots=True)
class RecordingConfig:
    """How the writer chunks, batches and sheds; every number bounds memory or loss."""

    chunk_samples: int = 1024  # a channel's chunk is written when it holds this many samples ...
    max_chunk_age_s: float = 600.0  # ... or when its first sample was staged this long ago
    stage_budget_samples: int = 8_000_000  # staging memory (13 bytes a sample) across channels
    queue_samples: int = 4_000_000  # telemetry waiting for the writer; beyond it, batches shed
    queue_events: int = 100_000  # alarm changes and actions waiting; beyond it, they shed
    commit_interval_s: float = 0.5  # one transaction at most this often while busy
    # with each commit, also save samples still staged as small tail chunks (replaced once their
    # chunk is cut): a killed recorder loses at most the last commit interval, not max_chunk_age_s
    save_tail: bool = True
    keep_raw_days: float | None = 30.0  # retention of sample chunks; None keeps everything
    retention_interval_s: float = 3600.0
    zstd_level: int = 3

    def __post_init__(self) -> None:
        if self.chunk_samples < 2:
            raise ValueError(f"chunk_samples must be >= 2, got {self.chunk_samples}")
        if self.max_chunk_age_s <= 0:
            raise ValueError(f"max_chunk_age_s must be > 0, got {self.max_chunk_age_s}")
        if self.keep_raw_days is not None and self.keep_raw_days <= 0:
            raise ValueError(f"keep_raw_days must be > 0 or None, got {self.keep_raw_days}")
