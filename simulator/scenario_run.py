"""What a scenario is, and how a started one computes offsets as a pure function of time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from backend_client.city import City, Sensor

ParamValue = float | str


class ScenarioError(ValueError):
    """A scenario name, parameter or target that does not fit the city."""


class OffsetRun(Protocol):
    """What the runner needs of a started scenario: hand-drawn (ScenarioRun) or a field model's."""

    @property
    def name(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def channels(self) -> np.ndarray: ...
    @property
    def duration_s(self) -> float: ...
    def offsets(self, elapsed_s: float) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class ScenarioRun:
    """A scenario bound to one city: the channels it moves and the arrays its offsets come from.

    Channel i's offset at elapsed time t is env_i(t) * (amp_i + osc_i(t)), where env rises from 0
    to 1 with time constant rise_tau after delay, and decays with fall_tau once the cause stops
    at off_s (valves shut, rain stops, ventilation starts); osc_i is a sine that dies away with
    osc_tau (a water hammer, a bridge's vibration).
    """

    name: str
    summary: str
    channels: np.ndarray
    amp: np.ndarray
    delay: np.ndarray
    rise_tau: np.ndarray
    off_s: np.ndarray
    fall_tau: np.ndarray
    osc_amp: np.ndarray
    osc_hz: np.ndarray
    osc_tau: np.ndarray
    duration_s: float

    def offsets(self, elapsed_s: float) -> np.ndarray:
        """Offset of each of self.channels at elapsed_s seconds after the start."""
        t = float(elapsed_s)
        active = np.minimum(t, self.off_s) - self.delay
        rise = 1.0 - np.exp(-np.maximum(active, 0.0) / self.rise_tau)
        fall = np.exp(-np.maximum(t - np.maximum(self.off_s, self.delay), 0.0) / self.fall_tau)
        since = np.maximum(t - self.delay, 0.0)
        osc = (
            self.osc_amp * np.sin(2.0 * np.pi * self.osc_hz * since) * np.exp(-since / self.osc_tau)
        )
        return rise * fall * (self.amp + osc)


def make_run(
    name: str,
    summary: str,
    channels: list[int] | np.ndarray,
    duration_s: float,
    **arrays: Any,
) -> ScenarioRun:
    """Build a run, broadcasting scalar parameters to one value per channel."""
    ch = np.asarray(channels, dtype=np.intp)
    if ch.size == 0:
        raise ScenarioError(f"{name}: no sensors of the needed kind near the chosen target")
    defaults = {
        "amp": 0.0,
        "delay": 0.0,
        "rise_tau": 1.0,
        "off_s": np.inf,
        "fall_tau": 60.0,
        "osc_amp": 0.0,
        "osc_hz": 0.0,
        "osc_tau": np.inf,
    }
    unknown = set(arrays) - set(defaults)
    if unknown:
        raise TypeError(f"unknown run arrays: {sorted(unknown)}")
    values = {
        key: np.broadcast_to(np.asarray(arrays.get(key, default), dtype=float), ch.shape).copy()
        for key, default in defaults.items()
    }
    return ScenarioRun(name=name, summary=summary, channels=ch, duration_s=duration_s, **values)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named, parameterisable incident; build() binds it to a city."""

    name: str
    title: str
    description: str
    defaults: Mapping[str, ParamValue]
    builder: Callable[[City, dict[str, ParamValue]], ScenarioRun]

    def build(self, city: City, params: Mapping[str, Any] | None = None) -> ScenarioRun:
        """Check params against the defaults (names and types) and bind the scenario to city."""
        merged: dict[str, ParamValue] = dict(self.defaults)
        for key, value in (params or {}).items():
            if key not in self.defaults:
                known = ", ".join(sorted(self.defaults)) or "none"
                raise ScenarioError(f"{self.name}: unknown parameter {key!r} (known: {known})")
            default = self.defaults[key]
            if isinstance(default, str):
                if not isinstance(value, str):
                    raise ScenarioError(f"{self.name}: parameter {key!r} must be a string")
                merged[key] = value
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ScenarioError(f"{self.name}: parameter {key!r} must be a number")
                if not np.isfinite(value) or value < 0:
                    raise ScenarioError(f"{self.name}: parameter {key!r} must be finite and >= 0")
                merged[key] = float(value)
        return self.builder(city, merged)


def num(params: Mapping[str, ParamValue], key: str) -> float:
    """A numeric parameter (validated by Scenario.build)."""
    return float(params[key])


def text(params: Mapping[str, ParamValue], key: str) -> str:
    """A string parameter (validated by Scenario.build)."""
    return str(params[key])


def sensors_where(city: City, keep: Callable[[Sensor], bool]) -> list[int]:
    """Channel numbers of the sensors a predicate keeps."""
    return [i for i, s in enumerate(city.sensors) if keep(s)]


def positions(city: City, channels: list[int] | np.ndarray) -> np.ndarray:
    """(n, 3) sensor positions of the given channels."""
    return np.array([city.sensors[i].position for i in channels], dtype=float).reshape(-1, 3)
