"""CityScene without Qt: rendered pixels, picking, state arrays, camera presets (offscreen VTK)."""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.vtkRenderingCore import vtkRenderWindow

from backend_client.city import CITY_FORMAT, city_from_dict
from widgets.city_scene import CityScene, pixel_at, read_pixels
from widgets.scene_camera import CameraPose, interpolate, pose_looking_at
from widgets.scene_demo import fixture_city
from widgets.scene_geometry import centreline_frame, tunnel_geometry
from widgets.scene_sensors import project_to_display
from widgets.scene_style import (
    COMPARTMENT_HEX,
    LEVEL_I,
    LEVEL_II,
    LEVEL_IV,
    NORMAL,
    OFFLINE,
    SENSOR_RGBA,
    hex_rgb,
)

W, H = 640, 480


def small_city_dict() -> dict:
    """A district whose sensors sit well apart on screen: one tunnel, four pipes, a bridge."""
    sensors = []

    def sensor(sid, domain, pos, asset, **kw):
        sensors.append(
            {
                "id": sid,
                "name": f"Sensor {sid}",
                "domain": domain,
                "type": "t",
                "unit": "u",
                "position": pos,
                "asset": asset,
                **kw,
            }
        )

    for k, x in enumerate((100.0, 500.0)):
        sensor(f"P{k}", "tunnel", [x, 2.0, -5.5], "T1", compartment="T1-P")
    for k, x in enumerate((300.0, 700.0)):
        y = 0.0 if x < 600 else 0.0 + (x - 600) * 2 / 3
        sensor(f"W{k}", "tunnel", [x, y - 2.0, -5.5], "T1", compartment="T1-W")
    for k, (domain, y, depth) in enumerate(
        (("gas", -150, 1.5), ("water", 150, 2.0), ("drainage", -300, 4.0), ("heating", 300, 2.5))
    ):
        for j, x in enumerate((150.0, 550.0)):
            sensor(f"{domain}-{j}", domain, [x + 60 * k, y, -depth], f"pipe-{domain}")
    sensor("B0", "bridge", [1000.0, -100.0, 10.0], "B1")
    return {
        "format": CITY_FORMAT,
        "name": "Test district",
        "tunnels": [
            {
                "id": "T1",
                "name": "Test tunnel",
                "width": 8.0,
                "height": 3.5,
                "centreline": [[0, 0, -8], [600, 0, -8], [900, 200, -8]],
                "compartments": [
                    {"id": "T1-P", "kind": "power", "x0": 0.0, "x1": 4.0},
                    {"id": "T1-W", "kind": "water_telecom", "x0": 4.0, "x1": 8.0},
                ],
                "fire_zones": [
                    {"id": f"T1-Z{i}", "start": 200.0 * i, "end": 200.0 * (i + 1)} for i in range(5)
                ],
            }
        ],
        "pipelines": [
            {
                "id": f"pipe-{d}",
                "domain": d,
                "diameter": 0.5,
                "depth": depth,
                "path": [[0, y], [1100, y]],
            }
            for d, y, depth in (
                ("gas", -150, 1.5),
                ("water", 150, 2.0),
                ("drainage", -300, 4.0),
                ("heating", 300, 2.5),
            )
        ],
        "nodes": [
            {
                "id": "MH1",
                "kind": "manhole",
                "position": [450, -300, 0],
                "pipeline": "pipe-drainage",
            }
        ],
        "bridges": [
            {
                "id": "B1",
                "name": "Test bridge",
                "start": [1000, -200],
                "end": [1000, 0],
                "width": 20.0,
                "deck_height": 10.0,
            }
        ],
        "sensors": sensors,
    }


@pytest.fixture(scope="module")
def city():
    return city_from_dict(small_city_dict(), "<test city>")


