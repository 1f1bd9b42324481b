"""Soak: the real console on a simulator publishing ~200,000 samples/s with scenarios firing,
for a bounded time; memory (console and backend) after warm-up must stay flat.

The city is the generated 10-district one with every sensor's rate raised 70-fold (4,090
channels, ~196,000 samples/s); gas leak, water main burst, drainage overflow and bridge overload
start in turn. The console runs in its own process (bench/soak_worker.py) with all its views;
RSS is sampled every interval from /proc, frame times come from its display bridge.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from backend_client.city import city_from_dict
from bench import Figure, Result, benchmark, run_worker
from simulator.citygen import generate
from simulator.scenarios import list_scenarios

# mode: seconds, warm-up seconds, sample interval, districts, rate factor, scenario every, samples
# kept per channel (the console's 4096 in full; fewer in short runs, so that the rings of the
# slowest channels, 14 Hz, fill within the warm-up and what grows after it is not them filling)
SIZES = {
    "full": (1800.0, 600.0, 5.0, 10, 70.0, 60.0, 4096),
    "quick": (120.0, 60.0, 5.0, 10, 70.0, 20.0, 512),
    "smoke": (20.0, 8.0, 1.0, 1, 70.0, 5.0, 64),
}
PAGE = os.sysconf("SC_PAGE_SIZE")


def soak_city(districts: int, factor: float) -> dict[str, Any]:
    """The generated city with every sensor's rate raised by factor."""
    doc = generate(districts)
    for sensor in doc["sensors"]:
        sensor["rate_hz"] = float(sensor.get("rate_hz", 1.0)) * factor
    return doc


def start_backend(city: Path, seconds: float, every: float) -> tuple[subprocess.Popen, dict]:
    """lifeline-sim on random ports with the scenarios in turn; (process, READY endpoints)."""
    names = [s.name for s in list_scenarios()]
    starts = [f"{names[k % len(names)]}@{2 + k * every:g}" for k in range(int(seconds // every))]
    cmd = [sys.executable, "-m", "simulator", "--city", str(city), "--state-db", ":memory:",
           "--pub", "tcp://127.0.0.1:*", "--rpc", "tcp://127.0.0.1:*"]  # fmt: skip
    for spec in starts:
        cmd += ["--scenario", spec]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("LIFELINE-SIM READY "):
        proc.kill()
        raise RuntimeError(f"backend did not start: {line!r}")
    return proc, json.loads(line.split(" ", 2)[2])


def rss_of(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE / 1e6


def growth(rows: list[dict[str, Any]], key: str, warm_s: float) -> tuple[float, float, float]:
    """(value at warm-up end, growth after it, least-squares slope per minute) of rows[key]."""
    after = [r for r in rows if r["t"] >= warm_s] or rows[-2:]
    t = np.array([r["t"] for r in after])
    v = np.array([r[key] for r in after])
    slope = float(np.polyfit(t / 60.0, v, 1)[0]) if len(after) >= 2 else 0.0
    return float(v[0]), float(v[-1] - v[0]), slope


@benchmark("soak", "Soak: console on ~200,000 samples/s with scenarios; memory after warm-up")
def run(mode: str) -> Result:
    seconds, warm_s, interval, districts, factor, every, capacity = SIZES[mode]
    doc = soak_city(districts, factor)
    rate = sum(s.rate_hz for s in city_from_dict(doc).sensors)
    with tempfile.TemporaryDirectory() as tmp:
        city = Path(tmp) / "soak-city.json"
        city.write_text(json.dumps(doc), encoding="utf-8")
        backend, ready = start_backend(city, seconds + 60, every)
        backend_rows: list[dict[str, float]] = []
        done = threading.Event()

        def watch_backend() -> None:
            t = 0.0
            while not done.wait(interval):
                t += interval
                backend_rows.append({"t": t, "rss_mb": rss_of(backend.pid)})

        watcher = threading.Thread(target=watch_backend, daemon=True)
        watcher.start()
        try:
            out = run_worker(
                "bench.soak_worker", "SOAK-RESULT", "--pub", ready["pub"], "--rpc", ready["rpc"],
                "--seconds", str(seconds), "--interval", str(interval),
                "--capacity", str(capacity), "--config", str(Path(tmp) / "console.toml"),
                timeout_s=seconds + 300,
            )  # fmt: skip
        finally:
            done.set()
            backend.terminate()
            try:
                backend.wait(10)
            except subprocess.TimeoutExpired:
                backend.kill()
    rows = [r for r in out["rows"] if "samples" in r]
    if len(rows) < 3:
        raise RuntimeError(f"the console reported too little: {out}")
    rss_warm, rss_growth, rss_slope = growth(rows, "rss_mb", warm_s)
    be_warm, be_growth, be_slope = growth(backend_rows, "rss_mb", warm_s)
    after = [r for r in rows if r["t"] >= warm_s] or rows[-2:]
    took = (after[-1]["samples"] - after[0]["samples"]) / max(after[-1]["t"] - after[0]["t"], 1e-9)
    frames = [r["frames"] for r in after if r["frames"].get("frames")]
    p50 = float(np.median([f["p50_ms"] for f in frames])) if frames else float("nan")
    p99 = float(max(f["p99_ms"] for f in frames)) if frames else float("nan")
    fps = float(np.median([f.get("fps", 0.0) for f in frames])) if frames else float("nan")
    last = rows[-1]
    return Result(
        figures=[
            Figure("console RSS at the end of warm-up", rss_warm, "MB"),
            Figure("console RSS growth after warm-up", rss_growth, "MB", target="flat"),
            Figure("console RSS slope after warm-up", rss_slope, "MB/min", target="<= 1 MB/min"),
            Figure("backend RSS growth after warm-up", be_growth, "MB", target="flat"),
            Figure("backend RSS slope after warm-up", be_slope, "MB/min", target="<= 1 MB/min"),
            Figure(
                "console took in after warm-up",
                took,
                "samples/s",
                baseline_name="backend publishes (catalog rates)",
                baseline_value=rate,
                target="1.0x",
            ),
            Figure("GUI frame time p50 (median of intervals)", p50, "ms", target="<= 16 ms"),
            Figure("GUI frame time p99 (worst interval)", p99, "ms", target="<= 33 ms"),
            Figure("display rate reached (median of intervals)", fps, "fps", target="~30 fps"),
            Figure(
                "channel rings full at the end of warm-up", after[0].get("rings_full_pct", 0.0), "%"
            ),
            Figure("samples shed by the client (whole run)", last["shed"], "samples"),
            Figure("alarm resyncs (whole run)", last["resyncs"], "snapshots"),
        ],
        params={
            "seconds": seconds,
            "warm_up_s": warm_s,
            "interval_s": interval,
            "channels": len(doc["sensors"]),
            "catalog_samples_per_s": round(rate),
            "scenario_every_s": every,
            "backend_rss_at_warm_up_mb": round(be_warm, 1),
            "console_rss_mb": [round(r["rss_mb"], 1) for r in rows],
            "backend_rss_mb": [round(r["rss_mb"], 1) for r in backend_rows],
        },
        notes="lifeline-console with all views against lifeline-sim; scenarios start in turn",
    )
