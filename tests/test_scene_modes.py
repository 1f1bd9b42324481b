"""CityScene display modes offscreen: x-ray cutaway, pipes by live value, legend, labels, LOD."""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.vtkRenderingCore import vtkRenderWindow

from backend_client.city import city_from_dict
from tests.test_city_scene import small_city_dict
from widgets.city_scene import CityScene, read_pixels
from widgets.scene_camera import pose_looking_at
from widgets.scene_demo import fixture_city
from widgets.scene_geometry import centreline_frame, tunnel_geometry
from widgets.scene_labels import LabelLayer, district_groups, place_labels
from widgets.scene_pipes import domain_colours
from widgets.scene_sensors import ALARM_MIN_PX, project_to_display
from widgets.scene_style import (
    COMPARTMENT_HEX,
    DOMAIN_HEX,
    LEGEND_PANEL_HEX,
    LEVEL_IV,
    font_for_height,
    hex_rgb,
)
from widgets.scene_values import (
    NO_VALUE_HEX,
    OTHER_NETWORK_HEX,
    RAMP,
    PipelineValues,
    value_colours,
)

W, H = 640, 480


def _city_with_pressure():
    """The small test city plus water pressure sensors on its water main and a node."""
    d = small_city_dict()
    d["pipelines"].append(
        {
            "id": "pipe-water-2",
            "domain": "water",
            "diameter": 0.4,
            "depth": 2.0,
            "path": [[0, 250], [1100, 250]],
        }
    )
    d["nodes"].append(
        {"id": "V1", "kind": "valve", "position": [600, 250, -2.0], "pipeline": "pipe-water-2"}
    )
    limits = {"high": [0.7, 0.65, 0.6, 0.55], "low": [0.1, 0.14, 0.18, 0.22]}
    for sid, asset, x, y in (("WP0", "pipe-water", 200, 150), ("WP1", "pipe-water", 900, 150)):
        d["sensors"].append(
            {
                "id": sid,
                "name": f"Pressure {sid}",
                "domain": "water",
                "type": "PRESS",
                "unit": "MPa",
                "position": [x, y, -2.0],
                "asset": asset,
                "limits": limits,
            }
        )
    d["sensors"].append(
        {
            "id": "WP2",
            "name": "Pressure at valve",
            "domain": "water",
            "type": "PRESS",
            "unit": "MPa",
            "position": [600, 250, -2.0],
            "asset": "V1",
            "limits": limits,
        }
    )
    return city_from_dict(d, "<pressure city>")


@pytest.fixture(scope="module")
def rig():
    scene = CityScene(_city_with_pressure())
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(W, H)
    scene.attach(window)
    yield scene, window
    window.Finalize()


@pytest.fixture
def scene(rig):
    scene, _ = rig
    scene.set_sensor_states(np.zeros(len(scene.city.sensors), np.uint8))
    scene.set_selected(None)
    scene.set_xray(False)
    scene.set_pipe_mode(None)
    scene.set_legend_visible(False)
    scene.overview()
    return scene


def _frame(rig) -> np.ndarray:
    _, window = rig
    window.Render()
    return read_pixels(window, rerender=False)


def _patch(frame: np.ndarray, x: float, y: float) -> np.ndarray:
    r, c = frame.shape[0] - 1 - round(y), round(x)
    return frame[r - 1 : r + 2, c - 1 : c + 2].reshape(-1, 3).mean(axis=0)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


# --- x-ray -------------------------------------------------------------------------------------


def _compartment_points(city, height_frac: float) -> dict[str, np.ndarray]:
    """Each compartment's middle, at a fraction of the tunnel height, 200 m along."""
    tunnel = city.tunnels[0]
    centre = np.asarray(tunnel.centreline, float)
    offset, chainage = centreline_frame(centre)
    p = centre[0] + (centre[1] - centre[0]) * (200.0 / chainage[1])
    left = offset[0] / np.linalg.norm(offset[0])
    return {
        c.kind: p
        + left * (tunnel.width / 2 - (c.x0 + c.x1) / 2)
        + [0, 0, tunnel.height * height_frac]
        for c in tunnel.compartments
    }


