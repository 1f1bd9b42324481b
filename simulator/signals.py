"""Calm-weather signals for every sensor, vectorised over channels: daily cycles, drift, noise,
dropouts and faulty samples, plus the schedule that honours each sensor's sample rate.

Parameters live in a table keyed by (domain, type) because one type means different physics in
different networks (water pressure in MPa around 0.34, gas pressure in kPa around 310). Normal
values are tuned to stay well inside the level-IV limits the generator writes, so the demo is
calm until a scenario fires.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from backend_client.city import Sensor
from backend_client.protocol import Quality

INF = math.inf


@dataclass(frozen=True, slots=True)
class SignalParams:
    """How one sensor type behaves in calm conditions (all in the sensor's unit)."""

    baseline: float
    spread: float = 0.0  # per-sensor baseline offset, uniform in +-spread
    daily_amp: float = 0.0  # 24 h cycle amplitude
    peak_hour: float = 14.0  # local hour of the daily maximum
    semi_amp: float = 0.0  # 12 h cycle amplitude (two demand peaks a day)
    noise: float = 0.0  # white measurement noise, standard deviation
    drift: float = 0.0  # AR(1) drift, stationary standard deviation
    drift_tau_s: float = 600.0  # AR(1) correlation time
    lo: float = -INF  # physical bounds (concentrations are never negative)
    hi: float = INF


P = SignalParams
SIGNAL_TABLE: Mapping[tuple[str, str], SignalParams] = MappingProxyType(
    {
        ("tunnel", "CH4"): P(0.6, 0.4, noise=0.15, drift=0.3, drift_tau_s=900, lo=0),
        ("tunnel", "O2"): P(20.9, 0.1, noise=0.05, drift=0.1, drift_tau_s=1800),
        ("tunnel", "H2S"): P(0.3, 0.2, noise=0.1, drift=0.2, drift_tau_s=900, lo=0),
        ("tunnel", "TEMP"): P(22.0, 3.0, 1.0, 16.0, noise=0.1, drift=0.3, drift_tau_s=3600),
        ("tunnel", "HUM"): P(65.0, 5.0, 3.0, 5.0, noise=0.5, drift=1.5, lo=0, hi=100),
        ("tunnel", "SUMP"): P(0.25, 0.08, noise=0.01, drift=0.03, drift_tau_s=1800, lo=0),
        ("gas", "PRESS"): P(310.0, 10.0, 12.0, 3.0, 5.0, noise=1.0, drift=3.0),
        ("gas", "CH4"): P(0.02, 0.015, noise=0.005, drift=0.01, lo=0),
        ("water", "PRESS"): P(0.34, 0.03, 0.02, 3.0, 0.01, noise=0.003, drift=0.006),
        ("water", "FLOW"): P(110.0, 20.0, 25.0, 19.0, 15.0, noise=3.0, drift=5.0, lo=0),
        ("drainage", "LEVEL"): P(0.35, 0.1, 0.1, 8.0, noise=0.01, drift=0.03, lo=0.02),
        ("drainage", "RAIN"): P(0.0, lo=0),
        ("drainage", "POND"): P(0.0, noise=0.2, lo=0),
        ("heating", "TEMP"): P(88.0, 4.0, 3.0, 6.0, noise=0.2, drift=1.0, drift_tau_s=3600),
        ("heating", "PRESS"): P(0.85, 0.05, 0.02, 6.0, noise=0.005, drift=0.02),
        ("bridge", "STRAIN"): P(60.0, 20.0, 25.0, 15.0, noise=3.0, drift=8.0, drift_tau_s=60),
        ("bridge", "DEFL"): P(4.0, 1.5, 2.0, 15.0, noise=0.2, drift=1.0, drift_tau_s=60),
        ("bridge", "ACCEL"): P(0.0, noise=0.02, drift=0.005, drift_tau_s=5),
    }
)
DROPOUT_S = (5.0, 60.0)
_NONE = np.zeros(0, dtype=np.int64)


def params_for(sensor: Sensor, table: Mapping[tuple[str, str], SignalParams]) -> SignalParams:
    """Table entry for a sensor; unknown types get a quiet signal placed inside their limits."""
    found = table.get((sensor.domain, sensor.type))
    if found is not None:
        return found
    highs = [v for v in sensor.limits.high if v is not None]
    lows = [v for v in sensor.limits.low if v is not None]
    hi4, lo4 = (min(highs) if highs else None), (max(lows) if lows else None)
    if hi4 is not None and lo4 is not None:
        base = (hi4 + lo4) / 2
    elif hi4 is not None:
        base = hi4 * 0.4 if hi4 > 0 else hi4 - 1.0
    elif lo4 is not None:
        base = lo4 * 1.25 if lo4 > 0 else lo4 + 1.0
    else:
        base = 0.0
    return SignalParams(base, noise=max(abs(base) * 0.01, 0.01))


class SignalModel:
    """Per-channel signal generator; advance() moves the drift, sample() draws readings."""

    def __init__(
        self,
        sensors: Sequence[Sensor],
        seed: int = 0,
        utc_offset_h: float = 8.0,
        dropout_prob: float = 1e-5,
        fault_prob: float = 5e-6,
        table: Mapping[tuple[str, str], SignalParams] = SIGNAL_TABLE,
    ) -> None:
        self.rng = np.random.default_rng(seed)
        self.utc_offset_h = utc_offset_h
        self.dropout_prob = dropout_prob
        self.fault_prob = fault_prob
        rows = [params_for(s, table) for s in sensors]
        n = len(rows)

        def col(name: str) -> np.ndarray:
            return np.array([getattr(p, name) for p in rows], dtype=float).reshape(n)

        self.baseline = col("baseline") + self.rng.uniform(-1, 1, n) * col("spread")
        self.peak_hour = col("peak_hour") + self.rng.uniform(-0.75, 0.75, n)
        self.daily_amp, self.semi_amp = col("daily_amp"), col("semi_amp")
        self.noise, self.drift_sd, self.tau = col("noise"), col("drift"), col("drift_tau_s")
        self.lo, self.hi = col("lo"), col("hi")
        self.drift = self.rng.standard_normal(n) * self.drift_sd
        self.missing_until = np.full(n, -INF)
        self._t: float | None = None

    def __len__(self) -> int:
        return int(self.baseline.shape[0])

    def advance(self, t_s: float) -> None:
        """Step every channel's AR(1) drift to time t_s (seconds since the epoch)."""
        if self._t is not None and t_s > self._t:
            a = np.exp(-(t_s - self._t) / self.tau)
            shock = self.rng.standard_normal(len(self)) * self.drift_sd
            self.drift = a * self.drift + np.sqrt(1.0 - a * a) * shock
        if self._t is None or t_s > self._t:
            self._t = t_s

    def mean(self, channels: np.ndarray, times_s: np.ndarray) -> np.ndarray:
        """The noiseless value: baseline plus daily cycles at the local time of each sample."""
        hours = (np.asarray(times_s, dtype=float) / 3600.0 + self.utc_offset_h) % 24.0
        phase = 2.0 * np.pi * (hours - self.peak_hour[channels]) / 24.0
        cycle = self.daily_amp[channels] * np.cos(phase) + self.semi_amp[channels] * np.cos(
            2.0 * phase
        )
        return self.baseline[channels] + cycle

    def sample(self, channels: np.ndarray, times_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Readings (float64, NaN when missing) and HJ 212 quality codes for the given samples."""
        channels = np.asarray(channels, dtype=np.intp)
        times_s = np.broadcast_to(np.asarray(times_s, dtype=float), channels.shape)
        n = channels.shape[0]
        values = self.mean(channels, times_s) + self.drift[channels]
        values += self.rng.standard_normal(n) * self.noise[channels]
        values = np.clip(values, self.lo[channels], self.hi[channels])
        quality = np.zeros(n, dtype=np.uint8)
        starts = self.rng.random(n) < self.dropout_prob
        if starts.any():
            lasting = self.rng.uniform(*DROPOUT_S, int(starts.sum()))
            self.missing_until[channels[starts]] = times_s[starts] + lasting
        missing = times_s < self.missing_until[channels]
        faults = ~missing & (self.rng.random(n) < self.fault_prob)
        if faults.any():
            k = int(faults.sum())
            spike = self.rng.choice([-1.0, 1.0], k) * self.rng.uniform(50.0, 200.0, k)
            values[faults] += spike * np.maximum(self.noise[channels[faults]], 0.01)
            quality[faults] = Quality.FAULT
        values[missing] = np.nan
        quality[missing] = Quality.MISSING
        return values, quality


class EmissionSchedule:
    """Which channels sample on each tick of a fixed-rate loop, honouring each sensor's rate.

    A sensor at 1 Hz on a 10 Hz loop samples every 10th tick, one at 0.2 Hz every 50th, with
    phases staggered by channel so the load is even; faster sensors sample several times a tick.
    """

    def __init__(self, rates_hz: Sequence[float] | np.ndarray, tick_hz: float = 10.0) -> None:
        rates = np.asarray(rates_hz, dtype=float)
        self.tick_hz = tick_hz
        channels = np.arange(rates.shape[0])
        fast = rates > tick_hz
        periods = np.maximum(1, np.round(tick_hz / rates)).astype(np.int64)
        self._slow: list[tuple[int, dict[int, np.ndarray]]] = []  # (period, residue -> channels)
        for period in np.unique(periods[~fast]):
            members = channels[~fast & (periods == period)]
            residues = members % period
            by_residue = {int(r): members[residues == r] for r in np.unique(residues)}
            self._slow.append((int(period), by_residue))
        multiple = np.round(rates[fast] / tick_hz).astype(np.int64)
        self._fast_channels = np.repeat(channels[fast], multiple)
        k = np.concatenate([np.arange(m) for m in multiple]) if multiple.size else np.zeros(0)
        self._fast_offsets = -(np.repeat(multiple, multiple) - 1 - k) / np.repeat(
            rates[fast], multiple
        )

    def due(self, tick: int) -> tuple[np.ndarray, np.ndarray]:
        """(channels, time offsets in seconds <= 0 from the tick's time) sampled on this tick."""
        parts = [groups.get(tick % period, _NONE) for period, groups in self._slow]
        parts.append(self._fast_channels)
        channels = np.concatenate(parts)
        offsets = np.zeros(channels.shape[0])
        if self._fast_channels.size:
            offsets[-self._fast_channels.size :] = self._fast_offsets
        return channels, offsets
