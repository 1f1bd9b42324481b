"""Scenario registry and the runner that sums active scenarios' offsets on each tick."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from backend_client.city import City
from simulator.scenario_library import LIBRARY
from simulator.scenario_run import OffsetRun, Scenario, ScenarioError, ScenarioRun

__all__ = [
    "SCENARIOS",
    "ActiveScenario",
    "OffsetRun",
    "Scenario",
    "ScenarioError",
    "ScenarioRun",
    "ScenarioRunner",
    "get_scenario",
    "list_scenarios",
]

SCENARIOS: Mapping[str, Scenario] = MappingProxyType({s.name: s for s in LIBRARY})


def list_scenarios() -> list[Scenario]:
    """Every scenario, in a stable order, for menus and --list-scenarios."""
    return list(SCENARIOS.values())


def get_scenario(name: str) -> Scenario:
    """The scenario of that name, or a ScenarioError that lists the known names."""
    try:
        return SCENARIOS[name]
    except KeyError:
        known = ", ".join(SCENARIOS)
        raise ScenarioError(f"unknown scenario {name!r} (known: {known})") from None


@dataclass(frozen=True, slots=True)
class ActiveScenario:
    """A run, the simulation time (seconds since the epoch) it starts at, and if it is a drill."""

    run: OffsetRun
    start_s: float
    exercise: bool = False

    def finished(self, t_s: float) -> bool:
        """True once the run's offsets have died away."""
        return t_s - self.start_s > self.run.duration_s


class ScenarioRunner:
    """Scenarios in progress on one city; offsets() is what the server adds to calm signals."""

    def __init__(self, city: City) -> None:
        self.city = city
        self.active: list[ActiveScenario] = []

    def start(
        self, name: str, params: Mapping[str, Any] | None, start_s: float, exercise: bool = False
    ) -> ScenarioRun:
        """Bind a scenario to the city and start it at start_s; raises ScenarioError."""
        run = get_scenario(name).build(self.city, params)
        self.active.append(ActiveScenario(run, start_s, exercise))
        return run

    def add(self, run: OffsetRun, start_s: float, exercise: bool = False) -> None:
        """Start a run built elsewhere (a scenario file's field models) at start_s."""
        self.active.append(ActiveScenario(run, start_s, exercise))

    def offsets_at(self, channels: np.ndarray, times_s: np.ndarray) -> np.ndarray:
        """The offset of each sample at its own time: a sensor faster than the tick (a 50 Hz
        accelerometer) sees the deck ring within the tick, not a step per tick."""
        out = np.empty(len(channels))
        for t in np.unique(times_s):
            sel = times_s == t
            out[sel] = self.offsets(float(t))[channels[sel]]
        return out

    def exercise_channels(self, t_s: float) -> np.ndarray:
        """Per channel: True while a drill (exercise) run drives it at t_s."""
        mask = np.zeros(len(self.city.sensors), dtype=bool)
        for a in self.active:
            if a.exercise and a.start_s <= t_s and not a.finished(t_s):
                mask[a.run.channels] = True
        return mask

    def offsets(self, t_s: float) -> np.ndarray:
        """Summed offsets for every channel at t_s; finished runs are dropped."""
        self.active = [a for a in self.active if not a.finished(t_s)]
        total = np.zeros(len(self.city.sensors))
        for a in self.active:
            if t_s >= a.start_s:
                np.add.at(total, a.run.channels, a.run.offsets(t_s - a.start_s))
        return total