@pytest.mark.parametrize("xray", [False, True], ids=["solid", "xray"])
def test_compartments_are_distinguishable_in_solid_and_xray_modes(rig, scene, xray):
    scene.set_xray(xray)
    points = _compartment_points(scene.city, 0.1)  # near the floor: under the roof when solid
    mid = np.mean(list(points.values()), axis=0)
    scene.apply_pose(pose_looking_at(tuple(mid), 45.0, 0.0, 60.0))
    frame = _frame(rig)
    xy, *_ = project_to_display(
        scene.renderer, np.array([points["power"], points["water_telecom"]])
    )
    power, water = (_patch(frame, x, y) for x, y in xy)
    assert np.linalg.norm(power - water) > 30, (power, water)
    cp, cw = (np.array(hex_rgb(COMPARTMENT_HEX[k]), float) for k in ("power", "water_telecom"))
    assert _cosine(power, cp) > _cosine(power, cw)
    assert _cosine(water, cw) > _cosine(water, cp)


def test_xray_swaps_solid_compartments_for_cut_away_ones(scene):
    assert all(a.GetVisibility() for a in scene.static.tunnels)
    assert not any(a.GetVisibility() for a in scene.static.cutaway)
    scene.set_xray(True)
    assert not any(a.GetVisibility() for a in scene.static.tunnels)
    assert all(a.GetVisibility() for a in scene.static.cutaway)
    assert scene.static.cutaway[0].GetProperty().GetOpacity() < 1.0


def test_cutaway_compartments_stop_at_mid_height_and_have_no_roof(rig):
    city = rig[0].city
    solid, _, _ = tunnel_geometry(city.tunnels)
    cut, _, _ = tunnel_geometry(city.tunnels, cutaway=True)
    t = city.tunnels[0]
    z_floor = min(p[2] for p in t.centreline)
    top = max(cut.GetPoint(i)[2] for i in range(cut.GetNumberOfPoints()))
    assert top == pytest.approx(z_floor + t.height / 2.0, abs=1e-6)
    # one side of four (the roof) is left out of every swept segment
    assert cut.GetNumberOfCells() < solid.GetNumberOfCells()


def test_xray_shows_the_pipe_inside_a_compartment_that_solid_hides():
    city = fixture_city()
    scene = CityScene(city)
    scene.set_legend_visible(False)
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(W, H)
    scene.attach(window)
    pipe = next(p for p in city.pipelines if p.tunnel)
    x, y = pipe.path[0][0] + 300.0, pipe.path[0][1]
    target = np.array([x, y, -pipe.depth])
    scene.apply_pose(pose_looking_at(tuple(target), 30.0, 0.0, 70.0))
    gas = np.array(hex_rgb(DOMAIN_HEX["gas"]), float)

    def gas_pixels() -> int:
        window.Render()
        frame = read_pixels(window, rerender=False).astype(float)
        return int((np.linalg.norm(frame - gas, axis=2) < 40).sum())

    solid = gas_pixels()
    scene.set_xray(True)
    xray = gas_pixels()
    window.Finalize()
    assert xray > solid + 200, (solid, xray)


# --- pipelines by value --------------------------------------------------------------------------


def test_value_colours_map_the_range_onto_the_ramp_and_mark_missing_values():
    rgba = value_colours(np.array([0.1, 0.7, 0.4, np.nan, 5.0]), 0.1, 0.7)
    assert rgba.shape == (5, 4) and (rgba[:, 3] == 255).all()
    assert tuple(rgba[0, :3]) == tuple(RAMP[0])
    assert tuple(rgba[1, :3]) == tuple(RAMP[-1])
    assert tuple(rgba[3, :3]) == hex_rgb(NO_VALUE_HEX)
    assert tuple(rgba[4, :3]) == tuple(RAMP[-1])  # clamped, not wrapped
    shown = np.array([True, False, True, True, True])
    assert tuple(value_colours(np.zeros(5), 0, 1, shown)[1, :3]) == hex_rgb(OTHER_NETWORK_HEX)


