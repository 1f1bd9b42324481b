"""100,000 malformed publications interleaved with valid ones, over real loopback ZeroMQ.

The frames (tests/fuzz_frames.py) are mutated, truncated, oversized, wrong-typed, carry wrong
topics, extra or missing parts and huge declared lengths; bench/bench_fuzz.py runs more.
"""

from backend_client.protocol import LinkState
from tests.fuzz_frames import run_client_fuzz

FRAMES = 100_000


def test_the_client_survives_100k_bad_frames_counts_each_and_still_gets_every_valid_one():
    out = run_client_fuzz(FRAMES, seed=20261123)
    assert out.thread_alive and out.link == LinkState.LIVE
    assert out.valid_arrived == out.valid_sent > FRAMES // 250
    assert out.alarms_ok, "valid alarm changes after the fuzz were not applied"
    # each bad frame is counted as what the codec makes of it; a mutation that happens to leave
    # a frame valid is decoded as valid, and frames on topics nobody subscribed never arrive
    assert out.malformed == out.sent["malformed"] > FRAMES * 0.8
    assert out.unknown == out.sent["unknown"]
    assert out.log_records <= 20 + FRAMES // 1000 + 5, "the log floods"
