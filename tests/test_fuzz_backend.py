"""Bad requests at the backend's ROUTER: it answers what it can, counts the rest, keeps serving.

Real ZeroMQ on loopback against an in-process SimServer; the requests (tests/fuzz_frames.py)
are mutated, random, oversized, wrong-typed, with extra envelope parts and huge declared
lengths. bench/bench_fuzz.py sends 100,000 and more.
"""

from backend_client.city import city_from_dict
from simulator.server import SimServer
from tests.fuzz_frames import run_backend_fuzz
from tests.test_closed_loop_server import CITY

REQUESTS = 20_000


def test_the_backend_keeps_serving_valid_requests_through_20k_bad_ones_and_counts_them():
    server = SimServer(city_from_dict(CITY), state_db=None)
    server.start()
    try:
        out = run_backend_fuzz(server, REQUESTS, seed=99)
    finally:
        server.stop()
    assert out.loop_alive and out.ticks_during > 0, "the loop stopped"
    assert out.valid_answered == out.valid_sent > REQUESTS // 100
    assert out.bad_counted == out.expected_bad > REQUESTS // 2
    assert out.error_replies > 0  # bad requests whose id could still be read got an error reply
    assert out.log_records <= 20 + REQUESTS // 1000 + 5, "the log floods"