@pytest.fixture(scope="module")
def rig(city):
    """One scene in one offscreen window, shared: every render costs a software GL frame."""
    scene = CityScene(city)
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
    scene.set_blink_phase(True)
    scene.set_selected(None)
    scene.set_xray(False)
    scene.set_pipe_mode(None)
    scene.set_legend_visible(False)  # these tests read sensors' pixels; the key has its own
    scene.overview()
    return scene


def _frame(rig) -> np.ndarray:
    _, window = rig
    window.Render()
    return read_pixels(window, rerender=False)


def _nearest_code(rgb: np.ndarray) -> int:
    """Which sensor state colour a rendered pixel is closest to."""
    d = np.linalg.norm(SENSOR_RGBA[:, :3].astype(float) - rgb.astype(float), axis=1)
    return int(np.argmin(d))


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Similarity of two colours' hues, independent of brightness."""
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def _patch(frame: np.ndarray, x: float, y: float) -> np.ndarray:
    """Mean colour of the 3x3 pixels around a display position."""
    h = frame.shape[0]
    r, c = h - 1 - round(y), round(x)
    return frame[r - 1 : r + 2, c - 1 : c + 2].reshape(-1, 3).mean(axis=0)


def _isolated_sensors(scene: CityScene, min_px: float) -> list[int]:
    """Sensors whose projected centres are at least min_px from every other, inside the view."""
    xy, _, _, visible = project_to_display(scene.renderer, scene.sensors.positions)
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    np.fill_diagonal(d, np.inf)
    inside = (xy[:, 0] > 20) & (xy[:, 0] < W - 20) & (xy[:, 1] > 20) & (xy[:, 1] < H - 20)
    return [int(i) for i in np.flatnonzero(visible & inside & (d.min(axis=1) >= min_px))]


def test_alarmed_sensor_shows_its_level_colour_where_it_projects(rig, scene):
    isolated = _isolated_sensors(scene, 40.0)
    assert len(isolated) >= 4
    codes = np.zeros(len(scene.city.sensors), np.uint8)
    chosen = dict(zip(isolated[:4], (1, 2, 3, 4), strict=True))
    for i, level in chosen.items():
        codes[i] = level
    scene.set_sensor_states(codes)
    frame = _frame(rig)
    for i, level in chosen.items():
        x, y = scene.sensor_display_position(i)
        assert _nearest_code(_patch(frame, x, y)) == level, f"sensor {i} level {level}"


def test_normal_sensors_show_no_alarm_colour(rig, scene):
    frame = _frame(rig)
    xy, _, _, visible = project_to_display(scene.renderer, scene.sensors.positions)
    inside = visible & (xy[:, 0] >= 1) & (xy[:, 0] < W - 1) & (xy[:, 1] >= 1) & (xy[:, 1] < H - 1)
    codes = [_nearest_code(_patch(frame, x, y)) for x, y in xy[inside]]
    assert codes, "no sensor in view"
    assert not {LEVEL_I, 2, 3, LEVEL_IV} & set(codes)
    assert codes.count(NORMAL) >= 0.9 * len(codes)


def test_close_up_of_alarmed_sensor_is_dominated_by_its_colour(rig, scene):
    target = 0
    codes = np.zeros(len(scene.city.sensors), np.uint8)
    codes[target] = LEVEL_II
    scene.set_sensor_states(codes)
    focal = scene.focus_sensor(target)
    assert np.allclose(focal, scene.city.sensors[target].position)
    frame = _frame(rig)
    x, y = scene.sensor_display_position(target)
    assert abs(x - W / 2) < 2 and abs(y - H / 2) < 2
    assert _nearest_code(_patch(frame, x, y)) == LEVEL_II


