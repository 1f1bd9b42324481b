"""lifeline-recorder: record a backend headless (telemetry, alarms, operator steps) to a database.

lifeline-recorder --connect HOST [--db URL] [--keep-days 30] [--duration S]
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType

from backend_client.client import ClientConfig, Identity
from backend_client.recording.config import RecordingConfig, database_url, default_db_path
from backend_client.recording.store import RecordingStore
from backend_client.recording.tap import RecordingClient, RecordingModel
from backend_client.recording.writer import RecordingWriter

log = logging.getLogger("lifeline-recorder")
DEFAULTS = RecordingConfig()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lifeline-recorder",
        description="Record everything a Lifeline backend publishes into a database.",
    )
    p.add_argument("--connect", metavar="HOST", help="backend on HOST (ports 5556 and 5557)")
    p.add_argument("--pub", metavar="ENDPOINT", help="backend PUB endpoint (overrides --connect)")
    p.add_argument("--rpc", metavar="ENDPOINT", help="backend ROUTER endpoint")
    p.add_argument(
        "--db",
        metavar="URL",
        help=f"SQLAlchemy URL or SQLite file (default {default_db_path()}); "
        "e.g. postgresql+psycopg2://user@host/db",
    )
    p.add_argument(
        "--keep-days",
        type=float,
        default=30.0,
        help="delete sample chunks older than this (0: keep all; default 30)",
    )
    p.add_argument("--chunk-samples", type=int, default=DEFAULTS.chunk_samples)
    p.add_argument(
        "--max-chunk-age",
        type=float,
        default=DEFAULTS.max_chunk_age_s,
        help="seconds a partial chunk may wait before it is written",
    )
    p.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this long")
    p.add_argument("--user", default="lifeline-recorder")
    p.add_argument("--role", default="wall", help="role sent with requests (default wall: reads)")
    p.add_argument("--log-level", default="INFO")
    return p


def endpoints(args: argparse.Namespace) -> ClientConfig:
    """The backend endpoints from --connect / --pub / --rpc, as lifeline-console takes them."""
    defaults = ClientConfig()
    pub, rpc = defaults.pub, defaults.rpc
    if args.connect:
        pub, rpc = f"tcp://{args.connect}:5556", f"tcp://{args.connect}:5557"
    return ClientConfig(pub=args.pub or pub, rpc=args.rpc or rpc)


def summary(writer: RecordingWriter, url: str) -> str:
    """The one line printed on exit."""
    s = writer.stats
    per = s.chunk_bytes / s.samples_written if s.samples_written else 0.0
    return (
        f"lifeline-recorder: {s.samples_written} samples in {s.chunks_written} chunks "
        f"({per:.2f} B/sample), {s.events_written} alarm/action/catalog rows, "
        f"shed {s.shed_samples} samples and {s.shed_events} events, "
        f"{s.failed_commits} failed commits -> {url}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of lifeline-recorder."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        config = RecordingConfig(
            chunk_samples=args.chunk_samples,
            max_chunk_age_s=args.max_chunk_age,
            keep_raw_days=args.keep_days or None,
        )
        url = database_url(args.db)
        store = RecordingStore(url)
    except Exception as exc:  # bad option, unreachable database, failed migration
        log.error("cannot open the recording %s: %s", args.db or default_db_path(), exc)
        return 2
    writer = RecordingWriter(store, config)
    writer.start()
    model = RecordingModel(writer, buffer_capacity=16, keep_buffers=False)
    identity = Identity(user=args.user, role=args.role, host=socket.gethostname())
    client = RecordingClient(model, endpoints(args), identity)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    client.start()
    log.info("recording %s / %s into %s", client.config.pub, client.config.rpc, url)
    deadline = None if args.duration is None else time.monotonic() + args.duration
    try:
        while not stop.wait(0.5):  # short waits: a signal is handled promptly
            if deadline is not None and time.monotonic() >= deadline:
                break
    finally:
        client.stop()
        writer.stop()
        store.close()
    print(summary(writer, url), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
