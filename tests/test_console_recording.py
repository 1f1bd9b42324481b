"""A console seat records what it receives when asked to (--record), into a real SQLite file."""

import subprocess
import sys

from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore


def test_a_seat_started_with_record_leaves_a_readable_recording(tmp_path):
    db = tmp_path / "seat.sqlite"
    args = ["--demo", "--scenario", "gas-leak", "--record", str(db), "--quit-after", "12"]
    result = subprocess.run(
        [sys.executable, "-m", "console", *args, "--size", "1280x800"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    store = RecordingStore(db)
    try:
        reader = RecordingReader(store)
        span = reader.time_span()
        assert span is not None and span[1] > span[0]
        batch = reader.samples(list(range(20)), span[0], span[1])
        assert len(batch) > 0
        assert reader.alarms_at(span[1]) is not None
    finally:
        store.close()
