"""The city generator and the bundled demo district: valid, deterministic, big enough, tileable."""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from backend_client.city import City, city_from_dict, demo_city_path, load_city
from simulator import geometry
from simulator.citygen import generate, main


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


def test_bundled_demo_file_is_what_the_generator_makes(demo: City) -> None:
    assert demo == city_from_dict(generate(1))


def test_generation_is_deterministic_for_a_seed() -> None:
    assert generate(1, seed=5) == generate(1, seed=5)
    assert generate(1, seed=5) != generate(1, seed=6)


def test_demo_has_two_km_scale_tunnels_split_into_200m_fire_zones(demo: City) -> None:
    assert len(demo.tunnels) >= 2
    for t in demo.tunnels:
        length = geometry.length([p[:2] for p in t.centreline])
        assert length >= 2000
        assert len(t.fire_zones) == math.ceil(length / 200 - 1e-6)
        starts = [z.start for z in t.fire_zones]
        ends = [z.end for z in t.fire_zones]
        assert starts[0] == 0 and ends[-1] == pytest.approx(length, abs=0.5)
        assert starts[1:] == ends[:-1], "fire zones are contiguous"
        assert all(e - s <= 200 for s, e in zip(starts, ends, strict=True))
        assert {c.kind for c in t.compartments} >= {"gas", "power", "water_telecom", "heating"}
        assert all(-8 <= p[2] <= -5 for p in t.centreline), "tunnel floors lie 5-8 m deep"


def test_demo_has_km_of_pipes_in_every_network_and_two_bridges(demo: City) -> None:
    km = Counter[str]()
    for p in demo.pipelines:
        km[p.domain] += geometry.length(p.path) / 1000
    assert set(km) == {"gas", "water", "drainage", "heating"}
    assert min(km.values()) >= 3
    assert len(demo.bridges) == 2


def test_demo_has_hundreds_of_sensors_with_limits_in_every_domain(demo: City) -> None:
    assert len(demo.sensors) >= 300
    assert {s.domain for s in demo.sensors} == {
        "tunnel",
        "gas",
        "water",
        "drainage",
        "heating",
        "bridge",
    }
    for s in demo.sensors:
        assert any(v is not None for v in (*s.limits.high, *s.limits.low)), s.id
    rates = {s.type: s.rate_hz for s in demo.sensors if s.domain == "bridge"}
    assert rates["ACCEL"] == 10.0


def test_tunnel_sensor_ids_read_tunnel_compartment_zone_type_number(demo: City) -> None:
    pattern = re.compile(r"^(T\d+)/([A-Z]+)/(Z\d\d)/([A-Z0-9]+)/(\d\d)$")
    tunnel_sensors = [s for s in demo.sensors if s.domain == "tunnel"]
    assert tunnel_sensors
    for s in tunnel_sensors:
        m = pattern.match(s.id)
        assert m, s.id
        assert s.compartment == f"{m[1]}/{m[2]}" and s.zone == f"{m[1]}/{m[3]}"
        assert s.type == m[4]
    kit = Counter((s.zone, s.type) for s in tunnel_sensors if s.compartment.endswith("/GAS"))
    zones = {z.id for t in demo.tunnels for z in t.fire_zones}
    assert all(kit[(z, "CH4")] == 1 for z in zones), "one methane detector per gas fire zone"


def test_tunnel_sensors_sit_inside_their_tunnel(demo: City) -> None:
    floors = {t.id: (min(p[2] for p in t.centreline), t.height) for t in demo.tunnels}
    for s in demo.sensors:
        if s.domain == "tunnel":
            low, height = floors[s.asset]
            assert low - 0.5 <= s.position[2] <= low + height + 1.0, s.id


def test_drainage_manholes_are_listed_upstream_to_outfall(demo: City) -> None:
    drains = {p.id: p for p in demo.pipelines if p.domain == "drainage"}
    by_pipe: dict[str, list] = {}
    for n in demo.nodes:
        if n.pipeline in drains:
            by_pipe.setdefault(n.pipeline, []).append(n)
    assert len(by_pipe) == len(drains)
    for pid, nodes in by_pipe.items():
        chain = [geometry.distance_along(drains[pid].path, n.position) for n in nodes]
        inverts = [-n.position[2] for n in nodes]
        assert chain == sorted(chain), pid
        assert inverts == sorted(inverts), f"{pid} deepens downstream"
        kinds = [n.kind for n in nodes]
        assert "outfall" not in kinds[:-1]


def test_manhole_level_limits_follow_manhole_depth(demo: City) -> None:
    nodes = {n.id: n for n in demo.nodes}
    levels = [s for s in demo.sensors if s.type == "LEVEL"]
    assert levels
    for s in levels:
        depth = -nodes[s.asset].position[2]
        assert s.limits.high[0] == pytest.approx(0.9 * depth, abs=0.01)


def test_scale_10_has_ten_times_the_sensors_with_unique_ids(demo: City) -> None:
    city = city_from_dict(generate(10))
    assert len(city.sensors) == 10 * len(demo.sensors)
    assert len({s.id for s in city.sensors}) == len(city.sensors)
    assert len({p.id for p in city.pipelines}) == 10 * len(demo.pipelines)
    prefixes = {s.id.split(":", 1)[0] for s in city.sensors}
    assert prefixes == {f"D{k:02d}" for k in range(10)}
    boxes = []
    for prefix in sorted(prefixes):
        xy = np.array([s.position[:2] for s in city.sensors if s.id.startswith(prefix + ":")])
        boxes.append((*xy.min(axis=0), *xy.max(axis=0)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
            assert apart, "tiles do not overlap"


def test_scale_100_is_quick_and_city_sized() -> None:
    started = time.perf_counter()
    doc = generate(100)
    assert time.perf_counter() - started < 5.0
    assert len(doc["sensors"]) >= 30_000
    km = sum(geometry.length(p["path"]) for p in doc["pipelines"]) / 1000
    assert km >= 500


def test_cli_writes_a_city_the_loader_accepts(tmp_path: Path) -> None:
    out = tmp_path / "city.json"
    assert main(["--scale", "2", "--seed", "3", "-o", str(out)]) == 0
    city = load_city(out)
    assert city == city_from_dict(generate(2, seed=3))


def test_hand_made_example_in_the_format_document_is_valid() -> None:
    text = (Path(__file__).parents[1] / "docs" / "city-model.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.S)
    assert example, "docs/city-model.md keeps a complete example"
    city = city_from_dict(json.loads(example[1]), "docs/city-model.md")
    assert len(city.sensors) == 3 and city.sensors[0].id == "T1/GAS/Z01/CH4/01"
    gas = city.tunnels[0]
    xyz = geometry.section_point(gas.centreline, gas.width, 100.0, 1.1, 3.3)
    assert xyz == pytest.approx(city.sensors[0].position, abs=0.05), "the worked position holds"