def test_pipeline_value_is_the_mean_of_its_good_readings_including_node_sensors(rig):
    city = rig[0].city
    pv = PipelineValues(city)
    mode = pv.mode("water/PRESS")
    assert (mode.unit, mode.vmin, mode.vmax) == ("MPa", 0.1, 0.7)
    values = np.full(len(city.sensors), np.nan)
    ids = [s.id for s in city.sensors]
    values[ids.index("WP0")], values[ids.index("WP1")] = 0.3, 0.5
    values[ids.index("WP2")] = 0.2
    per_pipe = pv.per_pipeline("water/PRESS", values)
    pipes = [p.id for p in city.pipelines]
    assert per_pipe[pipes.index("pipe-water")] == pytest.approx(0.4)
    assert per_pipe[pipes.index("pipe-water-2")] == pytest.approx(0.2)  # via valve V1
    assert np.isnan(per_pipe[pipes.index("pipe-gas")])
    good = np.ones(len(values), bool)
    good[ids.index("WP1")] = False
    assert pv.per_pipeline("water/PRESS", values, good)[pipes.index("pipe-water")] == 0.3


def test_value_mode_recolours_pipes_in_one_table_write_and_shows_the_colour_bar(rig, scene):
    pipes = scene.static.pipes
    table = pipes.lut.GetTable()
    ptr = table.GetPointer(0)
    assert not scene.value_bar.actor.GetVisibility()
    scene.set_pipe_mode("water/PRESS")
    assert scene.value_bar.actor.GetVisibility()
    assert "Water pressure (MPa)" in scene.value_bar.actor.GetTitle()
    values = np.full(len(scene.city.sensors), 0.7)
    scene.set_pipe_values(values)
    assert pipes.lut.GetTable().GetPointer(0) == ptr  # written in place
    water = [i for i, d in enumerate(pipes.domains) if d == "water"]
    assert tuple(pipes.colours()[water[0], :3]) == tuple(RAMP[-1])
    scene.set_pipe_mode(None)
    assert not scene.value_bar.actor.GetVisibility()
    assert np.array_equal(pipes.colours(), domain_colours(pipes.domains))


def _best_match(frame: np.ndarray, x: float, y: float, colour: np.ndarray) -> float:
    """Highest hue similarity to a colour among the bright pixels around a display point."""
    r, c = frame.shape[0] - 1 - round(y), round(x)
    around = frame[r - 6 : r + 7, c - 6 : c + 7].reshape(-1, 3).astype(float)
    bright = around[around.max(axis=1) > 60]
    assert len(bright), "nothing drawn at the pipe"
    unit = bright / np.linalg.norm(bright, axis=1)[:, None]
    return float((unit @ (colour / np.linalg.norm(colour))).max())


def test_water_main_renders_in_its_value_colour(rig, scene):
    city = scene.city
    main = next(p for p in city.pipelines if p.id == "pipe-water")
    target = np.array([450.0, main.path[0][1], -main.depth])
    scene.apply_pose(pose_looking_at(tuple(target), 150.0, 0.0, 80.0))
    top = np.array(RAMP[-1], float)
    water = np.array(hex_rgb(DOMAIN_HEX["water"]), float)
    (x, y), *_ = project_to_display(scene.renderer, target[None, :])[0]

    frame = _frame(rig)
    assert _best_match(frame, x, y, water) > _best_match(frame, x, y, top)
    scene.set_pipe_mode("water/PRESS")
    values = np.full(len(city.sensors), np.nan)
    values[[s.id for s in city.sensors].index("WP0")] = 0.7  # top of the scale: ramp yellow
    scene.set_pipe_values(values)
    frame = _frame(rig)
    assert _best_match(frame, x, y, top) > _best_match(frame, x, y, water)
    assert _best_match(frame, x, y, top) > 0.98


def test_tubes_are_skipped_at_the_overview_and_drawn_close_up(rig, scene):
    _frame(rig)
    assert not scene.static.pipes.tubes.GetVisibility()
    assert scene.static.pipes.lines.GetVisibility()
    scene.focus_sensor(0, distance=40.0)
    _frame(rig)
    assert scene.static.pipes.tubes.GetVisibility()


# --- legend --------------------------------------------------------------------------------------


def test_legend_panel_draws_in_the_top_left_and_hides_on_request(rig, scene):
    scene.set_legend_visible(True)
    frame = _frame(rig).astype(float)
    strip = (slice(20, 120), slice(16, 21))  # the panel's padding, left of the swatches
    panel = np.array(hex_rgb(LEGEND_PANEL_HEX), float)
    assert np.linalg.norm(frame[strip].reshape(-1, 3).mean(axis=0) - panel) < 12
    rows = scene.legend.rows
    for words in ("Level I, most severe", "Level IV", "Normal", "Bad quality", "Offline / no data"):
        assert words in rows
    assert {"Gas", "Water", "Drainage", "Heating"} <= set(rows)
    texts = [t.GetInput() for t in scene.legend.texts if t.GetVisibility()]
    assert {"I", "II", "III", "IV", "?"} <= set(texts)  # the tags the glyphs carry
    scene.set_pipe_mode("water/PRESS")
    _frame(rig)
    assert "Gas" not in scene.legend.rows
    scene.set_legend_visible(False)
    frame = _frame(rig).astype(float)
    assert np.linalg.norm(frame[strip].reshape(-1, 3).mean(axis=0) - panel) > 6


