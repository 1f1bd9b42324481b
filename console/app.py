"""lifeline-console: parse the command line, start the demo backend if asked, run the window."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from backend_client.topics import interest_argument
from console.config import ConfigError, ConsoleConfig, apply_overrides, load_config
from console.demo_backend import DemoBackend, DemoBackendError
from console.wall_layout import WallLayout, WallLayoutError, assign_screens, load_wall_layout

log = logging.getLogger("lifeline-console")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lifeline-console",
        description="Operator console for a city lifeline command center.",
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--demo", action="store_true", help="start the bundled simulator and connect to it"
    )
    source.add_argument(
        "--connect", metavar="HOST", help="connect to a backend on HOST (ports 5556 and 5557)"
    )
    source.add_argument(
        "--replay", metavar="DB", help="replay a recording (SQLite file or URL) instead of live"
    )
    p.add_argument("--pub", metavar="ENDPOINT", help="backend PUB endpoint (overrides --connect)")
    p.add_argument("--rpc", metavar="ENDPOINT", help="backend ROUTER endpoint")
    p.add_argument("--config", metavar="FILE", help="TOML file with a [console] table")
    p.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="with --demo: start a simulator scenario (see lifeline-sim --list-scenarios)",
    )
    p.add_argument(
        "--demo-scale",
        type=int,
        metavar="N",
        help="with --demo: simulate the demo district tiled N times (100 = 40,900 sensors)",
    )
    p.add_argument(
        "--interest",
        action="append",
        default=[],
        type=interest_argument,
        metavar="DOMAIN[/AREA]",
        help="receive only this telemetry (repeatable): gas, water/A1, D03: (a district); "
        "default everything; alarms always all",
    )
    p.add_argument("--user", help="operator name carried with every command")
    p.add_argument("--role", help="role carried with every command")
    p.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="log in as --user with the password on FILE's first line (backends with user "
        "accounts); role wall logs in at a wall seat",
    )
    p.add_argument(
        "--curve",
        type=Path,
        metavar="CONFIG",
        help="CurveZMQ: TOML with a [client] table (this console's key pair, the server's key)",
    )
    p.add_argument(
        "--shifts", help="shifts for the alarm KPIs, local time (default 08-16,16-24,00-08)"
    )
    p.add_argument("--fps", type=float, help="display refresh rate (default 30)")
    p.add_argument(
        "--list-screens",
        action="store_true",
        help="print this machine's screens (index, name, size, scale) for wall layouts and exit",
    )
    p.add_argument("--theme", help="dark (default), light or high-contrast")
    p.add_argument("--lang", help="en (default) or zh_CN")
    p.add_argument(
        "--wall",
        metavar="LAYOUT",
        help="video-wall seat: a layout file mapping screens to views (resources/layouts/...)",
    )
    p.add_argument(
        "--record",
        metavar="DB",
        help="record everything this seat receives and sends into DB (SQLite file or URL)",
    )
    replay = p.add_argument_group("replay (with --replay)")
    replay.add_argument("--incident", type=int, metavar="ID", help="replay this incident")
    replay.add_argument(
        "--from", dest="replay_from", metavar="ISO", help="replay from this time (no zone: UTC)"
    )
    replay.add_argument(
        "--to", dest="replay_to", metavar="ISO", help="replay up to this time (no zone: UTC)"
    )
    replay.add_argument(
        "--speed", type=float, metavar="X", help="start playing at once at X (0.25 to 64)"
    )
    p.add_argument("--screenshot", metavar="FILE", help="save the window to FILE (PNG)")
    p.add_argument(
        "--quit-after", type=float, metavar="SECONDS", help="take the screenshot, then exit"
    )
    p.add_argument("--size", default="1920x1080", help="window size WxH (default 1920x1080)")
    p.add_argument("--log-level", default="INFO")
    return p


def resolve_config(args: argparse.Namespace) -> ConsoleConfig:
    """File first, then the command line; errors name where the bad value came from."""
    config = load_config(args.config)
    overrides: dict[str, object] = {}
    if args.connect:
        overrides["pub"] = f"tcp://{args.connect}:5556"
        overrides["rpc"] = f"tcp://{args.connect}:5557"
    for name in ("pub", "rpc", "user", "role", "shifts", "record", "theme"):
        if getattr(args, name):
            overrides[name] = getattr(args, name)
    if args.fps:
        overrides["display_fps"] = args.fps
    if args.lang:
        overrides["language"] = args.lang
    return apply_overrides(config, overrides, "command line")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = resolve_config(args)
        width, height = (int(v) for v in args.size.lower().split("x"))
    except (ConfigError, ValueError) as exc:
        print(f"lifeline-console: {exc}", file=sys.stderr)
        return 2
    if args.list_screens:
        return list_screens()
    if (args.scenario or args.demo_scale) and not args.demo:
        print("lifeline-console: --scenario and --demo-scale need --demo", file=sys.stderr)
        return 2
    replay_only = (args.incident, args.replay_from, args.replay_to, args.speed)
    if not args.replay and any(v is not None for v in replay_only):
        print(
            "lifeline-console: --incident, --from, --to and --speed need --replay", file=sys.stderr
        )
        return 2
    if args.replay:
        if args.wall:
            print("lifeline-console: --wall shows a live backend, not --replay", file=sys.stderr)
            return 2
        return run_replay(config, args, (width, height))
    wall: WallLayout | None = None
    if args.wall:
        try:
            wall = load_wall_layout(args.wall)
        except WallLayoutError as exc:
            print(f"lifeline-console: {exc}", file=sys.stderr)
            return 2
        if config.role != "wall":
            log.info("a wall seat runs as the read-only wall role (not %r)", config.role)
            config = apply_overrides(config, {"role": "wall"}, "--wall")

    demo: DemoBackend | None = None
    if args.demo:
        extra = ["--scale", str(args.demo_scale)] if args.demo_scale else []
        demo = DemoBackend(scenarios=args.scenario, extra_args=extra)
        try:
            endpoints = demo.start()
        except DemoBackendError as exc:
            print(f"lifeline-console: {exc}", file=sys.stderr)
            return 1
        config = apply_overrides(config, {"pub": endpoints.pub, "rpc": endpoints.rpc}, "demo")
    try:
        return run_gui(config, args, (width, height), wall)
    finally:
        if demo is not None:
            demo.stop()


def list_screens() -> int:
    """What a wall layout can name: screens by index or by name."""
    from PySide6.QtWidgets import QApplication

    from console.wall_seat import wall_screens

    app = QApplication.instance() or QApplication(sys.argv[:1])
    for i, screen in enumerate(wall_screens(app)):
        g = screen.geometry()
        print(
            f"{i}  {screen.name()!r}  {g.width()}x{g.height()} at {g.x()},{g.y()}  "
            f"scale {screen.devicePixelRatio():g}  {screen.logicalDotsPerInch():.0f} dpi"
        )
    return 0


def run_gui(
    config: ConsoleConfig,
    args: argparse.Namespace,
    size: tuple[int, int],
    wall: WallLayout | None = None,
) -> int:
    """Build the Qt side; imported late so --help works without a display."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from backend_client.client import BackendClient, ClientConfig, Identity
    from backend_client.model.console_model import ConsoleModel
    from console.main_window import MainWindow
    from console.model_bridge import ModelBridge

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Lifeline Console")
    start_qt_look(app, config)
    if wall is not None:  # the layout's screens must exist before anything is built
        from console.wall_seat import wall_screens

        try:
            assign_screens(wall, [screen.name() for screen in wall_screens(app)])
        except WallLayoutError as exc:
            print(f"lifeline-console: {exc}", file=sys.stderr)
            return 2

    from backend_client.security import CurveConfigError, load_curve_config

    identity = Identity(user=config.user, role=config.role, host=socket.gethostname())
    try:
        curve = load_curve_config(args.curve).client if args.curve else None
        if args.curve and curve is None:
            raise CurveConfigError(f"{args.curve}: a console needs a [client] table")
    except CurveConfigError as exc:
        log.error("cannot use the curve configuration: %s", exc)
        return 2
    endpoints = ClientConfig(
        pub=config.pub, rpc=config.rpc, interests=tuple(args.interest), curve=curve
    )
    recording = open_recording(config.record) if config.record else None
    if recording is not None:  # the same model and client, also handing everything to the store
        from backend_client.recording.tap import RecordingClient, RecordingModel

        model: ConsoleModel = RecordingModel(recording[1], buffer_capacity=config.buffer_capacity)
        client: BackendClient = RecordingClient(model, endpoints, identity)
    else:
        model = ConsoleModel(buffer_capacity=config.buffer_capacity)
        client = BackendClient(model, endpoints, identity)
    bridge = ModelBridge(model, fps=config.display_fps)
    wall_seat = None
    if wall is not None:  # one full-screen window per screen of the layout, read-only
        from console.wall_seat import WallSeat

        wall_seat = WallSeat(
            app, wall, model, bridge, config, client.history, config.user, config.role
        )
        wall_seat.show()
    else:
        window = MainWindow(model, bridge, client, config)
        window.resize(*size)
        window.show()
    client.start()
    if args.password_file:  # a backend with user accounts acts as this login, not as --role
        password = args.password_file.read_text(encoding="utf-8").splitlines()[0]
        seat = "wall" if config.role == "wall" else "desk"
        client.login(config.user, password, seat)
    bridge.start()
    # frame statistics describe the live console, not start-up (catalog, city, first 3D build)
    bridge.cityLoaded.connect(lambda: QTimer.singleShot(2000, bridge.reset_frame_stats))

    try:
        if wall_seat is not None:
            return exec_window(app, args, wall_seat.shutdown, wall_seat.screenshots)
        return exec_window(
            app,
            args,
            window.scene_view.scene.shutdown,
            window_screenshot(window),
            window.show_first_alarm_if_none,
        )
    finally:
        log.info("GUI frames since live: %s", json.dumps(bridge.frame_time_summary()))
        bridge.stop()
        client.stop()
        if recording is not None:
            store, writer = recording
            writer.stop()
            store.close()
            log.info("recording: %s", writer.stats)


