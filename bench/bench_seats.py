"""Per-seat cost with and without interest subscriptions, through a relay, at province scale.

A simulator of a many-district city and a relay run in one process; each seat (BackendClient +
ConsoleModel, headless) runs in a process of its own, so that process's CPU time is the seat's
cost. The seats run side by side: one subscribed to everything, one to a single district, one to
a single domain of that district, and one to no telemetry at all (the floor: alarms, heartbeats
and the client's own loop). Filtering happens in ZeroMQ (the relay's XPUB and, upstream,
the backend's PUB), so a filtered seat never receives what it did not ask for.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from typing import Any

from bench import Figure, Result, benchmark

SIZES = {"full": (100, 20.0), "quick": (64, 8.0), "smoke": (4, 1.0)}  # city scale, seconds
DISTRICT = "D01:"  # citygen names districts D00, D01, ...; areas are D01:A1 .. D01:A4
SEATS = {
    "everything": (),
    "one district": (DISTRICT,),
    "one domain of it": (f"gas/{DISTRICT}",),
    "no telemetry": ("tunnel/-none-",),  # alarms and heartbeats only: what any seat costs
}


def _backend(scale: int, ready: Any, stop: Any) -> None:
    """Child process: the simulator at a scale and a relay in front of it, until told to stop."""
    from backend_client.city import city_from_dict
    from backend_client.relay import Relay, RelayConfig
    from simulator.citygen import generate
    from simulator.server import SimServer

    server = SimServer(city_from_dict(generate(scale)))
    server.start()
    loopback = "tcp://127.0.0.1:*"
    relay = Relay(RelayConfig((server.pub_endpoint,), server.rpc_endpoint, loopback, loopback))
    relay.start()
    ready.put((relay.pub_endpoint, relay.rpc_endpoint, len(server.city.sensors)))
    stop.wait()
    relay.stop()
    server.stop()


def _seat(pub: str, rpc: str, interests: tuple[str, ...], seconds: float, out: Any) -> None:
    """Child process: one headless seat; reports its CPU time and intake over the window."""
    from backend_client.client import BackendClient, ClientConfig
    from backend_client.model.console_model import ConsoleModel
    from backend_client.protocol import LinkState

    model = ConsoleModel(buffer_capacity=256)
    client = BackendClient(model, ClientConfig(pub, rpc, interests=interests))
    client.start()
    deadline = time.monotonic() + 60
    while model.link != LinkState.LIVE and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # handshake (catalog, city, snapshot) done and out of the window
    cpu0, wall0 = time.process_time(), time.monotonic()
    samples0, msgs0 = model.stats.samples, model.stats.messages
    time.sleep(seconds)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    result = {
        "live": model.link == LinkState.LIVE,
        "cpu_pct": 100.0 * cpu / wall,
        "samples_per_s": (model.stats.samples - samples0) / wall,
        "messages_per_s": (model.stats.messages - msgs0) / wall,
        "lost": model.stats.lost_batches,
    }
    client.stop()
    out.put((interests, result))


def measure(scale: int, seconds: float) -> tuple[dict[str, dict[str, float]], int]:
    """Start the backend and the seats, let them run, return each seat's figures."""
    spawn = mp.get_context("spawn")
    ready, stop, out = spawn.Queue(), spawn.Event(), spawn.Queue()
    backend = spawn.Process(target=_backend, args=(scale, ready, stop), daemon=True)
    backend.start()
    seats: list[Any] = []
    try:
        pub, rpc, sensors = ready.get(timeout=120)
        for interests in SEATS.values():
            seat = spawn.Process(target=_seat, args=(pub, rpc, interests, seconds, out))
            seat.start()
            seats.append(seat)
        results = dict(out.get(timeout=seconds + 120) for _ in seats)
    finally:
        for seat in seats:
            seat.join(10)
            if seat.is_alive():
                seat.terminate()
        stop.set()
        backend.join(10)
        if backend.is_alive():
            backend.terminate()
    by_name = {name: results[interests] for name, interests in SEATS.items()}
    for name, r in by_name.items():
        if not r["live"]:
            raise RuntimeError(f"seat {name!r} never went live")
    return by_name, sensors


@benchmark("seats", "Per-seat CPU through a relay: subscribed to everything vs by interest")
def run(mode: str) -> Result:
    scale, seconds = SIZES[mode]
    seats, sensors = measure(scale, seconds)
    full = seats["everything"]
    figures = [Figure("seat subscribed to everything: CPU", full["cpu_pct"], "% of a core")]
    for name in ("one district", "one domain of it", "no telemetry"):
        figures.append(
            Figure(
                f"seat subscribed to {name}: CPU",
                seats[name]["cpu_pct"],
                "% of a core",
                baseline_name="everything",
                baseline_value=full["cpu_pct"],
                target="< 1 (falls with filtering)" if name != "no telemetry" else None,
            )
        )
    for name, r in list(seats.items())[:3]:
        figures.append(
            Figure(
                f"seat subscribed to {name}: samples in",
                r["samples_per_s"],
                "samples/s",
                baseline_name="everything" if name != "everything" else None,
                baseline_value=full["samples_per_s"] if name != "everything" else None,
            )
        )
    return Result(
        figures=figures,
        params={
            "city scale (districts)": scale,
            "sensors": sensors,
            "seconds measured": seconds,
            "district": DISTRICT,
            "interests": {name: list(i) for name, i in SEATS.items()},
        },
        notes=(
            "Each seat is a process of its own (BackendClient I/O thread + ConsoleModel, no GUI); "
            "CPU is that process's time.process_time over the window divided by wall time, "
            "after the handshake. The three seats, the relay and the simulator share the "
            "machine, so absolute figures move with its load; the ratio is the point. Alarms "
            "and heartbeats reach every seat whatever its interests. The backend sends each "
            "domain as one batch a tick and splits out only the areas some seat subscribed to "
            "by area (backend_client/topic_plan.py), so the seat that takes everything gets a "
            "few more, smaller batches, not one per area of the province."
        ),
    )
