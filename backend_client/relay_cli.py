"""lifeline-relay: one backend, many consoles; a control room's seats attach here, not to it.

lifeline-relay --backend-pub tcp://HOST:5556 --backend-rpc tcp://HOST:5557
               [--pub tcp://*:6556] [--rpc tcp://*:6557] [--stats-every 60]

After binding it prints one line, `LIFELINE-RELAY READY {"pub": ..., "rpc": ...}`; it logs its
counters every --stats-every seconds and once more on SIGINT/SIGTERM, then exits 0.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import zmq

from backend_client.relay import Relay, RelayConfig, RelayStats
from backend_client.security import load_curve_config

READY_PREFIX = "LIFELINE-RELAY READY "
log = logging.getLogger("lifeline-relay")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lifeline-relay",
        description="Fan one Lifeline backend out to many consoles (XSUB/XPUB + ROUTER/DEALER).",
    )
    p.add_argument(
        "--backend-pub",
        action="append",
        metavar="ENDPOINT",
        help="the backend's PUB endpoint (repeatable; default tcp://127.0.0.1:5556)",
    )
    p.add_argument("--backend-rpc", default="tcp://127.0.0.1:5557", metavar="ENDPOINT")
    p.add_argument("--pub", default="tcp://*:6556", help="where consoles subscribe")
    p.add_argument("--rpc", default="tcp://*:6557", help="where consoles send requests")
    p.add_argument("--hwm", type=int, default=20_000, help="publications queued per console")
    p.add_argument("--stats-every", type=float, default=60.0, metavar="S", help="0: only at exit")
    p.add_argument(
        "--curve",
        type=Path,
        metavar="CONFIG",
        help="CurveZMQ TOML: [server] for the consoles' side, [client] for the backend's side",
    )
    p.add_argument("--log-level", default="INFO")
    return p


def describe(stats: RelayStats) -> str:
    return (
        f"{stats.publications} publications ({stats.publication_bytes / 1e6:.1f} MB), "
        f"{stats.subscriptions} subscriptions, {stats.requests} requests, {stats.replies} replies"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = RelayConfig(
            backend_pub=tuple(args.backend_pub or ("tcp://127.0.0.1:5556",)),
            backend_rpc=args.backend_rpc,
            pub=args.pub,
            rpc=args.rpc,
            hwm=args.hwm,
            curve=load_curve_config(args.curve) if args.curve else None,
        )
        relay = Relay(config)
    except (ValueError, zmq.ZMQError) as exc:
        print(f"lifeline-relay: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    relay.start()
    ready = {"pub": relay.pub_endpoint, "rpc": relay.rpc_endpoint, "backend": config.backend_rpc}
    print(READY_PREFIX + json.dumps(ready), flush=True)
    log.info("relaying %s + %s to %s + %s", ", ".join(config.backend_pub), config.backend_rpc,
             relay.pub_endpoint, relay.rpc_endpoint)  # fmt: skip
    next_log = time.monotonic() + args.stats_every
    while not stop.wait(0.5):
        if args.stats_every > 0 and time.monotonic() >= next_log:
            next_log += args.stats_every
            log.info("so far: %s", describe(relay.stats()))
    final = relay.stats()
    relay.stop()
    log.info("stopped after %s", describe(final))
    return 0


if __name__ == "__main__":
    sys.exit(main())
