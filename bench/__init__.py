"""Benchmark suite: each bench_*.py module registers its benchmarks here; bench.run runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MODES = ("full", "quick", "smoke")  # smoke: tiny sizes, proves the suite runs (tests)
ROOT = Path(__file__).resolve().parent.parent


@dataclass(slots=True)
class Figure:
    """One measured number; a comparison carries its baseline, measured in the same run."""

    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline_value: float | None = None
    target: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_value is None or not self.baseline_value:
            return None
        return self.value / self.baseline_value

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d


@dataclass(slots=True)
class Result:
    """What one benchmark reports: its figures and the parameters it ran with."""

    figures: list[Figure] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Benchmark:
    name: str
    title: str
    func: Callable[[str], Result]


REGISTRY: dict[str, Benchmark] = {}


BenchFunc = Callable[[str], Result]


def benchmark(name: str, title: str) -> Callable[[BenchFunc], BenchFunc]:
    """Register `func(mode) -> Result` under `name`; mode is one of MODES."""

    def register(func: BenchFunc) -> BenchFunc:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} registered twice")
        REGISTRY[name] = Benchmark(name, title, func)
        return func

    return register


def run_worker(module: str, marker: str, *args: str, timeout_s: float = 600) -> dict[str, Any]:
    """Run `python -m module args` in its own process (under Xvfb when there is no display)
    and return the JSON it prints after `marker`: GUI measurements get a process of their own."""
    cmd = [sys.executable, "-m", module, *args]
    if not os.environ.get("DISPLAY"):
        cmd = [str(ROOT / "scripts" / "with-xvfb.sh"), *cmd]
    out = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith(marker + " "))
    return json.loads(line.split(" ", 1)[1])