def start_qt_look(app: Any, config: ConsoleConfig) -> None:
    """Theme and language for the whole application (the translator is parented to app)."""
    from console.language import install_language
    from widgets.theme import apply_theme

    apply_theme(app, config.theme)
    install_language(app, config.language)


def exec_window(
    app: Any,
    args: argparse.Namespace,
    shutdown: Callable[[], None],
    screenshot: Callable[[str], list[Path]],
    prepare: Callable[[], None] | None = None,
) -> int:
    """Run Qt's loop: quit on SIGINT/SIGTERM, and take the screenshot / quit when asked.

    shutdown stops the 3D render threads before Qt goes; screenshot writes the PNG(s) for a
    path; prepare runs a little before the screenshot (fill a details panel, say)."""
    from pyqtgraph.util.garbage_collector import GarbageCollector
    from PySide6.QtCore import QTimer

    # Python's cyclic GC runs in whichever thread allocates; collecting a Qt object on the client
    # or render thread deadlocked the GUI against Qt's connection lock (seen in a 30-min soak).
    # Automatic collection off; the GUI thread collects once a second instead.
    collector = GarbageCollector(interval=1.0)
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    app.aboutToQuit.connect(shutdown)  # render threads end first
    wake = QTimer()
    wake.start(250)  # lets Python run its signal handlers while Qt's loop runs
    wake.timeout.connect(lambda: None)

    def finish() -> None:
        if args.screenshot:
            for path in screenshot(args.screenshot):
                log.info("screenshot written to %s", path)
        if args.quit_after is not None:
            app.quit()

    if args.screenshot or args.quit_after is not None:
        delay = args.quit_after if args.quit_after is not None else 10.0
        if args.screenshot and prepare is not None:  # e.g. time to fetch a trend's history
            QTimer.singleShot(int(delay * 700), prepare)
        QTimer.singleShot(int(delay * 1000), finish)
    try:
        return app.exec()
    finally:
        # automatic collection stays off to the end: at exit, objects freed while PySide
        # disconnects a signal (holding Qt's connection lock) allocate, an automatic collection
        # started there disconnects again and waits on that lock forever (gdb, a screenshot run)
        collector.timer.stop()
        gc.collect()


