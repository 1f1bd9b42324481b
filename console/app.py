"""lifeline-console: parse the command line, start the demo backend if asked, run the window."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import socket
import sys
from importlib.resources import files
from typing import Any

from console.config import ConfigError, ConsoleConfig, apply_overrides, load_config
from console.demo_backend import DemoBackend, DemoBackendError

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
    p.add_argument("--user", help="operator name carried with every command")
    p.add_argument("--role", help="role carried with every command")
    p.add_argument(
        "--shifts", help="shifts for the alarm KPIs, local time (default 08-16,16-24,00-08)"
    )
    p.add_argument("--fps", type=float, help="display refresh rate (default 30)")
    p.add_argument(
        "--record",
        metavar="DB",
        help="record everything this seat receives and sends into DB (SQLite file or URL)",
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
    for name in ("pub", "rpc", "user", "role", "shifts", "record"):
        if getattr(args, name):
            overrides[name] = getattr(args, name)
    if args.fps:
        overrides["display_fps"] = args.fps
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
    if (args.scenario or args.demo_scale) and not args.demo:
        print("lifeline-console: --scenario and --demo-scale need --demo", file=sys.stderr)
        return 2

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
        return run_gui(config, args, (width, height))
    finally:
        if demo is not None:
            demo.stop()


def run_gui(config: ConsoleConfig, args: argparse.Namespace, size: tuple[int, int]) -> int:
    """Build the Qt side; imported late so --help works without a display."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from backend_client.client import BackendClient, ClientConfig, Identity
    from backend_client.model.console_model import ConsoleModel
    from console.main_window import MainWindow
    from console.model_bridge import ModelBridge
    from console.screenshot import grab_window, save_png

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Lifeline Console")
    app.setStyleSheet((files("resources") / "styles" / f"{config.theme}.qss").read_text("utf-8"))

    identity = Identity(user=config.user, role=config.role, host=socket.gethostname())
    endpoints = ClientConfig(pub=config.pub, rpc=config.rpc)
    recording = open_recording(config.record) if config.record else None
    if recording is not None:  # the same model and client, also handing everything to the store
        from backend_client.recording.tap import RecordingClient, RecordingModel

        model: ConsoleModel = RecordingModel(recording[1], buffer_capacity=config.buffer_capacity)
        client: BackendClient = RecordingClient(model, endpoints, identity)
    else:
        model = ConsoleModel(buffer_capacity=config.buffer_capacity)
        client = BackendClient(model, endpoints, identity)
    bridge = ModelBridge(model, fps=config.display_fps)
    window = MainWindow(model, bridge, client, config)
    window.resize(*size)
    window.show()
    client.start()
    bridge.start()
    # frame statistics describe the live console, not start-up (catalog, city, first 3D build)
    bridge.cityLoaded.connect(lambda: QTimer.singleShot(2000, bridge.reset_frame_stats))

    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()
    wake.start(250)  # lets Python run its signal handlers while Qt's loop runs
    wake.timeout.connect(lambda: None)

    def finish() -> None:
        if args.screenshot:
            path = save_png(grab_window(window, window.gl_frames()), args.screenshot)
            log.info("screenshot written to %s", path)
        if args.quit_after is not None:
            app.quit()

    if args.screenshot or args.quit_after is not None:
        delay = args.quit_after if args.quit_after is not None else 10.0
        if args.screenshot:  # give the details panel time to fetch the trend's history
            QTimer.singleShot(int(delay * 700), window.show_first_alarm_if_none)
        QTimer.singleShot(int(delay * 1000), finish)
    try:
        return app.exec()
    finally:
        log.info("GUI frames since live: %s", json.dumps(bridge.frame_time_summary()))
        bridge.stop()
        client.stop()
        if recording is not None:
            store, writer = recording
            writer.stop()
            store.close()
            log.info("recording: %s", writer.stats)


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
