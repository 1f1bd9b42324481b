"""lifeline-sim: run the reference backend from a shell, or as the console's --demo child process.

After binding it prints one line, `LIFELINE-SIM READY {"pub": ..., "rpc": ..., "instance": ...}`,
so a parent that asked for random ports (tcp://127.0.0.1:*) learns where to connect.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from backend_client.city import City, CityModelError, city_from_dict, demo_city_path, load_city
from backend_client.security import CurveConfigError, load_curve_config
from simulator.access import DESK_IDLE_S
from simulator.alarm_store import AlarmStore
from simulator.citygen import DEFAULT_SEED, generate
from simulator.history_csv import steps_to_csv
from simulator.policy import PolicyFileError, load_policy
from simulator.scenario_file import (
    ScenarioSpec,
    library_names,
    library_path,
    load_scenario_file,
)
from simulator.scenario_file_compile import check_targets
from simulator.scenarios import ScenarioError, get_scenario, list_scenarios
from simulator.server import SimServer

READY_PREFIX = "LIFELINE-SIM READY "
log = logging.getLogger("simulator")


def parse_scenario(spec: str) -> tuple[str, float]:
    """'gas-leak' or 'gas-leak@30' -> (name, delay in seconds); raises ValueError."""
    name, _, delay = spec.partition("@")
    seconds = float(delay) if delay else 0.0
    if seconds < 0:
        raise ValueError(f"scenario delay must be >= 0 in {spec!r}")
    get_scenario(name)
    return name, seconds


def parse_scenario_file(spec: str) -> tuple[ScenarioSpec, float]:
    """'drill.json', 'burst-drill' (the library) or either with '@30' -> (validated file, delay)."""
    where, _, delay = spec.rpartition("@") if "@" in spec else (spec, "", "")
    seconds = float(delay) if delay else 0.0
    if seconds < 0:
        raise ValueError(f"scenario file delay must be >= 0 in {spec!r}")
    path = Path(where)
    if not path.exists():
        path = library_path(where) or path
    return load_scenario_file(path), seconds


def build_parser() -> argparse.ArgumentParser:
    """The command line, documented in --help."""
    p = argparse.ArgumentParser(prog="lifeline-sim", description=__doc__.splitlines()[0])
    source = p.add_mutually_exclusive_group()
    source.add_argument("--city", type=Path, help="city model file (default: the bundled demo)")
    source.add_argument("--scale", type=int, help="generate N tiled districts in memory instead")
    p.add_argument("--pub", default="tcp://127.0.0.1:5556", help="PUB endpoint (port * = random)")
    p.add_argument("--rpc", default="tcp://127.0.0.1:5557", help="ROUTER endpoint")
    p.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME[@SECONDS]",
        help="start a scenario (built in, or a library file by name) at start, or SECONDS "
        "later (repeatable)",
    )
    p.add_argument(
        "--scenario-file",
        action="append",
        default=[],
        metavar="PATH[@SECONDS]",
        help="start a scenario file (or a library name, e.g. burst-drill) at start, or SECONDS "
        "later (repeatable); the first file's seed seeds the signals unless --seed is given",
    )
    p.add_argument("--list-scenarios", action="store_true", help="print the scenarios and exit")
    p.add_argument(
        "--state-db",
        help="SQLite file keeping acknowledgements, shelving and the closed-loop history across "
        "restarts (default: $XDG_STATE_HOME/lifeline-sim/<city>.sqlite; ':memory:' keeps nothing)",
    )
    p.add_argument("--policy", type=Path, help="role policy JSON (default: the shipped one)")
    p.add_argument(
        "--curve",
        type=Path,
        metavar="CONFIG",
        help="CurveZMQ: TOML with a [server] table (key file, console allowlist folder); "
        "default unencrypted",
    )
    p.add_argument(
        "--users",
        type=Path,
        metavar="DB",
        help="user accounts file (lifeline-users): requests then act as their login session's "
        "user and role; default: the role each request claims",
    )
    p.add_argument(
        "--audit-db",
        help="hash-chained audit log of operator actions (default: <state db>.audit.sqlite; "
        "in memory with --state-db :memory:)",
    )
    p.add_argument(
        "--desk-idle",
        type=float,
        default=DESK_IDLE_S,
        metavar="SECONDS",
        help=f"desk sessions end after this long without a request (default {DESK_IDLE_S:.0f})",
    )
    p.add_argument(
        "--export-history",
        metavar="CSV",
        help="write the closed-loop history of --state-db as CSV ('-' = stdout) and exit",
    )
    p.add_argument("--seed", type=int, help="random seed of the signals (default 0)")
    p.add_argument("--duration", type=float, help="exit after this many seconds")
    p.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    return p


def load(args: argparse.Namespace) -> City:
    """The city named on the command line (a generated one with --scale)."""
    if args.scale is not None:
        return city_from_dict(generate(args.scale, DEFAULT_SEED), f"<generated x{args.scale}>")
    return load_city(args.city or demo_city_path())


def default_state_db(city_name: str) -> Path:
    """$XDG_STATE_HOME (or ~/.local/state)/lifeline-sim/<city name as a file name>.sqlite."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", city_name).strip("-") or "city"
    return Path(base) / "lifeline-sim" / f"{slug}.sqlite"


