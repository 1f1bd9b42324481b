"""The real console (`lifeline-console`, all its views) on a live backend for a while, measured
from inside its own process: RSS, what the client took in, GUI frame times; prints JSON.

Run by bench/bench_soak.py through bench.run_worker (under Xvfb when there is no display).
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from typing import Any

import numpy as np

MARKER = "SOAK-RESULT"
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident set size of this process from /proc/self/statm, in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 1e6


class Probe:
    """Catches the console's client and display bridge as they are made, to read them later."""

    def __init__(self) -> None:
        from backend_client.client import BackendClient
        from console.model_bridge import ModelBridge

        self.client: Any = None
        self.bridge: Any = None
        start, init = BackendClient.start, ModelBridge.__init__
        probe = self

        def client_start(client: BackendClient) -> None:
            probe.client = client
            start(client)

        def bridge_init(bridge: ModelBridge, *args: Any, **kwargs: Any) -> None:
            init(bridge, *args, **kwargs)
            probe.bridge = bridge

        BackendClient.start = client_start  # type: ignore[method-assign]
        ModelBridge.__init__ = bridge_init  # type: ignore[method-assign]

    def frames(self) -> dict[str, float]:
        """Frame times since the last call (then forgotten)."""
        if self.bridge is None:
            return {}
        for _ in range(5):  # the GUI thread appends while this copies
            try:
                summary = self.bridge.frame_time_summary()
                self.bridge.reset_frame_stats()
                return summary
            except RuntimeError:
                time.sleep(0.001)
        return {}

    def sample(self, t0: float) -> dict[str, Any]:
        row: dict[str, Any] = {"t": time.monotonic() - t0, "rss_mb": rss_mb()}
        if self.client is not None:
            m = self.client.model
            s = m.stats
            row |= {"samples": s.samples, "shed": s.shed_samples, "lost_batches": s.lost_batches,
                    "malformed": s.malformed, "resyncs": s.resyncs, "link": str(m.link),
                    "alarms": len(m.alarms.active())}  # fmt: skip
            counts = m.buffers.counts()
            if counts.size:  # rings fill up to their capacity: RSS grows until they are full
                full = np.minimum(counts, m.buffers.capacity).sum() / (
                    counts.size * m.buffers.capacity
                )
                row["rings_full_pct"] = float(100 * full)
        return row | {"frames": self.frames()}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--pub", required=True)
    p.add_argument("--rpc", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--interval", type=float, default=5.0)
    p.add_argument("--capacity", type=int, default=4096, help="samples kept per channel")
    p.add_argument("--config", required=True, help="where to write the console's TOML")
    args = p.parse_args()
    with open(args.config, "w", encoding="utf-8") as f:
        f.write(f"[console]\nbuffer_capacity = {args.capacity}\n")
    probe = Probe()
    rows: list[dict[str, Any]] = []
    done = threading.Event()
    t0 = time.monotonic()

    def sample() -> None:
        while not done.wait(args.interval):
            rows.append(probe.sample(t0))

    threading.Thread(target=sample, daemon=True).start()
    from console.app import main as console_main

    argv = ["--pub", args.pub, "--rpc", args.rpc, "--quit-after", str(args.seconds)]
    argv += ["--config", args.config]
    rc = console_main([*argv, "--size", "1600x900", "--log-level", "WARNING"])
    done.set()
    print(MARKER, json.dumps({"rc": rc, "rows": rows}), flush=True)


if __name__ == "__main__":
    main()
