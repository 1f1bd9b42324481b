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
# LIFELINE_SOAK_TRACE=DIR: find what the console retains. Tracing starts at
# LIFELINE_SOAK_TRACE_START seconds (default 120: after warm-up, so only what is allocated later
# is traced and the ingest before it runs at full speed); every LIFELINE_SOAK_TRACE_EVERY seconds
# (default 60) DIR/trace-NN.txt gets what is still alive of it by traceback, the growth since the
# previous file, live objects by type and the lengths of the project's containers. Off by default.
TRACE_DIR = os.environ.get("LIFELINE_SOAK_TRACE", "")
TRACE_START_S = float(os.environ.get("LIFELINE_SOAK_TRACE_START", "120"))
TRACE_EVERY_S = float(os.environ.get("LIFELINE_SOAK_TRACE_EVERY", "60"))
TRACE_FRAMES = int(os.environ.get("LIFELINE_SOAK_TRACE_FRAMES", "10"))
PROJECT = ("backend_client", "views", "widgets", "console")


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


class Tracer:
    """Writes what stays alive of what was allocated since tracing began, and what grows."""

    def __init__(self, out_dir: str) -> None:
        self.out_dir = out_dir
        os.makedirs(out_dir, exist_ok=True)
        self.started = False
        self.last: Any = None
        self.last_types: dict[str, int] = {}
        self.last_sizes: dict[str, int] = {}
        self.n = 0

    def start(self) -> None:
        import tracemalloc

        tracemalloc.start(TRACE_FRAMES)
        self.started = True
        self.last_types, self.last_sizes = self.census()

    @staticmethod
    def census() -> tuple[dict[str, int], dict[str, int]]:
        """Live objects by type; summed len() of every container attribute of project objects."""
        import gc
        from collections import Counter, deque

        types: Counter[str] = Counter()
        sizes: Counter[str] = Counter()
        for o in gc.get_objects():
            cls = type(o)
            types[cls.__qualname__] += 1
            module = cls.__dict__.get("__module__", "")
            if not isinstance(module, str) or not module.startswith(PROJECT):
                continue
            try:  # a Qt wrapper whose C++ object is gone raises on attribute access
                attrs = dict(vars(o)) if hasattr(o, "__dict__") else {}
                for k in getattr(cls, "__slots__", ()):
                    attrs[k] = getattr(o, k, None)
            except (RuntimeError, TypeError):
                continue
            for k, v in attrs.items():
                if isinstance(v, (list, dict, set, frozenset, tuple, deque)):
                    sizes[f"{cls.__qualname__}.{k}"] += len(v)
                elif isinstance(v, np.ndarray):
                    sizes[f"{cls.__qualname__}.{k} (bytes)"] += v.nbytes
        return dict(types), dict(sizes)

    def snapshot(self, t: float) -> None:
        import tracemalloc

        snap = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__)]
        )
        types, sizes = self.census()
        self.n += 1
        traced = tracemalloc.get_traced_memory()[0] / 1e6
        lines = [f"t={t:.0f}s rss={rss_mb():.1f} MB traced={traced:.1f} MB"]
        lines.append("\n== alive, allocated since tracing began, by line")
        for stat in snap.statistics("lineno")[:30]:
            lines.append(f"  {stat.size / 1e3:9.1f} kB {stat.count:7d} blocks  {stat.traceback[0]}")
        if self.last is not None:
            lines.append("\n== growth since the previous file, by traceback")
            for stat in snap.compare_to(self.last, "traceback")[:20]:
                lines.append(f"\n{stat.size_diff / 1e3:+.1f} kB ({stat.count_diff:+d} blocks), "
                             f"now {stat.size / 1e3:.1f} kB")  # fmt: skip
                lines += [f"    {line}" for line in stat.traceback.format()]
        lines.append("\n== live objects by type, growth since the previous file")
        grown = {k: v - self.last_types.get(k, 0) for k, v in types.items()}
        for name, d in sorted(grown.items(), key=lambda kv: -abs(kv[1]))[:30]:
            lines.append(f"  {d:+8d}  {name} (now {types[name]})")
        lines.append("\n== project containers (summed len), growth since the previous file")
        grown = {k: v - self.last_sizes.get(k, 0) for k, v in sizes.items()}
        for name, d in sorted(grown.items(), key=lambda kv: -abs(kv[1]))[:40]:
            lines.append(f"  {d:+10d}  {name} (now {sizes[name]})")
        self.last, self.last_types, self.last_sizes = snap, types, sizes
        with open(os.path.join(self.out_dir, f"trace-{self.n:02d}.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")


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
    tracer = Tracer(TRACE_DIR) if TRACE_DIR else None

    def sample() -> None:
        next_trace = TRACE_START_S
        while not done.wait(args.interval):
            rows.append(probe.sample(t0))
            if tracer is not None and time.monotonic() - t0 >= next_trace:
                next_trace += TRACE_EVERY_S
                try:
                    if tracer.started:
                        tracer.snapshot(time.monotonic() - t0)
                    else:
                        tracer.start()
                except Exception:  # a diagnostic must not stop the sampling
                    import traceback

                    with open(os.path.join(TRACE_DIR, "error.txt"), "a") as f:
                        f.write(traceback.format_exc())

    threading.Thread(target=sample, daemon=True).start()
    from console.app import main as console_main

    argv = ["--pub", args.pub, "--rpc", args.rpc, "--quit-after", str(args.seconds)]
    argv += ["--config", args.config]
    rc = console_main([*argv, "--size", "1600x900", "--log-level", "WARNING"])
    done.set()
    print(MARKER, json.dumps({"rc": rc, "rows": rows}), flush=True)


if __name__ == "__main__":
    main()