def state_db_path(option: str | None, city: City) -> Path | None:
    """The state file to use: None for ':memory:', the default for the city when not given."""
    if option == ":memory:":
        return None
    return Path(option) if option else default_state_db(city.name)


def export_history(db: Path | None, target: str) -> int:
    """Write the step archive of a state file as CSV."""
    if db is None or not db.exists():
        log.error("no state file %s to export from", db)
        return 2
    store = AlarmStore(db)
    try:
        text = steps_to_csv(store.steps())
    finally:
        store.close()
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of lifeline-sim and `python -m simulator.cli`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.list_scenarios:
        for s in list_scenarios():
            print(f"{s.name}\t{s.title}")
        for name in library_names():  # files for --scenario-file
            print(f"{name}\t(file) {load_scenario_file(library_path(name) or name).title}")
        return 0
    if args.scale is not None and args.scale < 1:
        parser.error("--scale must be >= 1")
    try:
        files = set(library_names())  # --scenario also takes a library file by its name
        in_library = [spec for spec in args.scenario if spec.partition("@")[0] in files]
        starts = [parse_scenario(spec) for spec in args.scenario if spec not in in_library]
        file_starts = [parse_scenario_file(spec) for spec in [*in_library, *args.scenario_file]]
    except (ValueError, ScenarioError) as exc:
        parser.error(str(exc))
    try:
        city = load(args)
    except (OSError, CityModelError) as exc:
        log.error("cannot load the city: %s", exc)
        return 2
    try:
        for spec, _ in file_starts:
            check_targets(city, spec)
    except ScenarioError as exc:
        log.error("scenario file does not fit the city: %s", exc)
        return 2
    seed = args.seed if args.seed is not None else file_starts[0][0].seed if file_starts else 0
    state_db = state_db_path(args.state_db, city)
    if args.export_history:
        return export_history(state_db, args.export_history)
    try:
        policy = load_policy(args.policy)
    except (OSError, PolicyFileError) as exc:
        log.error("cannot load the role policy: %s", exc)
        return 2
    try:
        curve = load_curve_config(args.curve) if args.curve else None
    except CurveConfigError as exc:
        log.error("cannot load the curve configuration: %s", exc)
        return 2
    audit_db = args.audit_db or (state_db.with_suffix(".audit.sqlite") if state_db else None)
    try:
        server = SimServer(
            city,
            pub=args.pub,
            rpc=args.rpc,
            seed=seed,
            state_db=state_db,
            policy=policy,
            curve=curve,
            users_db=args.users,
            audit_db=None if audit_db == ":memory:" else audit_db,
            desk_idle_s=args.desk_idle,
        )
    except Exception as exc:  # zmq.ZMQError for a bad or busy endpoint, sqlite errors
        log.error("cannot start on %s / %s (state %s): %s", args.pub, args.rpc, state_db, exc)
        return 2

    def on_signal(signum: int, frame: FrameType | None) -> None:
        server.request_stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    for name, delay in starts:
        server.schedule_scenario(name, delay_s=delay)
    for spec, delay in file_starts:
        server.schedule_scenario_file(spec, delay_s=delay)
    ready = {"pub": server.pub_endpoint, "rpc": server.rpc_endpoint, "instance": server.instance}
    sys.stdout.write(READY_PREFIX + json.dumps(ready) + "\n")
    sys.stdout.flush()
    log.info(
        "%s: %d channels, pub %s, rpc %s, state %s",
        city.name,
        len(city.sensors),
        server.pub_endpoint,
        server.rpc_endpoint,
        state_db or "in memory",
    )
    users = server.access.users
    log.info(
        "security: curve %s; user accounts %s; audit log %s",
        f"on ({args.curve})" if curve else "off (plain text)",
        f"{len(users.users())} in {args.users}" if users else "off (requests claim their role)",
        audit_db or "in memory",
    )
    try:
        server.run(args.duration)
    finally:
        server.stop()
        log.info("stopped after %d ticks", server.stats.ticks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
