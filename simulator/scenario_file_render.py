"""Plays a prepared scenario file through the server's tick path without sockets or a wall clock.

Calm signals, the scenario's offsets and the alarm engine are combined exactly as SimServer._tick
does, on a fixed start time: the same seed and file give the same samples bit for bit. The
determinism test compares two renders; a trainer can also render a drill's data offline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backend_client.city import City
from backend_client.protocol import AlarmRecord
from simulator.alarm_settings import city_settings
from simulator.alarms import AlarmEngine
from simulator.scenario_file_compile import CompiledScenario
from simulator.scenarios import ScenarioRunner
from simulator.signals import EmissionSchedule, SignalModel

DEFAULT_T0_S = 1_750_000_000.0  # a fixed start: calm signals follow the time of day


@dataclass(frozen=True, slots=True)
class Rendered:
    """Every sample published, in tick order, and every alarm change the engine made."""

    channels: np.ndarray
    times_us: np.ndarray
    values: np.ndarray
    quality: np.ndarray
    alarms: tuple[AlarmRecord, ...]


def render(
    city: City,
    compiled: CompiledScenario,
    seconds: float,
    t0_s: float = DEFAULT_T0_S,
    tick_hz: float = 10.0,
    seed: int | None = None,
) -> Rendered:
    """The first `seconds` of the drill as the server would publish them (seed: the file's)."""
    signals = SignalModel(city.sensors, seed=compiled.spec.seed if seed is None else seed)
    schedule = EmissionSchedule([s.rate_hz for s in city.sensors], tick_hz)
    runner = ScenarioRunner(city)
    for timed in compiled.runs:
        runner.add(timed.run, t0_s + timed.at_s, compiled.spec.exercise)
    engine = AlarmEngine(city.sensors, city_settings(city))
    t0_us = round(t0_s * 1e6)
    parts: list[tuple[np.ndarray, ...]] = []
    alarms: list[AlarmRecord] = []
    for tick in range(round(seconds * tick_hz)):
        t_us = t0_us + round(tick * 1e6 / tick_hz)
        t_s = t_us / 1e6
        channels, offsets_s = schedule.due(tick)
        signals.advance(t_s)
        values, quality = signals.sample(channels, t_s + offsets_s)
        if runner.active:
            values += runner.offsets_at(channels, t_s + offsets_s)
            engine.exercise = runner.exercise_channels(t_s)
        times_us = t_us + np.round(offsets_s * 1e6).astype(np.int64)
        parts.append((channels, times_us, values.astype(np.float32), quality))
        changes = engine.evaluate(channels, values, quality, times_us) + engine.advance(t_us)
        alarms += [c.alarm for c in changes]
    columns = [np.concatenate(col) for col in zip(*parts, strict=True)]
    return Rendered(*columns, alarms=tuple(alarms))
