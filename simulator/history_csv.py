"""The closed-loop archive as CSV: one row per operator step, times in ISO 8601 UTC."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from simulator.alarms import ArchivedStep

CSV_COLUMNS = (
    "time_utc",
    "alarm",
    "occurrence_raised_utc",
    "action",
    "detail",
    "user",
    "role",
    "host",
    "note",
)


def iso_utc(time_us: int) -> str:
    """Microseconds since the epoch as ISO 8601 UTC with a Z; empty for 0 (no occurrence)."""
    if time_us == 0:
        return ""
    stamp = datetime.fromtimestamp(time_us / 1e6, tz=UTC).isoformat(timespec="milliseconds")
    return stamp.replace("+00:00", "Z")


def steps_to_csv(steps: Iterable[ArchivedStep]) -> str:
    """CSV text with a header row; the same text the `export` op returns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in steps:
        s = a.step
        writer.writerow(
            [
                iso_utc(s.time_us),
                a.alarm_id,
                iso_utc(a.raised_us),
                s.action,
                s.detail,
                s.user,
                s.role,
                s.host,
                s.note,
            ]
        )
    return out.getvalue()
