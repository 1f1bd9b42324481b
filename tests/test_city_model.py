"""City model (lifeline-city/1): a valid district parses; every error names source, path, value."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import msgpack
import pytest

from backend_client.city import (
    CITY_FORMAT,
    City,
    CityModelError,
    Limits,
    city_from_dict,
    demo_city_path,
    load_city,
    sensor_to_dict,
    sensors_from_list,
)

SOURCE = "districts/test.json"


def small_city() -> dict[str, Any]:
    """One of everything: an area, a tunnel with compartments and a zone, pipe, node, bridge."""
    return {
        "format": CITY_FORMAT,
        "name": "Test District",
        "areas": [{"id": "A1", "name": "Binhu", "polygon": [[0, 0], [500, 0], [500, 400]]}],
        "tunnels": [
            {
                "id": "T1",
                "name": "Tunnel 1",
                "area": "A1",
                "centreline": [[0, 0, -6], [200, 0, -6], [400, 50, -7]],
                "width": 11.0,
                "height": 3.7,
                "compartments": [
                    {"id": "T1-GAS", "kind": "gas", "name": "Gas", "x0": 0, "x1": 2.5},
                    {"id": "T1-PWR", "kind": "power", "x0": 2.5, "x1": 6.0},
                    {"id": "T1-WT", "kind": "water_telecom", "x0": 6.0, "x1": 11},
                ],
                "fire_zones": [
                    {"id": "T1-Z1", "start": 0, "end": 200},
                    {"id": "T1-Z2", "start": 200, "end": 400},
                ],
            }
        ],
        "pipelines": [
            {
                "id": "W1",
                "domain": "water",
                "area": "A1",
                "diameter": 0.3,
                "depth": 1.5,
                "path": [[0, 20], [300, 20]],
            }
        ],
        "nodes": [{"id": "MH1", "kind": "manhole", "position": [100, 20, 0], "pipeline": "W1"}],
        "bridges": [
            {
                "id": "B1",
                "name": "Nanfei Bridge",
                "start": [50, 100],
                "end": [50, 180],
                "width": 24,
                "deck_height": 9.5,
            }
        ],
        "sensors": [
            {
                "id": "T1-GAS-Z1-CH4-01",
                "name": "CH4 T1 gas zone 1",
                "domain": "tunnel",
                "type": "ch4",
                "unit": "%LEL",
                "position": [100, 1.2, -4.5],
                "asset": "T1",
                "area": "A1",
                "compartment": "T1-GAS",
                "zone": "T1-Z1",
                "rate_hz": 1,
                "limits": {"high": [25, 20, None, None], "deadband": 1},
            },
            {
                "id": "W1-P-01",
                "name": "Pressure W1",
                "domain": "water",
                "type": "pressure",
                "unit": "MPa",
                "position": [150, 20, -1.5],
                "asset": "W1",
                "limits": {"high": [0.8, 0.7, 0.6, None], "low": [0.1, 0.15, 0.2, 0.25]},
            },
            {
                "id": "MH1-CH4-01",
                "name": "CH4 manhole 1",
                "domain": "gas",
                "type": "ch4",
                "unit": "%vol",
                "position": [100, 20, -0.5],
                "asset": "MH1",
            },
            {
                "id": "B1-STRAIN-01",
                "name": "Strain mid-span",
                "domain": "bridge",
                "type": "strain",
                "unit": "microstrain",
                "position": [50, 140, 9.5],
                "asset": "B1",
                "rate_hz": 50,
            },
        ],
    }


def error_of(doc: Any, source: str = SOURCE) -> str:
    with pytest.raises(CityModelError) as info:
        city_from_dict(doc, source)
    return str(info.value)


def assert_names(message: str, *parts: str) -> None:
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"


# --- valid models -----------------------------------------------------------------------------


def test_bare_minimum_city_parses() -> None:
    city = city_from_dict({"format": CITY_FORMAT, "name": "Empty", "sensors": []})
    assert city == City("Empty", (), (), (), (), (), ())
    assert city.bounds() == (0.0, 0.0, 1.0, 1.0)


def test_small_city_parses_into_typed_records() -> None:
    city = city_from_dict(small_city(), SOURCE)

    assert city.name == "Test District"
    tunnel = city.tunnels[0]
    assert tunnel.centreline[2] == (400.0, 50.0, -7.0)
    assert [c.kind for c in tunnel.compartments] == ["gas", "power", "water_telecom"]
    assert tunnel.compartments[1].name == ""
    assert tunnel.fire_zones[1].start == 200.0
    assert city.pipelines[0].path == ((0.0, 20.0), (300.0, 20.0))
    assert city.nodes[0].pipeline == "W1"
    assert city.bridges[0].width == 24.0 and isinstance(city.bridges[0].width, float)
    ch4 = city.sensors[0]
    assert ch4.limits == Limits(high=(25.0, 20.0, None, None), low=(None,) * 4, deadband=1.0)
    assert (ch4.compartment, ch4.zone, ch4.rate_hz) == ("T1-GAS", "T1-Z1", 1.0)
    assert city.sensors[2].limits == Limits()
    assert city.sensors[2].rate_hz == 1.0


def test_channels_are_numbered_in_sensor_order() -> None:
    city = city_from_dict(small_city())
    assert city.sensor_index() == {
        "T1-GAS-Z1-CH4-01": 0,
        "W1-P-01": 1,
        "MH1-CH4-01": 2,
        "B1-STRAIN-01": 3,
    }


def test_bounds_cover_every_drawn_thing() -> None:
    assert city_from_dict(small_city()).bounds() == (0.0, 0.0, 400.0, 180.0)


# --- errors name source, field path and value -------------------------------------------------


def test_wrong_format_tag_is_rejected() -> None:
    doc = small_city()
    doc["format"] = "lifeline-city/2"
    assert_names(error_of(doc), SOURCE, "$.format", "'lifeline-city/2'", CITY_FORMAT)


def test_document_that_is_not_an_object_is_rejected() -> None:
    assert_names(error_of([1, 2]), SOURCE, "$:", "expected an object", "[1, 2]")


@pytest.mark.parametrize(
    ("where", "key", "path"),
    [
        ((), "name", "$.name"),
        ((), "sensors", "$.sensors"),
        (("tunnels", 0), "width", "$.tunnels[0].width"),
        (("tunnels", 0), "compartments", "$.tunnels[0].compartments"),
        (("sensors", 1), "unit", "$.sensors[1].unit"),
        (("sensors", 3), "asset", "$.sensors[3].asset"),
        (("bridges", 0), "deck_height", "$.bridges[0].deck_height"),
    ],
)
def test_missing_required_field_is_named_by_path(where: tuple, key: str, path: str) -> None:
    doc = small_city()
    target: Any = doc
    for step in where:
        target = target[step]
    del target[key]
    assert_names(error_of(doc), SOURCE, path, "required field is missing")


@pytest.mark.parametrize(
    ("mutate", "path", "shown"),
    [
        (lambda d: d["tunnels"][0].update(width="11"), "$.tunnels[0].width", '"11"'),
        (lambda d: d["tunnels"][0].update(height=True), "$.tunnels[0].height", "true"),
        (lambda d: d["sensors"][0].update(unit=3), "$.sensors[0].unit", "3"),
        (lambda d: d["sensors"][1].update(limits=[1]), "$.sensors[1].limits", "[1]"),
        (lambda d: d.update(sensors={"a": 1}), "$.sensors", '{"a": 1}'),
        (lambda d: d["nodes"][0].update(position=[1, 2]), "$.nodes[0].position", "[1, 2]"),
        (lambda d: d["bridges"][0].update(start=[1, "2"]), "$.bridges[0].start", '[1, "2"]'),
        (
            lambda d: d["sensors"][0]["limits"].update(high=[25, "20", None, None]),
            "$.sensors[0].limits.high[1]",
            '"20"',
        ),
    ],
    ids=[
        "str-for-float",
        "bool-for-float",
        "int-for-str",
        "list-for-object",
        "object-for-list",
        "short-point",
        "str-in-point",
        "str-in-limits",
    ],
)
def test_field_of_the_wrong_type_is_named_with_its_value(mutate, path: str, shown: str) -> None:
    doc = small_city()
    mutate(doc)
    assert_names(error_of(doc), SOURCE, path, shown)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["tunnels"][0].update(width=math.nan), "$.tunnels[0].width"),
        (lambda d: d["pipelines"][0].update(depth=math.inf), "$.pipelines[0].depth"),
        (lambda d: d["bridges"][0].update(width=10**400), "$.bridges[0].width"),
        (lambda d: d["sensors"][0].update(position=[0, math.nan, 0]), "$.sensors[0].position"),
        (
            lambda d: d["sensors"][1]["limits"].update(high=[math.inf, 1, None, None]),
            "$.sensors[1].limits.high[0]",
        ),
    ],
    ids=["nan", "inf", "huge-int", "nan-in-point", "inf-in-limits"],
)
def test_non_finite_numbers_are_rejected(mutate, path: str) -> None:
    doc = small_city()
    mutate(doc)
    assert_names(error_of(doc), SOURCE, path)


def test_non_positive_dimension_is_rejected() -> None:
    doc = small_city()
    doc["pipelines"][0]["diameter"] = 0
    assert_names(error_of(doc), SOURCE, "$.pipelines[0].diameter", "must be > 0", "0.0")


def test_unknown_choice_is_rejected_with_the_options() -> None:
    doc = small_city()
    doc["sensors"][0]["domain"] = "electricity"
    assert_names(error_of(doc), SOURCE, "$.sensors[0].domain", "'electricity'", "gas, water")


@pytest.mark.parametrize(("x0", "x1"), [(6.0, 11.5), (-0.5, 2.5), (3.0, 3.0), (4.0, 2.0)])
def test_compartment_outside_the_tunnel_width_is_rejected(x0: float, x1: float) -> None:
    doc = small_city()
    doc["tunnels"][0]["compartments"][2].update(x0=x0, x1=x1)
    assert_names(error_of(doc), SOURCE, "$.tunnels[0].compartments[2]", "11.0", f"{x0}..{x1}")


def test_compartment_exactly_filling_the_width_is_accepted() -> None:
    doc = small_city()
    doc["tunnels"][0]["compartments"] = [{"id": "C", "kind": "combined", "x0": 0, "x1": 11}]
    for sensor in doc["sensors"]:
        sensor.pop("compartment", None)
    assert city_from_dict(doc).tunnels[0].compartments[0].x1 == 11.0


@pytest.mark.parametrize(
    ("side", "values", "shown"),
    [
        ("high", [20, 25, None, None], "[20.0, 25.0, None, None]"),
        ("high", [30, None, 10, 20], "[30.0, None, 10.0, 20.0]"),
        ("low", [0.3, 0.2, None, None], "[0.3, 0.2, None, None]"),
    ],
)
def test_limits_not_ordered_from_level_one_to_four_are_rejected(
    side: str, values: list, shown: str
) -> None:
    doc = small_city()
    doc["sensors"][1]["limits"][side] = values
    rule = "decrease" if side == "high" else "increase"
    message = error_of(doc)
    assert_names(message, SOURCE, f"$.sensors[1].limits.{side}", rule, shown)


def test_limits_with_other_than_four_levels_are_rejected() -> None:
    doc = small_city()
    doc["sensors"][1]["limits"]["low"] = [0.1, 0.2]
    assert_names(error_of(doc), SOURCE, "$.sensors[1].limits.low", "expected 4", "got 2")


@pytest.mark.parametrize(
    ("collection", "path"),
    [
        ("sensors", "$.sensors[4].id"),
        ("areas", "$.areas[1].id"),
        ("tunnels", "$.tunnels[1].id"),
        ("bridges", "$.bridges[1].id"),
    ],
)
def test_duplicate_ids_are_rejected(collection: str, path: str) -> None:
    doc = small_city()
    items = doc[collection]
    items.append(copy.deepcopy(items[0]))
    assert_names(error_of(doc), SOURCE, path, "duplicate id", repr(items[0]["id"]))


def test_duplicate_compartment_id_within_a_tunnel_is_rejected() -> None:
    doc = small_city()
    doc["tunnels"][0]["compartments"][1]["id"] = "T1-GAS"
    assert_names(error_of(doc), SOURCE, "$.tunnels[0].compartments[1].id", "'T1-GAS'")


@pytest.mark.parametrize(
    ("key", "value"),
    [("asset", "T9"), ("area", "A9"), ("compartment", "T1-HEAT"), ("zone", "T1-Z9")],
)
def test_sensor_reference_naming_nothing_is_rejected(key: str, value: str) -> None:
    doc = small_city()
    doc["sensors"][0][key] = value
    assert_names(error_of(doc), SOURCE, f"$.sensors[0].{key}", repr(value), "names no")


def test_sensor_area_is_free_text_when_the_city_has_no_areas() -> None:
    doc = small_city()
    doc["areas"] = []
    doc["tunnels"][0]["area"] = "anywhere"
    doc["sensors"][0]["area"] = "anywhere"
    assert city_from_dict(doc).sensors[0].area == "anywhere"


def test_centreline_with_one_point_is_rejected() -> None:
    doc = small_city()
    doc["tunnels"][0]["centreline"] = [[0, 0, -6]]
    assert_names(error_of(doc), SOURCE, "$.tunnels[0].centreline", "at least 2", "got 1")


def test_polygon_with_two_points_is_rejected() -> None:
    doc = small_city()
    doc["areas"][0]["polygon"] = [[0, 0], [1, 1]]
    assert_names(error_of(doc), SOURCE, "$.areas[0].polygon", "at least 3", "got 2")


def test_fire_zone_with_end_before_start_is_rejected() -> None:
    doc = small_city()
    doc["tunnels"][0]["fire_zones"][1]["end"] = 100
    assert_names(error_of(doc), SOURCE, "$.tunnels[0].fire_zones[1]", "200.0..100.0")


def test_long_values_are_shortened_in_messages() -> None:
    doc = small_city()
    doc["tunnels"][0]["name"] = ["x" * 500]
    message = error_of(doc)
    assert_names(message, "$.tunnels[0].name", '["xxxx', "...")
    assert len(message) < 150


# --- the sensor catalog -----------------------------------------------------------------------


def test_sensors_from_list_round_trips_sensor_to_dict() -> None:
    sensors = city_from_dict(small_city()).sensors
    catalog = [sensor_to_dict(s) for s in sensors]
    assert sensors_from_list(catalog) == sensors


def test_sensor_catalog_survives_msgpack_as_in_the_hello_reply() -> None:
    sensors = city_from_dict(small_city()).sensors
    wire = msgpack.packb([sensor_to_dict(s) for s in sensors], use_bin_type=True)
    assert sensors_from_list(msgpack.unpackb(wire, raw=False)) == sensors


def test_sensor_to_dict_writes_every_field() -> None:
    raw = sensor_to_dict(city_from_dict(small_city()).sensors[0])
    assert raw == {
        "id": "T1-GAS-Z1-CH4-01",
        "name": "CH4 T1 gas zone 1",
        "domain": "tunnel",
        "type": "ch4",
        "unit": "%LEL",
        "position": [100.0, 1.2, -4.5],
        "asset": "T1",
        "area": "A1",
        "compartment": "T1-GAS",
        "zone": "T1-Z1",
        "rate_hz": 1.0,
        "limits": {"high": [25.0, 20.0, None, None], "low": [None] * 4, "deadband": 1.0},
    }


def test_sensors_from_list_names_the_catalog_and_the_bad_entry() -> None:
    catalog = [sensor_to_dict(s) for s in city_from_dict(small_city()).sensors]
    catalog[3]["rate_hz"] = -5
    with pytest.raises(CityModelError) as info:
        sensors_from_list(catalog, "hello catalog")
    assert_names(str(info.value), "hello catalog", "$.sensors[3].rate_hz", "-5.0")


@pytest.mark.parametrize(
    ("raw", "path", "shown"),
    [
        ({"not": "a list"}, "$.sensors", '{"not": "a list"}'),
        ([b"\x01"], "$.sensors[0]", "b'\\x01'"),
        ([{"id": b"x"}], "$.sensors[0].id", "b'x'"),
    ],
)
def test_malformed_catalog_from_the_wire_raises_city_model_error(
    raw: Any, path: str, shown: str
) -> None:
    with pytest.raises(CityModelError) as info:
        sensors_from_list(raw, "catalog")
    assert_names(str(info.value), "catalog", path, shown)


# --- files ------------------------------------------------------------------------------------


def test_load_city_reads_a_file_and_names_it_in_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(small_city()), encoding="utf-8")
    assert load_city(good) == city_from_dict(small_city())

    doc = small_city()
    doc["sensors"][0]["asset"] = "nowhere"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CityModelError) as info:
        load_city(str(bad))
    assert_names(str(info.value), str(bad), "$.sensors[0].asset", "'nowhere'")


def test_load_city_on_invalid_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "lifeline-city/1", "name": ', encoding="utf-8")
    with pytest.raises(CityModelError) as info:
        load_city(path)
    assert_names(str(info.value), str(path), "not valid JSON", "line 1")


def test_load_city_on_a_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"name": "合肥"}'.encode("gbk"))
    with pytest.raises(CityModelError) as info:
        load_city(path)
    assert_names(str(info.value), str(path), "not UTF-8")


def test_load_city_rejects_nan_written_into_the_file(tmp_path: Path) -> None:
    doc = small_city()
    doc["bridges"][0]["deck_height"] = math.nan
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # Python writes NaN; json.loads reads it
    with pytest.raises(CityModelError) as info:
        load_city(path)
    assert_names(str(info.value), str(path), "$.bridges[0].deck_height", "nan")


def test_bundled_demo_city_loads() -> None:
    path = demo_city_path()
    if not path.exists():
        pytest.skip(f"{path} not generated yet")
    city = load_city(path)
    assert city.sensors, "the demo district has sensors"
    assert sensors_from_list([sensor_to_dict(s) for s in city.sensors]) == city.sensors