def test_two_compartments_render_distinguishable_colours(rig, scene, city):
    tunnel = city.tunnels[0]
    centre = np.asarray(tunnel.centreline, float)
    offset, chainage = centreline_frame(centre)
    # A point on the first, straight segment, away from the sensors.
    p = centre[0] + (centre[1] - centre[0]) * (200.0 / chainage[1])
    left = offset[0] / np.linalg.norm(offset[0])
    kinds = {c.kind: c for c in tunnel.compartments}
    roofs = {
        kind: p + left * (tunnel.width / 2 - (c.x0 + c.x1) / 2) + [0, 0, tunnel.height]
        for kind, c in kinds.items()
    }
    # Close and steep enough that a 3 m compartment spans many pixels.
    scene.apply_pose(pose_looking_at(tuple(p), 45.0, 0.0, 60.0))
    frame = _frame(rig)
    xy, *_ = project_to_display(scene.renderer, np.array([roofs["power"], roofs["water_telecom"]]))
    power, water = (_patch(frame, x, y) for x, y in xy)
    assert np.linalg.norm(power - water) > 30, (power, water)
    # Each reads as its own kind: translucency darkens it, but its hue points at its own colour.
    cp, cw = (np.array(hex_rgb(COMPARTMENT_HEX[k]), float) for k in ("power", "water_telecom"))
    assert _cosine(power, cp) > _cosine(power, cw)
    assert _cosine(water, cw) > _cosine(water, cp)


def test_pick_at_projected_position_returns_that_sensor(rig, scene):
    _frame(rig)
    isolated = _isolated_sensors(scene, 30.0)
    assert isolated
    for i in isolated:
        x, y = scene.sensor_display_position(i)
        assert scene.pick_sensor(x, y) == i
        assert scene.pick_sensor(x + 3, y - 2) == i
    assert scene.pick_sensor(3, H - 3) is None  # top-left corner: sky


def test_pick_prefers_the_glyph_in_front(rig, scene):
    i = 0
    scene.focus_sensor(i, distance=40.0)
    x, y = scene.sensor_display_position(i)
    assert scene.pick_sensor(x, y) == i


def test_display_position_agrees_with_vtk_world_to_display(rig, scene):
    _frame(rig)
    r = scene.renderer
    for i in (0, 7, len(scene.city.sensors) - 1):
        r.SetWorldPoint(*scene.city.sensors[i].position, 1.0)
        r.WorldToDisplay()
        assert np.allclose(scene.sensor_display_position(i), r.GetDisplayPoint()[:2], atol=1e-6)


def test_blink_off_phase_dims_only_blinking_sensors(scene):
    n = len(scene.city.sensors)
    codes = np.zeros(n, np.uint8)
    codes[:3] = LEVEL_I
    blink = np.zeros(n, bool)
    blink[:2] = True
    scene.set_sensor_states(codes, blink)
    assert scene.blinking
    bright = scene.sensors.rgba.copy()
    scene.set_blink_phase(False)
    dim = scene.sensors.rgba
    assert (dim[:2, :3] < bright[:2, :3]).all(axis=1).any()
    assert np.array_equal(dim[2:], bright[2:])
    scene.set_blink_phase(True)
    assert np.array_equal(scene.sensors.rgba, bright)


def test_alarmed_sensors_are_drawn_bigger(scene):
    codes = np.zeros(len(scene.city.sensors), np.uint8)
    codes[1], codes[2] = LEVEL_I, OFFLINE
    scene.set_sensor_states(codes)
    scale = scene.sensors.scale
    assert scale[1] > scale[0] > scale[2]


def test_state_codes_of_wrong_length_are_rejected(scene):
    with pytest.raises(ValueError, match="sensor codes"):
        scene.set_sensor_states(np.zeros(3, np.uint8))