def window_screenshot(window: Any) -> Callable[[str], list[Path]]:
    """Screenshots of a desk window: the window with its 3D frame composed in."""
    from console.screenshot import grab_window, save_png

    return lambda path: [save_png(grab_window(window, window.gl_frames()), path)]


def open_recording(db: str) -> tuple[Any, Any]:
    """(store, started writer) for recording this seat into a SQLite file or database URL."""
    from backend_client.recording.config import RecordingConfig, database_url
    from backend_client.recording.store import RecordingStore
    from backend_client.recording.writer import RecordingWriter

    store = RecordingStore(database_url(db))
    writer = RecordingWriter(store, RecordingConfig())
    writer.start()
    log.info("recording this seat into %s", db)
    return store, writer


def replay_args_error(args: argparse.Namespace) -> str | None:
    """What is wrong with the replay options, if anything."""
    if args.record:
        return "--record cannot be used with --replay (a replay records nothing)"
    if "://" not in args.replay and not Path(args.replay).is_file():
        return f"no recording at {args.replay}"  # never create an empty one
    if args.incident is not None and (args.replay_from or args.replay_to):
        return "--incident and --from/--to choose the range two ways: give one"
    if args.speed is not None and not 0.25 <= args.speed <= 64:
        return f"--speed must be 0.25 to 64, got {args.speed}"
    return None


