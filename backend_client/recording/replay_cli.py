"""lifeline-replay: serve a recorded incident (or a time range) over protocol v1, so every
console of a wall attached to it replays in step.

lifeline-replay DB --incident ID | --from ISO --to ISO [--speed X] [--loop] [--paused]
                [--pub tcp://*:5556] [--router tcp://*:5557] [--trainee NAME]
lifeline-replay DB --list | --export ID FILE | --import FILE

After binding it prints one line, `LIFELINE-REPLAY READY {"pub": ..., "rpc": ..., ...}`.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from sqlalchemy.exc import SQLAlchemyError

from backend_client.recording.incident_file import (
    IncidentFileError,
    check_incident_file,
    export_incident,
    import_incident,
)
from backend_client.recording.incidents import IncidentLibrary, IncidentNotFoundError
from backend_client.recording.reader import RecordingReader
from backend_client.recording.replay_server import ReplayServer, ReplayServerConfig
from backend_client.recording.store import RecordingStore
from backend_client.recording.training import TrainingLog

READY_PREFIX = "LIFELINE-REPLAY READY "
log = logging.getLogger("lifeline-replay")


def parse_time(text: str) -> int:
    """ISO 8601 (a time without zone is UTC) to us since the epoch."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1e6)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lifeline-replay",
        description="Serve a recording over the Lifeline protocol so a whole wall replays it.",
    )
    p.add_argument("db", metavar="DB", help="recording: SQLite file, incident file or URL")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--incident", type=int, metavar="ID", help="replay this incident's range")
    what.add_argument("--from", dest="t0", type=parse_time, metavar="ISO", help="range start")
    p.add_argument("--to", dest="t1", type=parse_time, metavar="ISO", help="range end")
    p.add_argument("--speed", type=float, default=1.0, help="0.25 to 64 (default 1)")
    p.add_argument("--loop", action="store_true", help="start over at the end")
    p.add_argument("--paused", action="store_true", help="wait for a trainer's play")
    p.add_argument("--pub", default="tcp://127.0.0.1:5556", help="PUB endpoint (port * = random)")
    p.add_argument("--router", "--rpc", dest="rpc", default="tcp://127.0.0.1:5557")
    p.add_argument(
        "--trainee",
        metavar="NAME",
        help="training: acknowledgements are kept as this trainee's and scored",
    )
    share = p.add_argument_group("incidents (print, then exit; nothing is served)")
    share.add_argument("--list", action="store_true", help="propose incidents, then list them")
    share.add_argument("--export", nargs=2, metavar=("ID", "FILE"), help="incident ID to FILE")
    share.add_argument("--import", dest="import_file", metavar="FILE", help="an incident file")
    p.add_argument("--log-level", default="INFO")
    return p


def iso(t_us: int) -> str:
    return datetime.fromtimestamp(t_us / 1e6, UTC).isoformat(timespec="seconds")


def share(store: RecordingStore, args: argparse.Namespace) -> None:
    """--list, --export, --import: one line per incident on stdout."""
    library = IncidentLibrary(store)
    if args.import_file:
        incident = import_incident(store, args.import_file)
        print(f"imported {args.import_file} as incident {incident.id}: {incident.title}")
    if args.export:
        summary = export_incident(store, int(args.export[0]), args.export[1])
        c = summary.counts
        print(
            f"exported incident {summary.incident.id} to {summary.path}: {summary.bytes} bytes, "
            f"{c.samples} samples in {c.chunks} chunks, {c.alarm_events} alarm events, "
            f"{c.actions} actions"
        )
    if args.list:
        library.propose()
        for i in library.search():
            level = "-" if i.max_level is None else f"level {i.max_level}"
            print(
                f"{i.id:5d}  {i.kind:8s}  {iso(i.start_us)} .. {iso(i.end_us)}  {level:8s}  "
                f"{i.alarm_count:3d} alarms  {i.title}"
            )


def resolve_range(
    store: RecordingStore, args: argparse.Namespace
) -> tuple[int | None, int | None, int | None]:
    """(start, end, incident id) from the options; an incident file alone names its incident."""
    if args.incident is not None:
        incident = IncidentLibrary(store).get(args.incident)
        return incident.start_us, incident.end_us, incident.id
    if args.t0 is not None or args.t1 is not None:
        return args.t0, args.t1, None
    path = Path(args.db)
    if path.is_file():
        try:
            uid = check_incident_file(path)
        except IncidentFileError:
            return None, None, None  # a plain recording: all of it
        incident = IncidentLibrary(store).by_uid(uid)
        if incident is not None:
            return incident.start_us, incident.end_us, incident.id
    return None, None, None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of lifeline-replay."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        store = RecordingStore(args.db)
        if args.list or args.export or args.import_file:
            try:
                share(store, args)
            finally:
                store.close()
            return 0
        start, end, incident_id = resolve_range(store, args)
        session = None
        if args.trainee:
            span = store_span(store, start, end)
            session = TrainingLog(store).start_session(args.trainee, incident_id, *span)
        config = ReplayServerConfig(
            pub=args.pub,
            rpc=args.rpc,
            speed=args.speed,
            loop=args.loop,
            playing=not args.paused,
            training_session=session,
        )
        server = ReplayServer(store, start, end, config)
    except (IncidentNotFoundError, ValueError, OSError, SQLAlchemyError) as exc:
        log.error("lifeline-replay %s: %s", args.db, exc)
        return 2
    ready = {
        "pub": server.pub_endpoint,
        "rpc": server.rpc_endpoint,
        "instance": server.instance,
        "start": server.source.start_us,
        "end": server.source.end_us,
        "training_session": session,
    }

    def on_signal(signum: int, frame: FrameType | None) -> None:
        server.request_stop()

    # handlers before READY: whoever waits for that line may stop us the moment it arrives
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(READY_PREFIX + json.dumps(ready), flush=True)
    try:
        server.run()
    finally:
        server.stop()
        store.close()
    return 0


def store_span(store: RecordingStore, start: int | None, end: int | None) -> tuple[int, int]:
    """The range a training session covers: the one given, else the whole recording."""
    span = RecordingReader(store).time_span()
    lo = start if start is not None else span[0] if span else None
    hi = end if end is not None else span[1] if span else None
    if lo is None or hi is None:
        raise ValueError("the recording holds no samples")
    return lo, hi


if __name__ == "__main__":
    raise SystemExit(main())
