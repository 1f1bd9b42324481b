"""Fuzz at full length: bad publications into a live client, bad requests into the backend.

The same seeded generators and harness as tests/test_fuzz_client.py and tests/test_fuzz_backend.py
(tests/fuzz_frames.py), at 100,000 frames and more; CI runs shorter counts.
"""

from __future__ import annotations

from backend_client.city import city_from_dict
from bench import Figure, Result, benchmark
from simulator.server import SimServer
from tests.fuzz_frames import run_backend_fuzz, run_client_fuzz
from tests.test_closed_loop_server import CITY

SIZES = {  # mode: bad publications, bad requests
    "full": (1_000_000, 200_000),
    "quick": (100_000, 100_000),
    "smoke": (2_000, 1_000),
}


@benchmark("fuzz", "Fuzz: malformed publications to the client, bad requests to the backend")
def run(mode: str) -> Result:
    frames, requests = SIZES[mode]
    client = run_client_fuzz(frames, seed=20261123)
    if not (client.thread_alive and client.valid_arrived == client.valid_sent):
        raise RuntimeError(f"client fuzz failed: {client}")
    if client.malformed != client.sent["malformed"]:
        raise RuntimeError(f"client miscounted: {client.malformed} vs {client.sent}")
    server = SimServer(city_from_dict(CITY), state_db=None)
    server.start()
    try:
        backend = run_backend_fuzz(server, requests, seed=99)
    finally:
        server.stop()
    if not (backend.loop_alive and backend.valid_answered == backend.valid_sent):
        raise RuntimeError(f"backend fuzz failed: {backend}")
    return Result(
        figures=[
            Figure("client: bad publications fed (valid ones interleaved)", frames, "frames"),
            Figure(
                "client: bad publications handled",
                frames / client.seconds,
                "frames/s",
                target=">= 10,000 frames/s",
            ),
            Figure(
                "client: counted malformed / that the codec rejects",
                client.malformed,
                "frames",
                baseline_name="rejected by the codec on the sending side",
                baseline_value=client.sent["malformed"],
                target="1.0x",
            ),
            Figure(
                "client: valid samples arrived / sent",
                client.valid_arrived,
                "samples",
                baseline_name="sent",
                baseline_value=client.valid_sent,
                target="1.0x",
            ),
            Figure(
                "client: log records for all of it",
                client.log_records,
                "records",
                target="<= 20 + 1 per 1000",
            ),
            Figure("backend: bad requests fed", requests, "requests"),
            Figure(
                "backend: bad requests handled",
                requests / backend.seconds,
                "requests/s",
                target=">= 5,000 requests/s",
            ),
            Figure(
                "backend: counted bad / undecodable sent",
                backend.bad_counted,
                "requests",
                baseline_name="undecodable on the sending side",
                baseline_value=backend.expected_bad,
                target="1.0x",
            ),
            Figure(
                "backend: valid requests answered / sent",
                backend.valid_answered,
                "requests",
                baseline_name="sent",
                baseline_value=backend.valid_sent,
                target="1.0x",
            ),
            Figure(
                "backend: log records for all of it",
                backend.log_records,
                "records",
                target="<= 20 + 1 per 1000",
            ),
        ],
        params={"publications": frames, "requests": requests, "valid_every": 200},
        notes="frames: mutated, truncated, random, oversized (16 MiB + 1), wrong-typed, wrong "
        "topics, extra/missing parts, huge declared lengths; seeded",
    )