def run_replay(config: ConsoleConfig, args: argparse.Namespace, size: tuple[int, int]) -> int:
    """--replay: the same window fed by a ReplaySource; acknowledgements are training actions."""
    from backend_client.model.replay_timeline import parse_time

    error = replay_args_error(args)
    try:
        t0 = parse_time(args.replay_from) if args.replay_from else None
        t1 = parse_time(args.replay_to) if args.replay_to else None
    except ValueError as exc:
        error = error or str(exc)
    if error:
        print(f"lifeline-console: {error}", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from backend_client.recording.config import database_url
    from backend_client.recording.incidents import IncidentNotFoundError
    from backend_client.recording.store import RecordingStore

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Lifeline Console (replay)")
    start_qt_look(app, config)
    store = RecordingStore(database_url(args.replay))  # no writer: recorded data stays as it was
    try:
        window, session, bridge = build_replay_window(config, store, args.incident, t0, t1)
    except (IncidentNotFoundError, ValueError) as exc:
        print(f"lifeline-console: {args.replay}: {exc}", file=sys.stderr)
        store.close()
        return 2
    window.resize(*size)
    window.show()
    bridge.start()
    session.start()
    if args.speed is not None:
        session.set_speed(args.speed)
        session.play()

    try:
        return exec_window(
            app,
            args,
            window.scene_view.scene.shutdown,
            window_screenshot(window),
            window.show_first_alarm_if_none,
        )
    finally:
        session.stop()
        bridge.stop()
        session.seat.stop()
        store.close()


def build_replay_window(
    config: ConsoleConfig,
    store: Any,
    incident_id: int | None = None,
    t0_us: int | None = None,
    t1_us: int | None = None,
) -> tuple[Any, Any, Any]:
    """(window, session, bridge) of a replay seat on an open recording: the live window fed by a
    ReplaySource over the incident or range (None: the whole recording), a ReplaySeat as its
    client, the replay bar and panels; nothing started. Raises IncidentNotFoundError or
    ValueError for a range the recording cannot replay."""
    from backend_client.client import Identity
    from backend_client.model.alarm_kpis import AlarmEventLog
    from backend_client.model.console_model import ConsoleModel
    from backend_client.model.replay_training import ReplaySeat
    from backend_client.recording.reader import RecordingReader
    from backend_client.recording.training import TrainingLog
    from console.main_window import MainWindow
    from console.model_bridge import ModelBridge
    from views.replay_session import ReplaySession

    model = ConsoleModel(buffer_capacity=config.buffer_capacity)
    identity = Identity(user=config.user, role=config.role, host=socket.gethostname())
    seat = ReplaySeat(
        model, RecordingReader(store), lambda: round(model.clock() * 1e6), identity,
        TrainingLog(store),
    )  # fmt: skip
    session = ReplaySession(store, model, seat, config.display_fps, desk=config.role != "wall")
    try:
        session.propose_incidents()
        if incident_id is not None:
            session.load_incident(session.library.get(incident_id))
        else:
            session.load_range(t0_us, t1_us)
    except Exception:
        seat.stop()
        raise
    bridge = ModelBridge(model, fps=config.display_fps)
    window = MainWindow(model, bridge, seat, config)  # type: ignore[arg-type]  # a client's API
    panels = [("Incidents", session.library_view)]
    if session.score_view is not None:
        panels.append(("Training score", session.score_view))
    window.show_replay(session.bar, panels)
    session.trainingAckRecorded.connect(lambda _id: window.show_training_score())
    # the KPIs count what was seen since a time: going back in the recording starts them over
    kpis = window.alarm_kpis
    session.rewound.connect(lambda t_us: setattr(kpis, "log", AlarmEventLog(started_us=t_us)))
    return window, session, bridge