def test_legend_type_grows_with_the_screen():
    assert font_for_height(1000) == 16
    assert font_for_height(2160) > 30 - 1
    assert font_for_height(300) == 13


# --- labels --------------------------------------------------------------------------------------


def test_place_labels_never_overlaps_and_respects_the_order():
    xy = np.array([[10.0, 10.0], [20.0, 12.0], [300.0, 10.0], [15.0, 200.0]])
    sizes = np.array([[100.0, 20.0]] * 4)
    kept = place_labels(xy, sizes, np.array([1, 0, 2, 3]), (640, 480))
    assert kept == [1, 2, 3]


def test_districts_group_tiled_area_names_only():
    assert district_groups(["D00 Old Town", "D00 Riverside", "D01 Old Town", "D01 Riverside"]) == {
        "D00": [0, 1],
        "D01": [2, 3],
    }
    assert district_groups(["Old Town", "Riverside", "North Gate"]) == {}


def _tiled_city(n: int):
    from simulator.citygen import generate

    return city_from_dict(generate(n))


def test_big_city_overview_names_districts_and_still_shows_alarms():
    city = _tiled_city(16)
    scene = CityScene(city)
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(1280, 800)
    scene.attach(window)
    codes = np.zeros(len(city.sensors), np.uint8)
    codes[7] = LEVEL_IV
    scene.set_sensor_states(codes)
    window.Render()
    shown = scene.labels.shown_texts()
    assets = {t.name for t in city.tunnels} | {b.name for b in city.bridges}
    assert len(shown) >= 8
    assert not assets & set(shown), shown
    assert len(shown) <= 1280 * 800 / 12000
    # a far overview still draws an alarm big enough to see, and picks it where it is drawn
    _, _, px_per_m, _ = project_to_display(scene.renderer, scene.sensors.positions[7:8])
    diameter = px_per_m[0] * scene.sensors.size * scene.sensors.scale[7]
    assert diameter >= ALARM_MIN_PX - 1.0
    x, y = scene.sensor_display_position(7)
    assert scene.pick_sensor(x + diameter * 0.4, y) == 7
    window.Finalize()


def test_zooming_in_names_the_tunnel():
    city = _tiled_city(4)
    scene = CityScene(city)
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(1280, 800)
    scene.attach(window)
    tunnel = city.tunnels[0]
    scene.focus_tunnel(tunnel.id)
    window.Render()
    assert tunnel.name in scene.labels.shown_texts()
    window.Finalize()


def test_labels_are_chosen_per_camera_without_overlap(rig, scene):
    _frame(rig)
    layer: LabelLayer = scene.labels
    shown = layer.shown
    xy, *_ = project_to_display(scene.renderer, layer.candidates.anchors[shown])
    boxes = [
        (x + ox, y + oy, x + ox + w, y + oy + h)
        for (x, y), (w, h), (ox, oy) in zip(
            xy, layer._sizes[shown], layer._offset[shown], strict=True
        )
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_a_moving_camera_draws_a_big_citys_splats_as_plain_points_and_restores_them():
    from backend_client.city import city_from_dict
    from simulator.citygen import generate
    from widgets.city_scene import CityScene

    scene = CityScene(city_from_dict(generate(15), "15x"))  # over 5,000 sensors and nodes
    mapper = scene.sensors.mapper
    nodes = scene.static.nodes.GetMapper()
    sizes = mapper.GetScaleFactor(), nodes.GetScaleFactor()
    assert min(sizes) > 0
    scene.set_moving(True)
    assert (mapper.GetScaleFactor(), nodes.GetScaleFactor()) == (0.0, 0.0)  # VTK: plain points
    scene.set_moving(False)
    assert (mapper.GetScaleFactor(), nodes.GetScaleFactor()) == sizes
