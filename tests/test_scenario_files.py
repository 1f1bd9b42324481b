"""Scenario files: the library, validation errors that point at the field, seeded determinism."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backend_client.city import City, demo_city_path, load_city
from simulator.cli import parse_scenario_file
from simulator.scenario_file import (
    ScenarioFileError,
    library_names,
    library_path,
    load_scenario_file,
    scenario_from_dict,
)
from simulator.scenario_file_compile import CompiledScenario, check_targets, compile_scenario
from simulator.scenario_file_render import render
from simulator.scenario_run import ScenarioError

DRILL: dict[str, Any] = {
    "format": "lifeline-scenario/1",
    "name": "mixed",
    "title": "Mixed drill",
    "seed": 17,
    "exercise": True,
    "duration_s": 90,
    "time_scale": 8,
    "events": [
        {"at_s": 5, "kind": "water_burst", "near_sensor": "WS/P-W-009/PRESS/01", "area_m2": 0.02},
        {"at_s": 0, "kind": "gas_release", "tunnel": "T1", "zone": "T1/Z03", "rate_m3s": 0.3},
        {"at_s": 0, "kind": "bridge_traffic", "bridge": "B1"},
        {"at_s": 30, "kind": "bridge_overload", "bridge": "B1", "gross_t": 60},
        {"at_s": 10, "kind": "scenario", "name": "drainage-overflow", "params": {"seed": 3}},
    ],
}


@pytest.fixture(scope="module")
def demo() -> City:
    return load_city(demo_city_path())


def test_every_library_file_loads_names_itself_and_fits_the_demo_city(demo: City) -> None:
    names = library_names()
    assert {"burst-drill", "storm-drill", "tunnel-gas-drill", "bridge-overload-drill"} <= set(names)
    for name in names:
        spec = load_scenario_file(library_path(name))
        assert spec.name == name and spec.title and len(spec.description) > 40
        check_targets(demo, spec)
    assert any(not load_scenario_file(library_path(n)).exercise for n in names), "a test file"
    assert library_path("../cities/demo") is None and library_path("nope") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "x"}, "$.format: must be 'lifeline-scenario/1', got \"x\""),
        ({"seed": "7"}, '$.seed: must be int, got "7"'),
        ({"seed": -1}, "$.seed: must be >= 0, got -1"),
        ({"exercise": 1}, "$.exercise: must be bool, got 1"),
        ({"duration_s": 0}, "$.duration_s: must be > 0, got 0"),
        ({"events": {}}, "$.events: must be list, got {}"),
        ({"events": [{"at_s": 1, "kind": "tsunami"}]}, "$.events[0].kind: must be one of"),
        ({"events": [{"kind": "rainstorm"}]}, "$.events[0].at_s: is required"),
        ({"events": [{"at_s": 100, "kind": "rainstorm"}]}, "$.events[0].at_s: must be before"),
        (
            {"events": [{"at_s": 1, "kind": "rainstorm", "return_period_y": -5}]},
            "$.events[0].return_period_y: must be > 0, got -5",
        ),
        (
            {"events": [{"at_s": 1, "kind": "rainstorm", "depth": 3}]},
            "$.events[0].depth: unknown field for rainstorm (known: return_period_y,",
        ),
        (
            {"events": [{"at_s": 1, "kind": "water_burst", "node": "V-W-001", "pipeline": "P"}]},
            "$.events[0]: water_burst needs exactly one of near_sensor, node, pipeline",
        ),
        (
            {"events": [{"at_s": 1, "kind": "gas_release", "zone": "T1/Z01"}]},
            "$.events[0].tunnel: is required",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_the_field_and_the_value(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    doc = {**copy.deepcopy(DRILL), **change}
    path = tmp_path / "drill.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario_file(path)
    assert str(caught.value).startswith("drill.json: ")
    assert message in str(caught.value)


def test_a_target_the_city_lacks_is_refused_before_any_model_runs(demo: City) -> None:
    doc = copy.deepcopy(DRILL)
    doc["events"][1]["zone"] = "T1/Z42"
    with pytest.raises(ScenarioError, match=r"drill: \$.events\[1\]: tunnel T1 has no fire zone"):
        check_targets(demo, scenario_from_dict(doc, "drill"))


@pytest.fixture(scope="module")
def mixed(demo: City) -> CompiledScenario:
    return compile_scenario(demo, scenario_from_dict(DRILL, "mixed.json"))


def test_two_runs_of_one_seeded_scenario_publish_identical_samples_and_alarms(
    demo: City, mixed: CompiledScenario
) -> None:
    again = compile_scenario(demo, scenario_from_dict(DRILL, "mixed.json"))
    first, second = render(demo, mixed, 60.0), render(demo, again, 60.0)
    for name in ("channels", "times_us", "values", "quality"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name), err_msg=name)
    assert first.alarms == second.alarms and len(first.alarms) > 0
    dry = {**DRILL, "events": DRILL["events"][1:]}  # no burst: a seed changes traffic and noise
    one, other = (compile_scenario(demo, scenario_from_dict({**dry, "seed": s})) for s in (1, 2))
    assert not np.array_equal(render(demo, one, 30.0).values, render(demo, other, 30.0).values)


def test_alarms_a_drill_raises_carry_the_exercise_mark_and_others_do_not(
    demo: City, mixed: CompiledScenario
) -> None:
    drill = render(demo, mixed, 40.0)
    driven = {demo.sensors[c].id for r in mixed.runs for c in r.run.channels}
    raised = [a for a in drill.alarms if a.active]
    assert raised and all(a.exercise == (a.sensor in driven) for a in raised)
    real = replace(mixed, spec=replace(mixed.spec, exercise=False))
    assert not any(a.exercise for a in render(demo, real, 40.0).alarms)


def test_the_command_line_takes_a_path_or_a_library_name_with_a_delay(tmp_path: Path) -> None:
    spec, delay = parse_scenario_file("burst-drill@30")
    assert (spec.name, spec.exercise, delay) == ("burst-drill", True, 30.0)
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(DRILL), encoding="utf-8")
    assert parse_scenario_file(str(path)) == (scenario_from_dict(DRILL), 0.0)
