"""Calm signals: inside their limits all day, following local time, with honest quality codes."""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.city import City, Limits, Sensor, demo_city_path, load_city
from backend_client.protocol import Quality
from simulator.signals import SIGNAL_TABLE, EmissionSchedule, SignalModel, params_for

T0 = 1_750_000_000.0  # a fixed UTC instant, seconds


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


def _limit_table(city: City, side: str) -> np.ndarray:
    rows = [getattr(s.limits, side) for s in city.sensors]
    return np.array([[np.nan if v is None else v for v in r] for r in rows])


def test_calm_day_stays_inside_level_iv_limits(demo: City) -> None:
    model = SignalModel(demo.sensors, seed=11)
    channels = np.arange(len(demo.sensors))
    high, low = _limit_table(demo, "high"), _limit_table(demo, "low")
    worst = np.full(len(channels), 5)  # most severe level seen; 5 = never alarmed
    good_samples = 0
    for t in np.arange(T0, T0 + 86_400, 60.0):
        model.advance(t)
        values, quality = model.sample(channels, t)
        good = quality == Quality.GOOD
        good_samples += int(good.sum())
        with np.errstate(invalid="ignore"):
            hit = (values[:, None] >= high) | (values[:, None] <= low)
        level = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, 5)
        worst = np.where(good, np.minimum(worst, level), worst)
    assert good_samples > 0.99 * 1440 * len(channels)
    offenders = [demo.sensors[i].id for i in np.flatnonzero(worst <= 4)]
    assert offenders == [], "calm signals never reach level IV"


def test_every_demo_sensor_type_has_tuned_parameters(demo: City) -> None:
    missing = {(s.domain, s.type) for s in demo.sensors} - set(SIGNAL_TABLE)
    assert missing == set()


def test_daily_cycle_follows_local_time(demo: City) -> None:
    model = SignalModel(demo.sensors, seed=1, utc_offset_h=8.0)
    flows = np.array([i for i, s in enumerate(demo.sensors) if s.type == "FLOW"])
    midnight_local = (T0 // 86_400) * 86_400 - 8 * 3600
    evening = model.mean(flows, np.full(flows.size, midnight_local + 19 * 3600))
    night = model.mean(flows, np.full(flows.size, midnight_local + 3 * 3600))
    assert np.all(evening > night), "water demand peaks in the evening, not at 3 a.m."


def test_same_seed_gives_same_signals(demo: City) -> None:
    channels = np.arange(len(demo.sensors))
    runs = []
    for _ in range(2):
        model = SignalModel(demo.sensors, seed=42)
        model.advance(T0)
        model.advance(T0 + 1)
        runs.append(model.sample(channels, T0 + 1)[0])
    np.testing.assert_array_equal(runs[0], runs[1])


def test_dropouts_are_nan_and_missing_and_faults_are_flagged(demo: City) -> None:
    model = SignalModel(demo.sensors, seed=3, dropout_prob=0.02, fault_prob=0.02)
    channels = np.arange(len(demo.sensors))
    missing_runs = []
    for t in np.arange(T0, T0 + 20, 1.0):
        model.advance(t)
        values, quality = model.sample(channels, t)
        missing = quality == Quality.MISSING
        assert np.all(np.isnan(values[missing]))
        assert np.all(np.isfinite(values[~missing]))
        assert np.any(quality == Quality.FAULT)
        missing_runs.append(missing)
    held = np.logical_and(missing_runs[5], missing_runs[6]).sum()
    assert held > 0, "a dropout lasts several seconds, not one sample"


def test_schedule_honours_each_sensors_rate() -> None:
    rates = np.array([1.0, 0.2, 10.0, 20.0, 1.0])
    schedule = EmissionSchedule(rates, tick_hz=10.0)
    counts = np.zeros(rates.size, dtype=int)
    for tick in range(100):  # ten seconds
        channels, offsets = schedule.due(tick)
        np.add.at(counts, channels, 1)
        assert np.all((offsets <= 0) & (offsets > -0.1))
    assert counts.tolist() == [10, 2, 100, 200, 10]
    first_ticks = [min(t for t in range(100) if c in schedule.due(t)[0].tolist()) for c in (0, 4)]
    assert first_ticks[0] != first_ticks[1], "same-rate sensors are staggered across ticks"


def test_unknown_sensor_type_gets_a_quiet_signal_inside_its_limits() -> None:
    sensor = Sensor(
        id="X/1",
        name="custom",
        domain="water",
        type="TURBIDITY",
        unit="NTU",
        position=(0.0, 0.0, 0.0),
        asset="P",
        area="",
        limits=Limits(high=(5.0, 4.0, 3.0, 2.0)),
    )
    params = params_for(sensor, SIGNAL_TABLE)
    assert 0 < params.baseline < 2.0
    model = SignalModel([sensor], seed=0, dropout_prob=0, fault_prob=0)
    model.advance(T0)
    values, _ = model.sample(np.zeros(50, dtype=int), np.full(50, T0))
    assert np.all(values < 2.0)