def test_selection_ring_surrounds_selected_sensor(rig, scene):
    scene.set_selected(5)
    ring = scene.sensors.ring
    assert ring.GetVisibility()
    assert np.allclose(ring.GetPosition(), scene.city.sensors[5].position)
    assert ring.GetScale()[0] > scene.sensors.glyph_radius(5)
    scene.focus_sensor(5)
    frame = _frame(rig)
    x, y = scene.sensor_display_position(5)
    r_px = (
        project_to_display(scene.renderer, scene.sensors.positions[5:6])[2][0] * ring.GetScale()[0]
    )
    row = frame[H - 1 - round(y), int(x) : int(x + r_px + 4)]
    assert (row.min(axis=1) > 200).any(), "no white ring pixel right of the sensor"
    scene.set_selected(None)
    assert not ring.GetVisibility()


def test_overview_keeps_every_sensor_in_view(rig, scene):
    _frame(rig)
    xy, _, _, visible = project_to_display(scene.renderer, scene.sensors.positions)
    assert visible.all()
    assert (xy[:, 0] > 0).all() and (xy[:, 0] < W).all()
    assert (xy[:, 1] > 0).all() and (xy[:, 1] < H).all()


def test_camera_interpolation_starts_and_ends_on_its_poses():
    a = pose_looking_at((0.0, 0.0, 0.0), 1000.0, 15.0, 50.0)
    b = pose_looking_at((500.0, 300.0, -8.0), 100.0, 60.0, 35.0)
    for t, want in ((0.0, a), (1.0, b)):
        got = interpolate(a, b, t)
        assert np.allclose(got.position, want.position, atol=1e-6)
        assert np.allclose(got.focal_point, want.focal_point, atol=1e-6)
    mid = interpolate(a, b, 0.5)
    assert 100.0 < mid.distance < 1000.0
    assert isinstance(mid, CameraPose)


def test_compartment_section_is_swept_true_to_size(city):
    faces, edges, rings = tunnel_geometry(city.tunnels)
    n_pts = sum(4 * len(t.centreline) * len(t.compartments) for t in city.tunnels)
    assert faces.GetNumberOfPoints() == n_pts
    assert rings.GetNumberOfCells() > 0 and edges.GetNumberOfCells() > 0
    t = city.tunnels[0]
    corners = np.array([faces.GetPoint(i) for i in range(4)])  # first compartment, first ring
    c = t.compartments[0]
    assert np.linalg.norm(corners[1] - corners[0]) == pytest.approx(c.x1 - c.x0 - 0.24, abs=1e-6)
    assert corners[:, 2].max() - corners[:, 2].min() == pytest.approx(t.height - 0.24, abs=1e-6)


def test_recolouring_30000_sensors_is_one_write_into_the_shared_array():
    big = fixture_city(n_extra_sensors=30_000)
    scene = CityScene(big)
    n = len(big.sensors)
    colours = scene.sensors.polydata.GetPointData().GetArray("rgba")
    before_ptr, before_mtime = colours.GetPointer(0), colours.GetMTime()
    codes = np.random.default_rng(1).integers(0, 7, n).astype(np.uint8)
    scene.set_sensor_states(codes)
    assert colours.GetPointer(0) == before_ptr  # written in place, not reallocated
    assert colours.GetMTime() > before_mtime
    assert np.array_equal(scene.sensors.rgba, SENSOR_RGBA[codes])
    assert colours.GetNumberOfTuples() == n
    # One glyph actor carries all sensors.
    assert scene.overlay.GetActors().GetNumberOfItems() < 5
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(320, 240)
    scene.attach(window)
    window.Render()
    frame = read_pixels(window, rerender=False)
    assert frame.shape == (240, 320, 3) and frame.any()
    x, y = scene.sensor_display_position(int(np.flatnonzero(codes == LEVEL_I)[0]))
    assert pixel_at(frame, x, y).any()
    window.Finalize()


def test_city_with_nothing_in_it_still_renders():
    empty = city_from_dict({"format": CITY_FORMAT, "name": "empty", "sensors": []})
    scene = CityScene(empty)
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(160, 120)
    scene.attach(window)
    scene.set_sensor_states(np.zeros(0, np.uint8))
    window.Render()
    assert scene.pick_sensor(80, 60) is None
    window.Finalize()
