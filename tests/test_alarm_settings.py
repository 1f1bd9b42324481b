"""Per-alarm settings (defaults by type and owner, city overrides) and the CSV history export."""

from __future__ import annotations

import pytest

from backend_client.city import (
    AlarmConfig,
    CityModelError,
    city_from_dict,
    demo_city_path,
    load_city,
    sensor_to_dict,
    sensors_from_list,
)
from backend_client.protocol import AlarmStep
from simulator.alarm_settings import DEFAULT_RESPONSIBLE, GUIDANCE, city_settings
from simulator.alarms import ArchivedStep
from simulator.history_csv import CSV_COLUMNS, steps_to_csv


def test_every_demo_sensor_type_has_guidance_and_a_responsible_owner() -> None:
    city = load_city(demo_city_path())
    settings = city_settings(city)
    for sensor, s in zip(city.sensors, settings, strict=True):
        assert (sensor.domain, sensor.type) in GUIDANCE
        assert s.guidance and s.responsible
    units = {(s.domain, c.responsible) for s, c in zip(city.sensors, settings, strict=True)}
    assert units == {
        ("tunnel", "Utility Tunnel Operations Co."),
        ("gas", "City Gas Co."),
        ("water", "Water Supply Co."),
        ("drainage", "Drainage Authority"),
        ("heating", "District Heating Co."),
        ("bridge", "Bridge Maintenance Office"),
    }, "each domain's alarms go to the owner of that network, wherever the sensor sits"


def test_gas_detectors_latch_and_nothing_is_delayed_by_default() -> None:
    city = load_city(demo_city_path())
    pairs = zip(city.sensors, city_settings(city), strict=True)
    latching = {(s.domain, s.type) for s, c in pairs if c.latching}
    assert latching == {("tunnel", "CH4"), ("tunnel", "H2S"), ("gas", "CH4")}
    assert all(c.on_delay_s == c.off_delay_s == 0 for c in city_settings(city))


def _doc(alarm: object = None, owner: str = "") -> dict:
    sensor = {
        "id": "B1/STRAIN/01", "name": "Strain", "domain": "bridge", "type": "STRAIN",
        "unit": "microstrain", "position": [0, 0, 5], "asset": "B1",
        "limits": {"high": [400, 320, 260, 200]},
    }  # fmt: skip
    if alarm is not None:
        sensor["alarm"] = alarm
    bridge = {"id": "B1", "name": "Qinghe", "start": [0, 0], "end": [100, 0], "width": 20,
              "deck_height": 8, "owner": owner}  # fmt: skip
    return {"format": "lifeline-city/1", "name": "x", "bridges": [bridge], "sensors": [sensor]}


def test_a_sensor_without_owner_or_override_falls_back_to_the_domain_default() -> None:
    [s] = city_settings(city_from_dict(_doc()))
    assert s.responsible == DEFAULT_RESPONSIBLE["bridge"] == "Bridge owner"
    assert s.guidance == GUIDANCE[("bridge", "STRAIN")] and not s.latching


def test_city_overrides_win_over_defaults_and_round_trip_through_the_catalog() -> None:
    override = {"on_delay_s": 5, "off_delay_s": 30, "latching": True,
                "guidance": "Close lane 2.", "responsible": "Qinghe Bridge Co."}  # fmt: skip
    city = city_from_dict(_doc(override, owner="Bridge Office"))
    [s] = city_settings(city)
    assert (s.on_delay_s, s.off_delay_s, s.latching, s.guidance, s.responsible) == (
        5.0, 30.0, True, "Close lane 2.", "Qinghe Bridge Co.",
    )  # fmt: skip
    sensor = city.sensors[0]
    assert sensor.alarm == AlarmConfig(5.0, 30.0, True, "Close lane 2.", "Qinghe Bridge Co.")
    assert sensor_to_dict(sensor)["alarm"] == override
    assert sensors_from_list([sensor_to_dict(sensor)]) == city.sensors
    assert "alarm" not in sensor_to_dict(load_city(demo_city_path()).sensors[0])


def test_a_partial_override_keeps_the_other_defaults() -> None:
    [s] = city_settings(city_from_dict(_doc({"off_delay_s": 10}, owner="Bridge Office")))
    assert (s.off_delay_s, s.on_delay_s, s.responsible) == (10.0, 0.0, "Bridge Office")


@pytest.mark.parametrize(
    ("alarm", "message"),
    [
        ({"on_delay_s": -1}, "sensors\\[0\\].alarm.on_delay_s: must be >= 0, got -1.0"),
        ({"latching": "yes"}, 'sensors\\[0\\].alarm.latching: expected bool, got "yes"'),
        ({"guidance": 7}, "sensors\\[0\\].alarm.guidance: expected str, got 7"),
        ([1], "sensors\\[0\\].alarm: expected dict"),
    ],
)
def test_a_bad_alarm_override_names_its_field(alarm: object, message: str) -> None:
    with pytest.raises(CityModelError, match=message):
        city_from_dict(_doc(alarm))


def test_csv_export_has_a_header_and_one_quoted_row_per_step() -> None:
    step = AlarmStep("feedback", "li.wei", "operator", "desk-3", 1_767_225_600_123_000,
                     'crew says: "valve, closed"', "")  # fmt: skip
    text = steps_to_csv([ArchivedStep("T1/GAS/Z01/CH4/01", 1_767_225_000_000_000, step)])
    header, row = text.splitlines()
    assert header == ",".join(CSV_COLUMNS)
    assert row == (
        "2026-01-01T00:00:00.123Z,T1/GAS/Z01/CH4/01,2025-12-31T23:50:00.000Z,feedback,,"
        'li.wei,operator,desk-3,"crew says: ""valve, closed"""'
    )
