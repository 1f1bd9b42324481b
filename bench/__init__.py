"""Benchmark suite: each bench_*.py module registers its benchmarks here; bench.run runs them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

MODES = ("full", "quick", "smoke")  # smoke: tiny sizes, proves the suite runs (tests)


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
